using System.Diagnostics;
using System.Text;
using Matching.Reporting;

namespace Matching.Tests.Reporting;

/// <summary>Loads the HTML report in a real browser (headless Chromium) and reads back the DOM it built.</summary>
public sealed class HtmlReportBrowserTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Test]
    public void Render_HeadlessChromium_ShowsSummaryPairsAndAgendaAsText()
    {
        var chromium = Prerequisites.Chromium();
        using var temp = new TempDirectory();
        var page = temp.File("report.html");
        File.WriteAllText(page, HtmlReportWriterTests.Render(SampleReport.Build()), new UTF8Encoding(false));

        var dom = RunChromium(chromium, temp.File("profile"), "--dump-dom", new Uri(page).AbsoluteUri);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(dom, Does.Contain("<section id=\"summary\">"));
            Assert.That(dom, Does.Contain("2025年长三角政产学研对接会"));
            Assert.That(dom, Does.Contain("有强匹配的需求 Demands with a strong match (66.7%)"));
            Assert.That(dom, Does.Contain("<svg"));
            Assert.That(dom, Does.Contain("<td>中南大学</td><td>宁波甬能新能源科技有限公司</td>"));
            Assert.That(dom, Does.Contain("沖壓件表面缺陷自動檢測"));
            Assert.That(dom, Does.Contain("<mark>正极材料</mark>"));
            Assert.That(dom, Does.Contain("第 2 轮 Slot 2"));
            Assert.That(dom, Does.Contain("華南農業大學"));
            // The browser kept the hostile text as text: no element came out of it.
            Assert.That(dom, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;基于深度学习"));
            Assert.That(dom, Does.Contain("\"&gt;&lt;img src=x onerror=alert(1)&gt;滨海化工有限公司"));
            Assert.That(dom, Does.Not.Contain("<script"));
            Assert.That(dom, Does.Not.Contain("<img"));
        }
    }

    [Test]
    public void PerOrganisationPage_HeadlessChromium_LoadsWithItsMeetingsAndPrintsAPageEach()
    {
        var chromium = Prerequisites.Chromium();
        using var temp = new TempDirectory();
        var page = temp.File("report.html");
        var withoutSchedules = temp.File("no-schedules.html");
        var report = HandoutTests.WithContacts();
        File.WriteAllText(page, Render(report, new ReportOptions()), new UTF8Encoding(false));
        File.WriteAllText(withoutSchedules, Render(report, new ReportOptions { Organizations = 0 }), new UTF8Encoding(false));

        // The page as a browser opens it at 東莞精密沖壓有限公司's anchor: its DOM, not the file's text.
        var dom = RunChromium(chromium, temp.File("profile"), "--dump-dom", new Uri(page).AbsoluteUri + "#org-6");
        var from = dom.IndexOf("<article class=\"schedule\" id=\"org-6\">", StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), "no section org-6 in the rendered page");
        var section = dom[from..dom.IndexOf("</article>", from, StringComparison.Ordinal)];

        var pdf = temp.File("report.pdf");
        var pdfWithout = temp.File("no-schedules.pdf");
        RunChromium(chromium, temp.File("profile"), "--no-pdf-header-footer", $"--print-to-pdf={pdf}", new Uri(page).AbsoluteUri);
        RunChromium(chromium, temp.File("profile"), "--no-pdf-header-footer", $"--print-to-pdf={pdfWithout}", new Uri(withoutSchedules).AbsoluteUri);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(section, Does.Contain("<h3>東莞精密沖壓有限公司<span class=\"en\">企业 Enterprise · 1 场会谈 meetings</span></h3>"));
            Assert.That(section, Does.Contain("<td class=\"n\">第 2 轮 Slot 2</td><td class=\"n\">1</td><td>华中科技大学</td>"));
            Assert.That(section, Does.Contain("<td>陳美玲 · +86 769 2233 4455</td>"));
            Assert.That(section, Does.Contain("<span class=\"id\">D2</span>沖壓件表面缺陷自動檢測"));
            Assert.That(dom, Does.Contain("<article class=\"schedule\" id=\"org-1\">\n<h3>中南大学"));
            // Printed, each of the six organisations starts a page of its own.
            Assert.That(PdfPages(pdf) - PdfPages(pdfWithout), Is.GreaterThanOrEqualTo(6), "a page per organisation");
        }
    }

    private static string Render(EventReport report, ReportOptions options)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        HtmlReportWriter.Write(report, writer, options: options);
        return writer.ToString();
    }

    /// <summary>The pages of a PDF Chromium printed (its page objects are written uncompressed).</summary>
    private static int PdfPages(string pdf)
    {
        Assert.That(File.Exists(pdf), Is.True, "no PDF printed");
        return System.Text.RegularExpressions.Regex.Count(Encoding.Latin1.GetString(File.ReadAllBytes(pdf)), @"/Type\s*/Page(?!s)");
    }

    private static string RunChromium(string chromium, string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within {Timeout.TotalSeconds} s");
        }

        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, () => "chromium failed: " + stderr.Result);
        return stdout.Result;
    }
}
