using System.Diagnostics;
using System.Text;

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
