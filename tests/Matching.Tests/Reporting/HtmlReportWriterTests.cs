using System.Globalization;
using System.Text.RegularExpressions;
using Matching.Ingestion;
using Matching.Reporting;

namespace Matching.Tests.Reporting;

public sealed class HtmlReportWriterTests
{
    internal static string Render(EventReport report)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        HtmlReportWriter.Write(report, writer);
        return writer.ToString();
    }

    // How the hostile user text must look in the page.
    private static readonly string[] EscapedUserText =
    [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)",
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
        "../../etc/passwd",
        "化工&lt;script&gt;",
    ];

    [Test]
    public void Write_SampleReport_HasTheFourSectionsWithBilingualHeadings()
    {
        var html = Render(SampleReport.Build());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.StartWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
            Assert.That(html, Does.Contain("<meta charset=\"utf-8\">"));
            Assert.That(html, Does.Contain("<section id=\"summary\">\n<h2>摘要<span class=\"en\">Summary</span></h2>"));
            Assert.That(html, Does.Contain("<section id=\"pairs\">\n<h2>校企配对<span class=\"en\">University–enterprise pairs</span></h2>"));
            Assert.That(html, Does.Contain("<section id=\"demands\">\n<h2>需求卡片<span class=\"en\">Demand cards</span></h2>"));
            Assert.That(html, Does.Contain("<section id=\"agenda\">\n<h2>会议日程<span class=\"en\">Agenda</span></h2>"));
            Assert.That(Regex.Count(html, "<article class=\"card\""), Is.EqualTo(3));
            Assert.That(html, Does.Contain("@media print"));
        }
    }

    [Test]
    public void Write_HostileText_AppearsEscapedAndNeverAsMarkup()
    {
        var html = Render(SampleReport.Build());

        using (Assert.EnterMultipleScope())
        {
            foreach (var escaped in EscapedUserText)
            {
                Assert.That(html, Does.Contain(escaped));
            }

            Assert.That(html, Does.Contain("&lt;b&gt;采用卷积神经网络&lt;/b&gt;"));
            Assert.That(html, Does.Not.Contain("<script"));
            Assert.That(html, Does.Not.Contain("<img"));
            Assert.That(html, Does.Not.Contain("<b>"));
            Assert.That(html, Does.Not.Contain("\" onerror"));
        }
    }

    [Test]
    public void Write_SampleReport_ReferencesNothingOutsideTheFile()
    {
        var html = Render(SampleReport.Build());
        foreach (var escaped in EscapedUserText)
        {
            html = html.Replace(escaped, "", StringComparison.Ordinal);
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Not.Contain("http://"));
            Assert.That(html, Does.Not.Contain("https://"));
            Assert.That(html, Does.Not.Contain("<link"));
            Assert.That(html, Does.Not.Contain("src="));
            Assert.That(html, Does.Not.Contain("url("));
            Assert.That(html, Does.Not.Contain("@import"));
            Assert.That(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value), Is.All.StartsWith("#"));
        }
    }

    [Test]
    public void Write_Summary_ShowsCountsMethodAndCoverageCharts()
    {
        var html = Render(SampleReport.Build());
        var summary = Section(html, "summary");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary, Does.Contain("<span class=\"num\">4</span><span class=\"lbl\">科技成果 Achievements</span>"));
            Assert.That(summary, Does.Contain("<span class=\"num\">2 / 3</span><span class=\"lbl\">有强匹配的需求 Demands with a strong match (66.7%)</span>"));
            Assert.That(summary, Does.Contain(SampleReport.Method));
            Assert.That(summary, Does.Contain("<td>製造業</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0.0%</td>"));
            Assert.That(Regex.Count(summary, "<svg "), Is.EqualTo(2));
            Assert.That(summary, Does.Not.Contain("xmlns"));
            // A full bar for 新能源 (1 of 1), an empty one for 製造業 (0 of 1), on a 220-pixel track.
            Assert.That(summary, Does.Contain("width=\"220.0\" height=\"16\" fill=\"#2f6fb0\""));
            Assert.That(summary, Does.Contain("width=\"0.0\" height=\"16\" fill=\"#2f6fb0\""));
            Assert.That(summary, Does.Contain("<title>化工&lt;script&gt;alert(1)&lt;/script&gt;: 1/1</title>"));
        }
    }

    [Test]
    public void Write_DataQualityCounts_ShownInTheSummaryOnlyWhenThereAreSome()
    {
        var clean = Section(Render(SampleReport.Build()), "summary");
        var dirty = Section(Render(SampleReport.Build() with
        {
            DataQuality = [new("/data/需求<1>.csv", DataQualityKind.NoTitle, 25), new("/data/需求<1>.csv", DataQualityKind.NoOrganization, 3)],
        }), "summary");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clean, Does.Not.Contain("数据质量"));
            Assert.That(dirty, Does.Contain(
                "<p><strong>数据质量 Data quality：</strong>需求&lt;1&gt;.csv 无标题 no title 25 · 需求&lt;1&gt;.csv 无单位 no organization 3</p>"));
        }
    }

    [Test]
    public void Write_Pairs_ListsRankScoreAndEvidence()
    {
        var pairs = Section(Render(SampleReport.Build()), "pairs");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pairs, Does.Contain("<tr><td class=\"n\">1</td><td>中南大学</td><td>宁波甬能新能源科技有限公司</td><td class=\"n\">0.912</td>"));
            Assert.That(pairs, Does.Contain("<li>动力电池正极材料循环寿命提升 ↔ 一种高镍三元锂离子电池正极材料的表面包覆改性技术 · <span class=\"n\">0.91</span></li>"));
            Assert.That(pairs, Does.Contain("<td class=\"n\">2</td><td>南开大学</td><td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;滨海化工有限公司</td>"));
        }
    }

    [Test]
    public void Write_DemandCards_ShowRecommendationsHighlightsAndSignedContributions()
    {
        var demands = Section(Render(SampleReport.Build()), "demands");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demands, Does.Contain("<h3><span class=\"id\">D2</span>沖壓件表面缺陷自動檢測</h3>"));
            Assert.That(demands, Does.Contain("<dt>预算 Budget</dt><dd>200万元</dd>"));
            Assert.That(demands, Does.Contain("<dt>成熟度要求 Required maturity</dt><dd>中试</dd>"));
            Assert.That(demands, Does.Contain("<mark>正极材料</mark>的<mark>表面包覆</mark>"));
            Assert.That(demands, Does.Contain("<span class=\"chip\">表面包覆</span>"));
            Assert.That(demands, Does.Contain("得分 Score 2.457 · 强度 Strength 0.91</span><span class=\"badge\">强匹配 Strong</span>"));
            Assert.That(demands, Does.Contain("得分 Score -0.313 · 强度 Strength 0.08</span></div>"));
            Assert.That(demands, Does.Contain("<td>需求要点覆盖率 <span class=\"field\">idf_coverage_demand</span></td><td class=\"n\">0.820</td><td class=\"n pos\">+0.412</td>"));
            Assert.That(demands, Does.Contain("<td class=\"n neg\">-0.045</td>"));
            Assert.That(Regex.Count(demands, "<mark>"), Is.EqualTo(6));
        }
    }

    [Test]
    public void Write_Agenda_ShowsMeetingsBySlotObjectivesAndOrganisations()
    {
        var agenda = Section(Render(SampleReport.Build()), "agenda");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(agenda, Does.Contain("<span class=\"num\">2.246</span><span class=\"lbl\">目标值 Objective</span>"));
            Assert.That(agenda, Does.Contain("<span class=\"num\">2.100</span><span class=\"lbl\">贪心方案 Greedy objective</span>"));
            Assert.That(agenda, Does.Contain("<span class=\"num\">2.360</span><span class=\"lbl\">上界 Upper bound</span>"));
            Assert.That(agenda, Does.Contain("<span class=\"num\">1</span><span class=\"lbl\">未安排配对 Unscheduled</span>"));
            Assert.That(agenda, Does.Contain("达到上界的 95.2%"));
            Assert.That(agenda, Does.Contain("<tr class=\"slot-first\"><td class=\"n\">第 2 轮 Slot 2</td><td class=\"n\">1</td><td>华中科技大学</td><td>東莞精密沖壓有限公司</td><td class=\"n\">0.550</td><td>—</td><td>—</td><td>—</td></tr>"));
            Assert.That(agenda, Does.Contain("<tr><td><a href=\"#org-1\">中南大学</a></td><td>高校 University</td><td class=\"n\">1</td><td><ul class=\"evidence\"><li>第 1 轮 · 1 号桌 · 宁波甬能新能源科技有限公司</li></ul></td></tr>"));
            Assert.That(agenda, Does.Contain("<td>華南農業大學</td>"));
        }
    }

    [Test]
    public void Write_NoAgenda_SaysNoneWasPlanned()
    {
        var agenda = Section(Render(SampleReport.Build(withAgenda: false)), "agenda");

        Assert.That(agenda, Is.EqualTo(
            "<section id=\"agenda\">\n<h2>会议日程<span class=\"en\">Agenda</span></h2>\n<p class=\"empty\">" + HtmlReportWriter.NoAgendaSentence + "</p>\n</section>"));
    }

    [Test]
    public void Write_SameReportTwiceUnderAnotherCulture_IsIdentical()
    {
        var first = Render(SampleReport.Build());
        var before = CultureInfo.CurrentCulture;
        string second;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            second = Render(SampleReport.Build());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase(0.0004, 3, "0.000")]
    [TestCase(-0.0004, 3, "0.000")]
    [TestCase(-0.0456, 3, "-0.046")]
    [TestCase(double.NaN, 3, "—")]
    [TestCase(double.PositiveInfinity, 2, "—")]
    public void Fixed_EdgeValues_AreInvariantWithoutNegativeZero(double value, int decimals, string expected) =>
        Assert.That(HtmlReportWriter.Fixed(value, decimals), Is.EqualTo(expected));

    [Test]
    public void Fit_LongLabel_IsCutAtWholeCharactersWithEllipsis()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(HtmlReportWriter.Fit("新能源", 150, 12), Is.EqualTo("新能源"));
            Assert.That(HtmlReportWriter.Fit("新一代信息技术与高端装备制造业", 150, 12), Is.EqualTo("新一代信息技术与高端装…"));
            // 𠀋 is outside the BMP: never split into a lone surrogate.
            Assert.That(HtmlReportWriter.Fit("𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋", 150, 12), Is.EqualTo("𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋𠀋…"));
        }
    }

    /// <summary>The markup of one section, from its opening tag to its closing tag.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"section {id}");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..(end + "</section>".Length)];
    }
}
