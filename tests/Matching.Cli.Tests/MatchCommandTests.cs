using System.Globalization;
using CsvHelper;

namespace Matching.Cli.Tests;

public sealed class MatchCommandTests
{
    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<dynamic>()
            .Select(row => ((IDictionary<string, object>)row).ToDictionary(kv => kv.Key, kv => (string)kv.Value))
            .ToList();
    }

    [Test]
    public void Match_NoInputs_RunsOnTheSampleEventAndWritesAllOutputs()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--out", temp.Path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Err, Does.Contain("sample event").And.Contain("read 120 achievements").And.Contain("read 60 demands"));
            Assert.That(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFileName), Is.EqualTo(new[]
            {
                "demand_matches.csv", "achievement_matches.csv", "run.trec", "pairs.csv", "needs_manual_matching.csv", "university_view.csv", "agenda_by_slot.csv",
                "agenda_by_organization.csv", "report.html", "report.xlsx", "report.json",
            }));
            Assert.That(ReadCsv(temp["demand_matches.csv"]), Has.Count.EqualTo(600));
            // Top 10 demands per achievement, fewer where the maturity filter leaves fewer.
            Assert.That(ReadCsv(temp["achievement_matches.csv"]), Has.Count.InRange(1000, 1200));
            Assert.That(File.ReadAllLines(temp["run.trec"]), Has.Length.EqualTo(600));
            Assert.That(Directory.GetFiles(temp.Path, "*.tmp"), Is.Empty);
        }
    }

    /// <summary>The demands of the sample that sample_expected_top1.tsv leaves out, and why.</summary>
    private static readonly Dictionary<string, string> s_withoutOneObviousAnswer = new()
    {
        // Two achievements answer it: A051 (镉污染稻田土壤钝化与低积累品种协同修复, 南京农业大学), which BM25 and the model put
        // first, and A102 (重金屬污染農田土壤鈍化修復材料, 湖南大学), which the default same-province preference puts first in
        // demand_matches.csv for this 湖南 enterprise. Which one is "the" answer depends on the event's rules.
        ["D029"] = "two answers, ordered by the event's same-province preference",
    };

    [Test]
    public void Match_IndexWithoutInputFiles_MatchesTheIndexedRecordsAndAddsNoSample()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["a.jsonl"], string.Join("\n",
            """{"id":"A1","title":"高镍三元正极材料表面包覆改性技术","abstract":"降低残碱，提升循环寿命。","organization":"中南大学"}""",
            """{"id":"A2","title":"水产养殖溶解氧在线监测与智能增氧系统","abstract":"鱼塘溶解氧实时监测，自动开启增氧机。","organization":"浙江海洋大学"}""",
            """{"id":"A3","title":"注塑件翹曲變形的模流分析與工藝優化","abstract":"基於模流分析預測翹曲。","organization":"華南理工大學"}""") + "\n");
        File.WriteAllText(temp["d.jsonl"], string.Join("\n",
            """{"id":"D1","title":"鱼塘夏季缺氧死鱼","description":"需要溶解氧监测和自动增氧。","organization":"某水产养殖合作社"}""",
            """{"id":"D2","title":"正极材料残碱高导致循环寿命短","description":"寻求表面包覆改性方案。","organization":"宁波甬锂新材料科技有限公司"}""") + "\n");
        Assert.That(Cli.Run("index", "-a", temp["a.jsonl"], "-d", temp["d.jsonl"], "--index", temp["index"]).ExitCode, Is.Zero);

        var run = Cli.Run("match", "--index", temp["index"], "--out", temp["out"], "--no-report");
        var missing = Cli.Run("match", "--index", temp["no-index"], "--out", temp["out2"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.ExitCode, Is.Zero, run.Err);
            Assert.That(run.Err, Does.Contain("no input files: matching the records already in the index"));
            Assert.That(run.Err, Does.Contain("indexed 3 achievements and 2 demands"), "the sample event must not be added to the user's index");
            var top = File.ReadAllLines(temp["out/demand_matches.csv"]).Skip(1).Select(l => l.Split(',')).Where(c => c[1] == "1").ToDictionary(c => c[0], c => c[2]);
            Assert.That(top, Is.EqualTo(new Dictionary<string, string> { ["D1"] = "A2", ["D2"] = "A1" }));
            Assert.That(missing.ExitCode, Is.EqualTo(2), missing.Err);
            Assert.That(missing.Err, Does.Contain("no input files and no index in"));
            Assert.That(Directory.Exists(temp["no-index"]), Is.False, "nothing may be created for a missing index");
        }
    }

    [Test]
    public void Match_Sample_HandCheckedDemandsGetTheirAchievementFirst()
    {
        // Pairs written with the sample: the achievement obviously answers the demand (some in Traditional script).
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[0], parts => parts[1]);
        using var temp = new TempDir();

        Assert.That(Cli.Run("match", "--out", temp.Path).ExitCode, Is.EqualTo(0));

        var top = ReadCsv(temp["demand_matches.csv"]).Where(r => r["rank"] == "1").ToDictionary(r => r["demand_id"], r => r["achievement_id"]);
        using (Assert.EnterMultipleScope())
        {
            // The fixture covers every demand of the sample but those listed above, each with its reason.
            Assert.That(expected.Keys.Concat(s_withoutOneObviousAnswer.Keys), Is.EquivalentTo(top.Keys));
            Assert.That(top.Keys, Has.Count.EqualTo(60));
            foreach (var (demand, achievement) in expected)
            {
                Assert.That(top[demand], Is.EqualTo(achievement), $"top achievement for {demand}");
            }
        }

        // D001 (高镍三元正极材料残碱控制) → A001, with the terms that made it.
        var first = ReadCsv(temp["demand_matches.csv"]).First(r => r["demand_id"] == "D001" && r["rank"] == "1");
        Assert.That(first["matched_terms"], Does.Contain("高镍三元").And.Contain("正极材料"));
    }

    [Test]
    public void Match_TwoRuns_ByteIdenticalOutputs()
    {
        using var first = new TempDir();
        using var second = new TempDir();

        Cli.Run("match", "--out", first.Path);
        Cli.Run("match", "--out", second.Path);

        foreach (var file in new[] { "demand_matches.csv", "achievement_matches.csv", "run.trec", "pairs.csv", "agenda_by_slot.csv", "needs_manual_matching.csv", "agenda_by_organization.csv", "university_view.csv", "report.html", "report.xlsx", "report.json" })
        {
            Assert.That(File.ReadAllBytes(second[file]), Is.EqualTo(File.ReadAllBytes(first[file])), file);
        }
    }

    [Test]
    public void Match_OneThreadOrThree_ByteIdenticalOutputs()
    {
        // Indexing (several segments flushed in a varying order) and queries (blocks over threads) both use --threads.
        using var one = new TempDir();
        using var three = new TempDir();

        Assert.That(Cli.Run("match", "--out", one.Path, "--threads", "1").ExitCode, Is.EqualTo(0));
        Assert.That(Cli.Run("match", "--out", three.Path, "--threads", "3").ExitCode, Is.EqualTo(0));

        var files = Directory.GetFiles(one.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.That(Directory.GetFiles(three.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(files));
        Assert.That(files, Has.Count.EqualTo(11));
        foreach (var file in files)
        {
            Assert.That(File.ReadAllBytes(three[file!]), Is.EqualTo(File.ReadAllBytes(one[file!])), file);
        }
    }

    [Test]
    public void Match_DirectionDemands_SameDemandListsAndNoAchievementTable()
    {
        using var both = new TempDir();
        using var demandsOnly = new TempDir();

        Assert.That(Cli.Run("match", "--out", both.Path).ExitCode, Is.EqualTo(0));
        var result = Cli.Run("match", "--out", demandsOnly.Path, "--direction", "demands");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(result.Err, Does.Contain("matching top 10 per demand"));
            Assert.That(File.Exists(demandsOnly["achievement_matches.csv"]), Is.False);
            Assert.That(result.Out, Does.Not.Contain("achievement_matches.csv"));
            // With the reranker a recommendation's strength rests on its own pair, so the demands' lists are the same.
            Assert.That(File.ReadAllBytes(demandsOnly["demand_matches.csv"]), Is.EqualTo(File.ReadAllBytes(both["demand_matches.csv"])));
            Assert.That(File.ReadAllBytes(demandsOnly["run.trec"]), Is.EqualTo(File.ReadAllBytes(both["run.trec"])));
            // Pairs rest on the demands' lists alone: fewer pieces of evidence, never new ones.
            var evidenceBoth = File.ReadAllLines(both["pairs.csv"]).Length;
            var evidenceDemands = File.ReadAllLines(demandsOnly["pairs.csv"]).Length;
            Assert.That(evidenceDemands, Is.InRange(2, evidenceBoth));
        }

        Assert.That(Cli.Run("match", "--out", demandsOnly.Path, "--direction", "achievements").ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Match_ReverseDerived_SameDemandOutputsDerivedAchievementListsRepeatable()
    {
        using var byDefault = new TempDir();
        using var query = new TempDir();
        using var derived = new TempDir();
        using var again = new TempDir();

        Assert.That(Cli.Run("match", "--out", byDefault.Path, "--no-agenda").ExitCode, Is.EqualTo(0));
        Assert.That(Cli.Run("match", "--out", query.Path, "--no-agenda", "--reverse", "query").ExitCode, Is.EqualTo(0));
        var result = Cli.Run("match", "--out", derived.Path, "--no-agenda", "--reverse", "derived", "--threads", "1");
        Assert.That(Cli.Run("match", "--out", again.Path, "--no-agenda", "--reverse", "derived", "--threads", "3").ExitCode, Is.EqualTo(0));

        var files = Directory.GetFiles(query.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(result.Err, Does.Contain("achievements' lists derived from the demands'"));
            foreach (var file in files)
            {
                // The default is today's behaviour, and a derived run repeats itself byte for byte.
                Assert.That(File.ReadAllBytes(byDefault[file!]), Is.EqualTo(File.ReadAllBytes(query[file!])), file);
                Assert.That(File.ReadAllBytes(again[file!]), Is.EqualTo(File.ReadAllBytes(derived[file!])), file);
            }

            // The demands' lists are the demands' own either way; only the achievements' lists are made differently.
            Assert.That(File.ReadAllBytes(derived["demand_matches.csv"]), Is.EqualTo(File.ReadAllBytes(query["demand_matches.csv"])));
            Assert.That(File.ReadAllBytes(derived["run.trec"]), Is.EqualTo(File.ReadAllBytes(query["run.trec"])));
            Assert.That(File.ReadAllBytes(derived["achievement_matches.csv"]), Is.Not.EqualTo(File.ReadAllBytes(query["achievement_matches.csv"])));
            // The high-nickel cathode achievement is first on the cathode residual-alkali demand's list, so that demand heads its own.
            Assert.That(File.ReadLines(derived["achievement_matches.csv"]).Skip(1).First(), Does.StartWith("A001,1,D001,"));
        }
    }

    [Test]
    public void Match_ReverseDerivedWithoutReranker_SameDemandOutputs()
    {
        // BM25 lists carry a calibrated strength whose features depend on the list's length: the demands must not be
        // retrieved deeper for the inversion than for their own lists.
        using var query = new TempDir();
        using var derived = new TempDir();

        Assert.That(Cli.Run("match", "--out", query.Path, "--model", "none", "--no-agenda", "--no-report").ExitCode, Is.EqualTo(0));
        Assert.That(Cli.Run("match", "--out", derived.Path, "--model", "none", "--no-agenda", "--no-report", "--reverse", "derived").ExitCode, Is.EqualTo(0));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(File.ReadAllBytes(derived["demand_matches.csv"]), Is.EqualTo(File.ReadAllBytes(query["demand_matches.csv"])));
            Assert.That(File.ReadAllBytes(derived["run.trec"]), Is.EqualTo(File.ReadAllBytes(query["run.trec"])));
            Assert.That(File.ReadLines(derived["achievement_matches.csv"]).Count(), Is.GreaterThan(60));
        }
    }

    [Test]
    public void Match_ReverseDerivedWithoutAchievementLists_IsAUsageError()
    {
        using var output = new TempDir();

        var result = Cli.Run("match", "--out", output.Path, "--direction", "demands", "--reverse", "derived");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain("--reverse derived"));
            Assert.That(Cli.Run("match", "--out", output.Path, "--reverse", "inverted").ExitCode, Is.EqualTo(2));
        }
    }

    [Test]
    public void Match_MaxQueryTerms_FewerTermsChangeTheListsButNotTheirShape()
    {
        using var full = new TempDir();
        using var capped = new TempDir();

        Assert.That(Cli.Run("match", "--out", full.Path, "--no-report", "--no-agenda").ExitCode, Is.EqualTo(0));
        Assert.That(Cli.Run("match", "--out", capped.Path, "--no-report", "--no-agenda", "--max-query-terms", "3").ExitCode, Is.EqualTo(0));

        var fullRows = File.ReadAllLines(full["demand_matches.csv"]);
        var cappedRows = File.ReadAllLines(capped["demand_matches.csv"]);
        Assert.That(cappedRows[0], Is.EqualTo(fullRows[0]));
        Assert.That(cappedRows, Is.Not.EqualTo(fullRows), "three terms a query cannot find what the default finds");
    }

    [Test]
    public void Match_XlsxAchievements_SameResultsAsCsv()
    {
        using var fromCsv = new TempDir();
        using var fromXlsx = new TempDir();

        var csv = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--out", fromCsv.Path);
        var xlsx = Cli.Run("match", "-a", Cli.Sample("achievements.xlsx"), "-d", Cli.Sample("demands.csv"), "--out", fromXlsx.Path);

        Assert.That((csv.ExitCode, xlsx.ExitCode), Is.EqualTo((0, 0)), xlsx.Err);
        Assert.That(File.ReadAllBytes(fromXlsx["demand_matches.csv"]), Is.EqualTo(File.ReadAllBytes(fromCsv["demand_matches.csv"])));
    }

    [Test]
    public void Match_WithIndexFolder_SameResultsAndIncrementalSecondRun()
    {
        using var temp = new TempDir();

        var first = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--out", temp["a"]);
        var second = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--out", temp["b"], "--top-k", "3");
        var memory = Cli.Run("match", "--out", temp["c"], "--top-k", "3");

        Assert.That((first.ExitCode, second.ExitCode, memory.ExitCode), Is.EqualTo((0, 0, 0)), second.Err);
        Assert.That(File.ReadAllBytes(temp["b/demand_matches.csv"]), Is.EqualTo(File.ReadAllBytes(temp["c/demand_matches.csv"])));
    }

    [Test]
    public void Match_BadInput_ExitCode3NamesFileLineAndFieldAndWritesNothing()
    {
        using var temp = new TempDir();
        var demands = temp["demands.csv"];
        File.WriteAllText(demands, "需求编号,需求名称,需求描述\nD1,电池回收,退役动力电池梯次利用\n,缺少编号的需求,描述\n");

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", demands, "--out", temp["out"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain($"{demands}:3: field 'id': missing id"));
            Assert.That(Directory.Exists(temp["out"]) && Directory.EnumerateFiles(temp["out"]).Any(), Is.False);
        }
    }

    [Test]
    public void Match_OnBadRowSkip_ReportsAndContinues()
    {
        using var temp = new TempDir();
        var demands = temp["demands.csv"];
        File.WriteAllText(demands, "需求编号,需求名称,需求描述\nD1,电池回收,退役动力电池梯次利用\n,缺少编号的需求,描述\n");

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", demands, "--out", temp["out"], "--on-bad-row", "skip");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Err, Does.Contain("skipped: ").And.Contain("skipped 1 bad row(s)"));
    }

    [Test]
    public void Match_PreviousOutputs_UntouchedWhenARunFails()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run("match", "--out", temp.Path).ExitCode, Is.EqualTo(0));
        var before = File.ReadAllBytes(temp["demand_matches.csv"]);
        var broken = temp["broken.csv"];
        File.WriteAllText(broken, "需求编号,需求名称\nD1,\"未闭合的引号\n");

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", broken, "--out", temp.Path);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain("broken.csv:2").And.Contain("unbalanced quote"));
        Assert.That(File.ReadAllBytes(temp["demand_matches.csv"]), Is.EqualTo(before));
    }

    [TestCase(new[] { "match", "--achievements", "a.csv" }, "give both --achievements and --demands")]
    [TestCase(new[] { "match", "--top-k", "0" }, "--top-k must be at least 1")]
    [TestCase(new[] { "match", "--no-such-option" }, "no-such-option")]
    [TestCase(new[] { "match", "--analyzer", "ik" }, "ik")]
    [TestCase(new[] { "match", "--max-query-terms", "0" }, "--max-query-terms must be between 1 and 340")]
    [TestCase(new[] { "match", "--max-query-terms", "341" }, "--max-query-terms must be between 1 and 340")]
    [TestCase(new[] { "match", "--threads", "-1" }, "--threads must be 0 (all cores) or more")]
    [TestCase(new[] { "index", "--index", "x", "-a", "a.csv", "--threads", "-2" }, "--threads must be 0 (all cores) or more")]
    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    public void Usage_Errors_ExitCode2(string[] args, string message)
    {
        var result = Cli.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(message));
    }

    [TestCase("match")]
    [TestCase("index")]
    [TestCase("evaluate")]
    public void Help_EveryVerb_PrintsUsage(string verb)
    {
        var result = Cli.Run(verb, "--help");

        Assert.That(result.ExitCode, Is.EqualTo(0));
        Assert.That(result.Out, Does.Contain("Usage:").And.Contain(verb));
    }

    [Test]
    public void Match_MissingFile_ExitCode3()
    {
        var result = Cli.Run("match", "-a", "/nonexistent/a.csv", "-d", "/nonexistent/d.csv");

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain("/nonexistent/a.csv: file not found"));
    }
}

public sealed class OutputErrorTests
{
    [Test]
    public void Match_OutFolderIsAFile_ExitCode5()
    {
        using var temp = new TempDir();
        File.WriteAllText(temp["occupied"], "a file where the output folder should go");

        var result = Cli.Run("match", "--out", temp["occupied"], "--no-agenda", "--no-report", "--model", "none");

        Assert.That(result.ExitCode, Is.EqualTo(5));
        Assert.That(result.Err, Does.Contain("error: ").And.Contain("occupied"));
        Assert.That(File.ReadAllText(temp["occupied"]), Does.StartWith("a file"));
    }
}
