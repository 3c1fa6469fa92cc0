using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;

namespace Matching.Cli.Tests;

public sealed class EventOutputsTests
{
    private static TempDir s_run = null!;

    [OneTimeSetUp]
    public static void RunSample()
    {
        s_run = new TempDir();
        var result = Cli.Run("match", "--out", s_run.Path);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
    }

    [OneTimeTearDown]
    public static void Cleanup() => s_run.Dispose();

    private static List<string[]> Rows(string file)
    {
        using var reader = new StreamReader(s_run[file]);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Parser.Record!);
        }

        return rows;
    }

    [Test]
    public void Match_Sample_WritesReportWorkbookPairsAndAgenda()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in new[] { "pairs.csv", "agenda_by_slot.csv", "needs_manual_matching.csv", "agenda_by_organization.csv", "university_view.csv", "report.html", "report.xlsx", "report.json" })
            {
                Assert.That(File.Exists(s_run[file]), Is.True, file);
            }

            var html = File.ReadAllText(s_run["report.html"]);
            Assert.That(html, Does.Contain("id=\"summary\"").And.Contain("id=\"pairs\"").And.Contain("id=\"demands\"").And.Contain("id=\"agenda\""));
            Assert.That(html, Does.Not.Contain("<script src").And.Not.Contain("<link"));
            Assert.That(MiniExcel.GetSheetNames(s_run["report.xlsx"]), Is.SupersetOf(new[] { "摘要", "校企配对", "推荐明细", "会议日程", "单位日程" }));
            Assert.That(Rows("pairs.csv").All(r => double.Parse(r[3], CultureInfo.InvariantCulture) >= 0.5), Is.True, "default minimum pair score");
        }
    }

    [Test]
    public void Agenda_OfTheSample_PassesAnIndependentCheck()
    {
        // slot,table,university,enterprise,score — default 8 slots, 20 tables, capacity 4.
        var meetings = Rows("agenda_by_slot.csv").Select(r => (Slot: int.Parse(r[0], CultureInfo.InvariantCulture), Table: int.Parse(r[1], CultureInfo.InvariantCulture), University: r[2], Enterprise: r[3])).ToList();
        var pairs = Rows("pairs.csv").Select(r => (r[1], r[2])).ToHashSet();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(meetings, Is.Not.Empty);
            Assert.That(meetings.All(m => m.Slot is >= 1 and <= 8 && m.Table is >= 1 and <= 20), Is.True);
            Assert.That(meetings.GroupBy(m => (m.Slot, m.Table)).All(g => g.Count() == 1), Is.True, "a table twice in a slot");
            Assert.That(meetings.SelectMany(m => new[] { (m.Slot, m.University), (m.Slot, m.Enterprise) }).GroupBy(x => x).All(g => g.Count() == 1), Is.True, "an organisation twice in a slot");
            Assert.That(meetings.SelectMany(m => new[] { m.University, m.Enterprise }).GroupBy(x => x).All(g => g.Count() <= 4), Is.True, "capacity 4");
            Assert.That(meetings.All(m => pairs.Contains((m.University, m.Enterprise))), Is.True, "only listed pairs meet");
            Assert.That(meetings.Select(m => (m.University, m.Enterprise)), Is.Unique);
        }
    }

    [Test]
    public void Report_OpensInHeadlessChromium_WithDemandCardTopPairAndFirstMeetingVisible()
    {
        var chromium = Prerequisites.Chromium();
        using var profile = new TempDir();
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", $"--user-data-dir={profile.Path}", "--dump-dom", new Uri(s_run["report.html"]).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var dom = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(120_000), Is.True, "chromium did not finish");
        Assert.That(process.ExitCode, Is.Zero, () => "chromium failed: " + stderr.Result);

        // What the browser shows, section by section: the DOM it built, not the file's text.
        string Section(string id)
        {
            var from = dom.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
            Assert.That(from, Is.GreaterThanOrEqualTo(0), $"no section '{id}' in the rendered page");
            return dom[from..dom.IndexOf("</section>", from, StringComparison.Ordinal)];
        }

        static string Score(string value) => double.Parse(value, CultureInfo.InvariantCulture).ToString("0.000", CultureInfo.InvariantCulture);

        // The hand-checked pair D001 → A001 (sample_expected_top1.tsv) heads D001's card.
        var topOfD001 = Rows("demand_matches.csv").First(r => r[0] == "D001" && r[1] == "1");
        var pair = Rows("pairs.csv")[0];
        var meeting = Rows("agenda_by_slot.csv")[0];
        var card = Section("demands");
        card = card[card.IndexOf("<span class=\"id\">D001</span>", StringComparison.Ordinal)..];
        card = card[..card.IndexOf("</article>", StringComparison.Ordinal)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(topOfD001[2], Is.EqualTo("A001"));
            Assert.That(card, Does.StartWith("<span class=\"id\">D001</span>高镍三元正极材料残碱控制与循环寿命提升</h3>"));
            Assert.That(card, Does.Contain("<span class=\"rank\">#1</span><span class=\"rec-title\">一种高镍三元正极材料的表面包覆与体相掺杂协同改性技术</span><span class=\"org\">中南大学</span>"));
            Assert.That(pair[0], Is.EqualTo("1"));
            Assert.That(Section("pairs"), Does.Contain($"<tr><td class=\"n\">1</td><td>{pair[1]}</td><td>{pair[2]}</td><td class=\"n\">{Score(pair[3])}</td>"));
            Assert.That(meeting[1], Is.EqualTo("1"), "the first meeting of the earliest slot used is at table 1");
            Assert.That(Section("agenda"), Does.Contain($"<td class=\"n\">第 {meeting[0]} 轮 Slot {meeting[0]}</td><td class=\"n\">1</td><td>{meeting[2]}</td><td>{meeting[3]}</td><td class=\"n\">{Score(meeting[4])}</td>"));
        }
    }

    /// <summary>Every hand-checked relevant pair of the sample: the one answer per demand, and the further answers a
    /// person checked (sample_relevant_pairs.tsv).</summary>
    private static HashSet<(string Demand, string Achievement)> HandChecked() =>
    [
        .. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Concat(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_relevant_pairs.tsv")))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(parts => (parts[0], parts[1])),
    ];

    [Test]
    public void Match_Sample_EveryMeetingRestsOnAHandCheckedRelevantPair()
    {
        var handChecked = HandChecked();
        var evidence = Rows("pairs.csv").ToDictionary(
            row => (row[1], row[2]),
            row => row[5].Split("; ").Select(e => e.Split(' ')[0].Split('→')).Select(p => (p[0], p[1])).ToList());
        var meetings = Rows("agenda_by_slot.csv");
        var unverified = meetings
            .Where(m => !evidence[(m[2], m[3])].Any(handChecked.Contains))
            .Select(m => $"{m[2]} × {m[3]}: {string.Join(", ", evidence[(m[2], m[3])].Select(p => $"{p.Item1}→{p.Item2}"))}")
            .ToList();

        Assert.That(meetings, Has.Count.GreaterThan(50));
        // One meeting may rest on a related but not checked match (D049 烧结机 SCR 脱硝 → A096 锅炉湿法脱硫: the same
        // ultra-low-emission field, another process); none may rest on generic words.
        Assert.That(unverified, Has.Count.LessThanOrEqualTo(1), string.Join("\n", unverified));
    }

    [Test]
    public void Match_Sample_CoverageIsNotAllOfIt()
    {
        // Every sample demand was written with an answer; the calibration is conservative on long descriptions, so a
        // few answers fall short of strong and are listed for manual matching — with the answer as their closest
        // candidate. Achievements outnumber demands two to one, so many have no strong match.
        var manual = Rows("needs_manual_matching.csv");
        var handChecked = HandChecked();
        var demands = manual.Where(r => r[0] == "demand").ToList();
        Assert.That(demands, Has.Count.InRange(1, 10));
        Assert.That(demands.Where(r => !handChecked.Contains((r[1], r[4]))).Select(r => r[1]), Is.Empty, "the closest candidate is the answer");
        Assert.That(manual.Count(r => r[0] == "achievement"), Is.InRange(30, 90));
        Assert.That(File.ReadAllText(s_run["report.html"]), Does.Contain("有强匹配的成果 Achievements with a strong match"));
    }
}

