using System.IO.Compression;
using Matching.Reporting;
using MiniExcelLibs;

namespace Matching.Tests.Reporting;

public sealed class WorkbookWriterTests
{
    private static byte[] Write(EventReport report)
    {
        using var stream = new MemoryStream();
        WorkbookWriter.Write(report, stream);
        return stream.ToArray();
    }

    private static List<IDictionary<string, object?>> Rows(byte[] workbook, string sheet)
    {
        using var stream = new MemoryStream(workbook);
        return [.. MiniExcel.Query(stream, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()];
    }

    [Test]
    public void Write_WithAgenda_HasASheetPerTable()
    {
        using var stream = new MemoryStream(Write(SampleReport.Build()));

        Assert.That(MiniExcel.GetSheetNames(stream), Is.EqualTo(new[]
        {
            "摘要", "行业覆盖", "地区覆盖", "校企配对", "推荐明细", "需人工匹配", "高校视角", "会议日程", "单位日程",
            // A printable sheet per organisation with meetings: universities, then enterprises, by name (ordinal).
            "中南大学", "华中科技大学", "南开大学", "\"><img src=x onerror=alert(1)>滨", "宁波甬能新能源科技有限公司", "東莞精密沖壓有限公司",
        }));
    }

    [Test]
    public void Write_NoAgenda_LeavesOutTheAgendaSheets()
    {
        var workbook = Write(SampleReport.Build(withAgenda: false));
        using var stream = new MemoryStream(workbook);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(MiniExcel.GetSheetNames(stream), Is.EqualTo(new[] { "摘要", "行业覆盖", "地区覆盖", "校企配对", "推荐明细", "需人工匹配", "高校视角" }));
            Assert.That(Rows(workbook, "摘要").Last()["值"], Is.EqualTo("未安排"));
        }
    }

    [Test]
    public void Write_Recommendations_NeutraliseFormulasAndKeepNumbersNumeric()
    {
        var rows = Rows(Write(SampleReport.Build()), "推荐明细");

        Assert.That(rows, Has.Count.EqualTo(4));
        var wastewater = rows.Single(r => Equals(r["需求编号"], "D3"));
        var rice = rows.Single(r => Equals(r["成果编号"], "A3"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(wastewater["需求名称"], Is.EqualTo("'=HYPERLINK(\"http://x\",\"y\")"));
            Assert.That(wastewater["需求单位"], Is.EqualTo(SampleReport.ImgEnterprise));
            Assert.That(wastewater["排名"], Is.EqualTo(1.0));
            Assert.That(wastewater["得分"], Is.EqualTo(1.876));
            Assert.That(wastewater["强度"], Is.EqualTo(0.78));
            Assert.That(wastewater["匹配词"], Is.EqualTo("高盐废水; COD"));
            Assert.That(wastewater["主要特征贡献"], Is.EqualTo("需求→成果文本相关度(BM25) +0.510"));
            // A negative score is a number, not a formula to neutralise.
            Assert.That(rice["得分"], Is.EqualTo(-0.3125));
            Assert.That(rows[0]["主要特征贡献"], Is.EqualTo("需求要点覆盖率 +0.412; 需求标题覆盖率 +0.105; 数字不一致 -0.045"));
            Assert.That(rows[2]["成果名称"], Is.EqualTo(SampleReport.ScriptTitle));
        }
    }

    [Test]
    public void Write_SummaryAndCoverage_AreKeyValueAndNumericRows()
    {
        var workbook = Write(SampleReport.Build());
        var summary = Rows(workbook, "摘要").ToDictionary(r => (string)r["项目"]!, r => r["值"]);
        var industries = Rows(workbook, "行业覆盖");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary["报告标题"], Is.EqualTo("2025年长三角政产学研对接会"));
            Assert.That(summary["科技成果数"], Is.EqualTo(4.0));
            Assert.That(summary["有强匹配的需求占比"], Is.EqualTo(0.6667));
            Assert.That(summary["已安排会谈数"], Is.EqualTo(3.0));
            Assert.That(summary["求解状态"], Is.EqualTo("FEASIBLE"));
            Assert.That(industries.Select(r => r["行业"]), Is.EqualTo(new[] { "新能源", "製造業", SampleReport.ScriptIndustry }));
            Assert.That(industries.Select(r => r["强匹配占比"]), Is.EqualTo(new object[] { 1.0, 0.0, 1.0 }));
            Assert.That(Rows(workbook, "地区覆盖")[2]["地区"], Is.EqualTo("../../etc/passwd"));
        }
    }

    [Test]
    public void Write_PairsAndAgenda_OneRowPerPairMeetingAndSide()
    {
        var workbook = Write(SampleReport.Build());
        var pairs = Rows(workbook, "校企配对");
        var meetings = Rows(workbook, "会议日程");
        var organizations = Rows(workbook, "单位日程");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pairs, Has.Count.EqualTo(2));
            Assert.That(pairs[1]["依据（需求 ↔ 成果 强度）"], Is.EqualTo("'=HYPERLINK(\"http://x\",\"y\") ↔ 高盐有机废水的催化湿式氧化处理工艺 (0.78)"));
            Assert.That(pairs[1]["得分"], Is.EqualTo(0.784));
            Assert.That(meetings.Select(r => (r["轮次"], r["桌号"], r["高校"])), Is.EqualTo(new[] { ((object?)1.0, (object?)1.0, (object?)"中南大学"), (1.0, 2.0, "南开大学"), (2.0, 1.0, "华中科技大学") }));
            Assert.That(organizations, Has.Count.EqualTo(6));
            // Universities first, then enterprises, each by name in code-point order (中 U+4E2D before 华 U+534E).
            Assert.That(organizations.Select(r => r["单位"]).Take(3), Is.EqualTo(new[] { "中南大学", "华中科技大学", "南开大学" }));
            Assert.That(organizations[0]["类型"], Is.EqualTo("高校"));
            Assert.That(organizations[0]["对方单位"], Is.EqualTo("宁波甬能新能源科技有限公司"));
            Assert.That(organizations.Count(r => Equals(r["类型"], "企业")), Is.EqualTo(3));
        }
    }

    [Test]
    public void Write_SameReportTwice_IsByteIdenticalWithFixedEntryTimes()
    {
        var first = Write(SampleReport.Build());
        var second = Write(SampleReport.Build());

        using var zip = new ZipArchive(new MemoryStream(first), ZipArchiveMode.Read);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(zip.Entries.Select(e => e.LastWriteTime.DateTime), Is.All.EqualTo(new DateTime(1980, 1, 1)));
            // Text cells are values, never formulas.
            foreach (var sheet in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(sheet.Open());
                Assert.That(reader.ReadToEnd(), Does.Not.Contain("<x:f").And.Not.Contain("<f>"), sheet.FullName);
            }
        }
    }
}
