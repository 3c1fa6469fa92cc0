using System.Text.Json;
using System.Text.RegularExpressions;
using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Reporting;
using Matching.Scheduling;
using MiniExcelLibs;

namespace Matching.Tests.Reporting;

/// <summary>A report larger than small limits: every file stays within them and says what it leaves out.</summary>
public sealed partial class ReportOptionsTests
{
    private const int Cards = 7, RecommendationsPerCard = 4, PairCount = 12, UnscheduledCount = 9;

    private static readonly ReportOptions Small = new() { Cards = 3, Recommendations = 2, Pairs = 5, SheetRows = 4 };

    private string _directory = "";

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("matching-report-options-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    /// <summary>The sample report grown to <see cref="Cards"/> demands of <see cref="RecommendationsPerCard"/>
    /// recommendations, <see cref="PairCount"/> pairs and <see cref="UnscheduledCount"/> unscheduled pairs.</summary>
    private static EventReport Large()
    {
        var sample = SampleReport.Build();
        var recommendation = sample.Demands[0].Recommendations[0];
        var agenda = sample.Agenda!;
        return sample with
        {
            Demands = [.. Enumerable.Range(1, Cards).Select(d => new DemandCard(
                SampleReport.BatteryDemand with { Id = $"D{d}", Title = $"需求 {d}" },
                [.. Enumerable.Range(1, RecommendationsPerCard).Select(r => recommendation with { Rank = r })]))],
            Pairs = [.. Enumerable.Range(1, PairCount).Select(p => new PairScore($"大学 {p}", $"企业 {p}", 1.0 / p, sample.Pairs[0].Evidence))],
            Agenda = agenda with { Unscheduled = [.. Enumerable.Range(1, UnscheduledCount).Select(u => new MeetingRequest($"大学 {u}", $"企业 {u}", 0.01))] },
        };
    }

    /// <summary>Writes <paramref name="report"/> as report.json and lets <c>agenda --from</c>'s path rewrite the report
    /// with <paramref name="options"/>, as <c>match</c> writes it.</summary>
    private string WriteReport(EventReport report, ReportOptions options)
    {
        var json = Path.Combine(_directory, "input.json");
        using (var stream = File.Create(json))
        {
            JsonReportWriter.Write(report, stream);
        }

        EventOutputWriter.WriteAgenda(_directory, report.Agenda!, json, options);
        return _directory;
    }

    [Test]
    public void Bound_SmallLimits_CutsEachListAndCountsTheWhole()
    {
        var bounded = Small.Bound(Large());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bounded.Demands, Has.Count.EqualTo(3));
            Assert.That(bounded.Demands.Select(c => c.Recommendations.Count), Is.All.EqualTo(2));
            Assert.That(bounded.Pairs, Has.Count.EqualTo(5));
            Assert.That(bounded.Agenda!.Unscheduled, Has.Count.EqualTo(5));
            Assert.That(bounded.Agenda.Meetings, Has.Count.EqualTo(3), "the agenda's meetings are never cut");
            Assert.That(bounded.Cuts, Is.EqualTo(new ReportCuts(Cards, 3, Cards * RecommendationsPerCard, 6, PairCount, 5, UnscheduledCount, 5)));
        }
    }

    [Test]
    public void Bound_WithinLimits_ReturnsTheReportItself()
    {
        var report = SampleReport.Build();

        Assert.That(new ReportOptions().Bound(report), Is.SameAs(report));
    }

    [Test]
    public void Bound_AReportAlreadyCut_KeepsTheFullCounts()
    {
        var once = Small.Bound(Large());

        var twice = Small.Bound(once);

        Assert.That(twice.Cuts, Is.EqualTo(once.Cuts));
    }

    [Test]
    public void Html_SmallLimits_ShowsNCardsAndSaysWhereTheRestIs()
    {
        var html = File.ReadAllText(Path.Combine(WriteReport(Large(), Small), EventOutputWriter.HtmlFile));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CardTag().Matches(html), Has.Count.EqualTo(3));
            Assert.That(RecommendationTag().Matches(html), Has.Count.EqualTo(6));
            Assert.That(html, Does.Contain("Showing the first 3 of 7 demand cards; the full list is in demand_matches.csv."));
            Assert.That(html, Does.Contain("Showing 6 of 28 recommendations on the cards; the full list is in demand_matches.csv."));
            Assert.That(html, Does.Contain("Showing the first 5 of 12 pairs; the full list is in pairs.csv."));
            Assert.That(html, Does.Contain("Showing the first 5 of 9 unscheduled pairs; every pair is in pairs.csv."));
            Assert.That(html, Does.Contain("仅显示前 3 个需求卡片（共 7 个）"));
            Assert.That(html, Does.Contain("<span class=\"num\">9</span><span class=\"lbl\">未安排配对 Unscheduled</span>"), "the KPI counts every unscheduled pair");
        }
    }

    [Test]
    public void Html_WithinLimits_HasNoNote()
    {
        var html = File.ReadAllText(Path.Combine(WriteReport(SampleReport.Build(), new ReportOptions()), EventOutputWriter.HtmlFile));

        Assert.That(html, Does.Not.Contain("class=\"cut\""));
    }

    [Test]
    public void Html_NoCardsShown_SaysCutNotEmpty()
    {
        var html = File.ReadAllText(Path.Combine(WriteReport(Large(), new ReportOptions { Cards = 0 }), EventOutputWriter.HtmlFile));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CardTag().Matches(html), Is.Empty);
            Assert.That(html, Does.Contain("Showing the first 0 of 7 demand cards"));
            Assert.That(html, Does.Not.Contain("No demands."));
        }
    }

    [Test]
    public void Html_NoRecommendationsShown_SaysCutNotEmpty()
    {
        var html = File.ReadAllText(Path.Combine(WriteReport(Large(), new ReportOptions { Recommendations = 0 }), EventOutputWriter.HtmlFile));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CardTag().Matches(html), Has.Count.EqualTo(Cards));
            Assert.That(html, Does.Contain("Showing 0 of 28 recommendations on the cards"));
            Assert.That(html, Does.Not.Contain("No achievement recommended."));
        }
    }

    [Test]
    public void Json_SmallLimits_ParsesBoundedWithTheCuts()
    {
        var bytes = File.ReadAllBytes(Path.Combine(WriteReport(Large(), Small), EventOutputWriter.JsonFile));
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var cuts = root.GetProperty("cuts");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("demands").GetArrayLength(), Is.EqualTo(3));
            Assert.That(root.GetProperty("demands").EnumerateArray().Select(d => d.GetProperty("recommendations").GetArrayLength()), Is.All.EqualTo(2));
            Assert.That(root.GetProperty("pairs").GetArrayLength(), Is.EqualTo(5));
            Assert.That(root.GetProperty("agenda").GetProperty("unscheduled").GetArrayLength(), Is.EqualTo(5));
            Assert.That(cuts.GetProperty("demands").GetInt32(), Is.EqualTo(Cards));
            Assert.That(cuts.GetProperty("demandsShown").GetInt32(), Is.EqualTo(3));
            Assert.That(cuts.GetProperty("recommendations").GetInt32(), Is.EqualTo(Cards * RecommendationsPerCard));
            Assert.That(cuts.GetProperty("pairs").GetInt32(), Is.EqualTo(PairCount));
            Assert.That(cuts.TryGetProperty("any", out _), Is.False);
        }
    }

    [Test]
    public void Json_RewrittenFromABoundedReport_StillCountsTheWhole()
    {
        var directory = WriteReport(Large(), Small);
        var json = Path.Combine(directory, EventOutputWriter.JsonFile);
        var first = JsonSerializer.Deserialize<EventReport>(File.ReadAllBytes(json), JsonReportWriter.Options)!;

        EventOutputWriter.WriteAgenda(directory, first.Agenda! with { Unscheduled = Large().Agenda!.Unscheduled }, json, Small);
        var second = JsonSerializer.Deserialize<EventReport>(File.ReadAllBytes(json), JsonReportWriter.Options)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Cuts, Is.EqualTo(first.Cuts));
            Assert.That(File.ReadAllText(Path.Combine(directory, EventOutputWriter.HtmlFile)), Does.Contain("Showing the first 3 of 7 demand cards"));
        }
    }

    [Test]
    public void Workbook_SmallSheetRows_SplitsEveryTableAndKeepsEveryRow()
    {
        var workbook = File.ReadAllBytes(Path.Combine(WriteReport(Large(), Small), EventOutputWriter.WorkbookFile));
        using var stream = new MemoryStream(workbook);
        var names = MiniExcel.GetSheetNames(stream);

        List<IDictionary<string, object?>> Rows(string sheet)
        {
            using var s = new MemoryStream(workbook);
            return [.. MiniExcel.Query(s, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()];
        }

        var recommendationSheets = names.Where(n => n.StartsWith(WorkbookWriter.RecommendationsSheet, StringComparison.Ordinal)).ToList();
        var pairSheets = names.Where(n => n.StartsWith(WorkbookWriter.PairsSheet, StringComparison.Ordinal)).ToList();
        var notes = Rows(WorkbookWriter.SummarySheet).Where(r => Equals(r["项目"], "分表说明")).Select(r => (string)r["值"]!).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(recommendationSheets, Is.EqualTo(new[] { "推荐明细", "推荐明细 (2)", "推荐明细 (3)", "推荐明细 (4)", "推荐明细 (5)", "推荐明细 (6)", "推荐明细 (7)" }));
            Assert.That(pairSheets, Is.EqualTo(new[] { "校企配对", "校企配对 (2)", "校企配对 (3)" }));
            Assert.That(names.Where(n => n != WorkbookWriter.SummarySheet).Select(n => Rows(n).Count), Is.All.InRange(0, 4));
            Assert.That(recommendationSheets.Sum(n => Rows(n).Count), Is.EqualTo(Cards * RecommendationsPerCard), "the workbook keeps every row");
            Assert.That(pairSheets.Sum(n => Rows(n).Count), Is.EqualTo(PairCount));
            Assert.That(Rows("校企配对 (3)").Select(r => r["排名"]), Is.EqualTo(new object[] { 9d, 10d, 11d, 12d }));
            Assert.That(notes, Has.Some.Contains("推荐明细 共 28 行").And.Some.Contains("28 rows continued over 7 sheets of at most 4 rows"));
        }
    }

    [Test]
    public void Workbook_DefaultSheetRows_OneSheetPerTable()
    {
        var workbook = File.ReadAllBytes(Path.Combine(WriteReport(Large(), new ReportOptions()), EventOutputWriter.WorkbookFile));
        using var stream = new MemoryStream(workbook);

        Assert.That(MiniExcel.GetSheetNames(stream).Take(9), Is.EqualTo(new[] { "摘要", "行业覆盖", "地区覆盖", "校企配对", "推荐明细", "需人工匹配", "高校视角", "会议日程", "单位日程" }));
    }

    [Test]
    public void Workbook_EvidenceLongerThanACell_IsCutToExcelsLimit()
    {
        var report = Large();
        var evidence = report.Pairs[0].Evidence[0];
        report = report with { Pairs = [report.Pairs[0] with { Evidence = [.. Enumerable.Repeat(evidence, 1_000)] }] };

        var workbook = File.ReadAllBytes(Path.Combine(WriteReport(report, new ReportOptions()), EventOutputWriter.WorkbookFile));
        using var stream = new MemoryStream(workbook);
        var row = MiniExcel.Query(stream, useHeaderRow: true, sheetName: WorkbookWriter.PairsSheet).Cast<IDictionary<string, object?>>().Single();
        var text = (string)row["依据（需求 ↔ 成果 强度）"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Has.Length.EqualTo(WorkbookWriter.MaxCellChars));
            Assert.That(text, Does.EndWith("…"));
        }
    }

    [Test]
    public void Validate_OutOfRange_NamesEveryProblem()
    {
        var options = new ReportOptions { Cards = -1, Organizations = -2, SheetRows = ReportOptions.MaxSheetRows + 1 };

        Assert.That(options.Validate, Throws.ArgumentException.With.Message.Contains("Cards must not be negative")
            .And.Message.Contains("Organizations must not be negative").And.Message.Contains("SheetRows must be between 1 and 1,048,575"));
    }

    [GeneratedRegex("<article class=\"card\"")]
    private static partial Regex CardTag();

    [GeneratedRegex("<li class=\"rec\">")]
    private static partial Regex RecommendationTag();
}