public sealed class ExplainAndAgendaCommandTests
{
    [Test]
    public void Explain_RecommendedPair_RankTermsSnippetsAndContributions()
    {
        var result = Cli.Run("explain", "--demand", "D001", "--achievement", "A001");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Out, Does.Contain("排名 rank         1"));
            Assert.That(result.Out, Does.Contain("高镍三元"));
            Assert.That(result.Out, Does.Contain("【"));
            Assert.That(result.Out, Does.Contain("影响最大的特征").And.Contain("相对最佳BM25"));
        }
    }

    [Test]
    public void Explain_UnrelatedPair_StillExplained()
    {
        // A rice-breeding achievement for a battery-cathode demand.
        var result = Cli.Run("explain", "--demand", "D001", "--achievement", "A046", "--model", "none");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain("A046").And.Contain("(BM25)"));
    }

    [Test]
    public void Explain_UnknownId_ExitCode3()
    {
        var result = Cli.Run("explain", "--demand", "D999", "--achievement", "A001");

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain("no demand with this id"));
    }

    [Test]
    public void Agenda_FromMatchOutput_ObjectiveAtLeastGreedy()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run("match", "--out", temp.Path, "--no-agenda").ExitCode, Is.EqualTo(0));
        File.WriteAllText(temp["capacity.csv"], "organization,capacity,unavailable_slots\n中南大学,1,1;2\n");

        // Without the fairness floor the objective is the expected accepted meetings alone, comparable with greedy's; with
        // it, the solver may trade value for organisations served (see PreferencePlannerTests).
        var result = Cli.Run("agenda", "--from", temp.Path, "--slots", "3", "--tables", "5", "--capacity-file", temp["capacity.csv"], "--no-fairness-floor");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var line = result.Out.Split('\n')[0];
        var numbers = System.Text.RegularExpressions.Regex.Matches(line, @"objective ([\d.]+) \(greedy ([\d.]+), upper bound ([\d.]+)");
        var objective = double.Parse(numbers[0].Groups[1].Value, CultureInfo.InvariantCulture);
        var greedy = double.Parse(numbers[0].Groups[2].Value, CultureInfo.InvariantCulture);
        var bound = double.Parse(numbers[0].Groups[3].Value, CultureInfo.InvariantCulture);
        var meetings = File.ReadAllLines(temp["agenda_by_slot.csv"]).Skip(1).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(objective, Is.GreaterThanOrEqualTo(greedy).And.LessThanOrEqualTo(bound + 1e-3));
            Assert.That(meetings, Has.Count.LessThanOrEqualTo(15));
            Assert.That(meetings.Count(m => m.Contains("中南大学", StringComparison.Ordinal)), Is.LessThanOrEqualTo(1));
            Assert.That(meetings.Where(m => m.Contains("中南大学", StringComparison.Ordinal)).All(m => m.StartsWith("3,", StringComparison.Ordinal)), Is.True);
            Assert.That(File.Exists(temp["agenda.xlsx"]), Is.True);
        }
    }

    [Test]
    public void Agenda_FromMatchOutput_ReportShowsTheNewAgendaAndKeepsEverythingElse()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run("match", "--out", temp.Path).ExitCode, Is.EqualTo(0));
        var before = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(temp["report.json"]))!.AsObject();

        var result = Cli.Run("agenda", "--from", temp.Path, "--slots", "2", "--tables", "3");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var after = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(temp["report.json"]))!.AsObject();
        var meetings = File.ReadAllLines(temp["agenda_by_slot.csv"]).Skip(1).Select(l => l.Split(',')).ToList();
        var html = File.ReadAllText(temp["report.html"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Out, Does.Contain(temp["report.html"]));
            Assert.That(after["agenda"]!["meetings"]!.AsArray(), Has.Count.EqualTo(meetings.Count).And.Count.EqualTo(6));
            Assert.That(before["agenda"]!["meetings"]!.AsArray(), Has.Count.GreaterThan(6), "the match run's agenda was larger");
            Assert.That(html, Does.Contain("第 2 轮 Slot 2").And.Not.Contain("第 3 轮 Slot 3"), "the report shows the new 2-slot agenda only");
            Assert.That(html, Does.Contain($"<td>{meetings[0][2]}</td><td>{meetings[0][3]}</td>"));
            before.Remove("agenda");
            after.Remove("agenda");
            Assert.That(after.ToJsonString(), Is.EqualTo(before.ToJsonString()), "pairs, cards and summary are unchanged");
        }
    }

    [Test]
    public void Agenda_NeitherPairsNorFrom_ExitCode2()
    {
        Assert.That(Cli.Run("agenda", "--slots", "3").ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Match_OptionsFile_HardFilterRespected()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["event.json"], """{ "title": "测试对接会", "hardFilters": { "allowedIpTypes": ["发明专利"] }, "agenda": null }""");

        var result = Cli.Run("match", "--options", temp["event.json"], "--out", temp["out"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var ipTypes = File.ReadAllLines(Cli.Sample("achievements.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(p => p[0], p => p[^1]);
        var recommended = File.ReadAllLines(temp["out/demand_matches.csv"]).Skip(1).Select(l => l.Split(',')[2]).Distinct().ToList();
        Assert.That(recommended, Is.Not.Empty);
        Assert.That(File.Exists(temp["out/agenda_by_slot.csv"]), Is.False, "agenda: null plans none");
        Assert.That(File.ReadAllText(temp["out/report.html"]), Does.Contain("测试对接会"));
        Assert.That(recommended.Where(id => ipTypes.ContainsKey(id)).Select(id => ipTypes[id]).All(t => t.Length == 0 || t.Contains("发明专利", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void Match_BadOptionsFile_ExitCode3WithLine()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["event.json"], "{\n  \"titel\": \"x\"\n}");

        var result = Cli.Run("match", "--options", temp["event.json"], "--out", temp["out"]);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain("event.json:2"));
    }

    [Test]
    public void Outcomes_RoundTripIntoTrain()
    {
        using var temp = new TempDir();
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv")).Select(l => l.Split('\t')).ToList();
        var outcomes = new StringBuilder("需求编号,成果编号,结果,原因\n");
        for (var i = 0; i < expected.Count; i++)
        {
            outcomes.Append(expected[i][0]).Append(',').Append(expected[i][1]).Append(',').Append((i % 3) switch { 0 => "签约", 1 => "立项", _ => "洽谈" }).Append(",\n");
            outcomes.Append(expected[i][0]).Append(",A119,未达成,方向不符\n");
        }

        File.WriteAllText(temp["outcomes.csv"], outcomes.ToString());

        var result = Cli.Run("train", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", temp["outcomes.csv"],
            "--depth", "20", "--trees", "10", "--leaves", "4", "--min-leaf", "5", "--out", temp["from-outcomes.zip"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain($"training    {expected.Count} demands"));
    }
}
