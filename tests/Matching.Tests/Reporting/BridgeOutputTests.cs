using System.Text;
using System.Text.Json;
using Matching.Ranking;
using Matching.Reporting;
using MiniExcelLibs;

namespace Matching.Tests.Reporting;

/// <summary>Bridges (死鱼 ↔ 溶解氧, 增氧机) in the JSON, HTML and XLSX outputs, next to the matched terms.</summary>
public sealed class BridgeOutputTests
{
    /// <summary>The sample report with bridges on the first recommendation of the first card (in both scripts' words).</summary>
    private static EventReport WithBridges()
    {
        var report = SampleReport.Build();
        var card = report.Demands[0];
        var first = card.Recommendations[0];
        var bridged = first with
        {
            Explanation = first.Explanation with { Bridges = [new TermBridge("电池寿命", ["正极材料", "容量保持率"]), new TermBridge("衰減", ["循环"])] },
        };
        return report with { Demands = [card with { Recommendations = [bridged, .. card.Recommendations.Skip(1)] }, .. report.Demands.Skip(1)] };
    }

    [Test]
    public void Json_HasTheBridgesWhereGiven_AndNoKeyWhereNone()
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(WithBridges(), stream);
        using var document = JsonDocument.Parse(stream.ToArray());
        var recommendations = document.RootElement.GetProperty("demands")[0].GetProperty("recommendations");
        var bridges = recommendations[0].GetProperty("explanation").GetProperty("bridges");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bridges.GetArrayLength(), Is.EqualTo(2));
            Assert.That(bridges[0].GetProperty("demandTerm").GetString(), Is.EqualTo("电池寿命"));
            Assert.That(bridges[0].GetProperty("achievementTerms").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { "正极材料", "容量保持率" }));
            Assert.That(recommendations[1].GetProperty("explanation").TryGetProperty("bridges", out _), Is.False);
        }
    }

    [Test]
    public void Json_ReadBack_KeepsTheBridges()
    {
        using var stream = new MemoryStream();
        JsonReportWriter.Write(WithBridges(), stream);
        var read = JsonSerializer.Deserialize<EventReport>(stream.ToArray(), JsonReportWriter.Options)!;

        Assert.That(read.Demands[0].Recommendations[0].Explanation.Bridges!.Select(b => b.ToString()),
            Is.EqualTo(new[] { "电池寿命 ↔ 正极材料, 容量保持率", "衰減 ↔ 循环" }));
    }

    [Test]
    public void Html_ShowsTheBridgesAfterTheMatchedTerms()
    {
        using var writer = new StringWriter();
        HtmlReportWriter.Write(WithBridges(), writer);
        var html = writer.ToString();
        var matched = html.IndexOf("匹配词 Matched terms", StringComparison.Ordinal);
        var bridges = html.IndexOf("语义关联 Bridges", StringComparison.Ordinal);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("电池寿命 ↔ 正极材料, 容量保持率"));
            Assert.That(html, Does.Contain("衰減 ↔ 循环"));
            Assert.That(matched, Is.GreaterThanOrEqualTo(0));
            Assert.That(bridges, Is.GreaterThan(matched));
            // Only the one recommendation has bridges.
            Assert.That(html.Split("语义关联 Bridges").Length - 1, Is.EqualTo(1));
        }
    }

    [Test]
    public void Xlsx_HasABridgeColumn()
    {
        using var stream = new MemoryStream();
        WorkbookWriter.Write(WithBridges(), stream);
        stream.Position = 0;
        var rows = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "推荐明细").Cast<IDictionary<string, object?>>().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[0]["语义关联"], Is.EqualTo("电池寿命 ↔ 正极材料, 容量保持率; 衰減 ↔ 循环"));
            Assert.That(rows[1]["语义关联"], Is.Null.Or.Empty);
        }
    }
}
