using System.Text.Json;

namespace Matching.Cli.Tests;

public sealed class IndexCommandTests
{
    [Test]
    public void Index_BuildThenRerun_SecondRunChangesNothing()
    {
        using var temp = new TempDir();
        string[] args = ["index", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"]];

        var first = Cli.Run(args);
        var second = Cli.Run(args);

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Out, Does.Contain("achievements: 120 added, 0 updated, 0 unchanged, 0 deleted, 120 in index"));
            Assert.That(second.Out, Does.Contain("achievements: 0 added, 0 updated, 120 unchanged, 0 deleted, 120 in index"));
            Assert.That(second.Out, Does.Contain("demands: 0 added, 0 updated, 60 unchanged, 0 deleted, 60 in index"));
        }
    }

    [Test]
    public void Index_ChangedRecordAndPrune_UpdatesAndDeletes()
    {
        using var temp = new TempDir();
        Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"]);
        var fewer = temp["two.jsonl"];
        File.WriteAllLines(fewer,
        [
            """{"id": "A001", "title": "高镍三元正极材料表面包覆改性（修订版）", "keywords": ["正极材料"]}""",
            """{"id": "A002", "title": "一种新的硅碳负极材料", "abstract": "采用化学气相沉积在多孔硅表面包覆碳层。"}""",
        ]);

        var result = Cli.Run("index", "-a", fewer, "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--prune");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain("achievements: 0 added, 2 updated, 0 unchanged, 118 deleted, 2 in index"));
    }

    [Test]
    public void Index_OtherAnalyzer_ExitCode4WithClearMessage()
    {
        using var temp = new TempDir();
        Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "--index", temp["index"], "--analyzer", "smartcn");

        var result = Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "--index", temp["index"]);
        var rebuilt = Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "--index", temp["index"], "--rebuild");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(result.Err, Does.Contain("was built with analyzer 'smartcn/").And.Contain("--rebuild"));
            Assert.That(rebuilt.ExitCode, Is.EqualTo(0), rebuilt.Err);
        }
    }

    [Test]
    public void Index_PruneWithOneInput_Refused()
    {
        var result = Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "--index", "unused", "--prune");

        Assert.That(result.ExitCode, Is.EqualTo(2));
    }
}

public sealed class EvaluateCommandTests
{
    private static string WriteJudgments(TempDir temp)
    {
        var path = temp["judgments.qrels"];
        File.WriteAllLines(path, File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t'))
            .Select(parts => $"{parts[0]} 0 {parts[1]} 1"));
        return path;
    }

    [Test]
    public void Evaluate_Json_PrintsExactlyOneObjectWithTheMetrics()
    {
        using var temp = new TempDir();

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"),
            "-j", WriteJudgments(temp), "--json", "--run-out", temp["run.trec"], "--model", "none");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var bm25 = json.RootElement.GetProperty("bm25");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.RootElement.GetProperty("queries").GetInt32(), Is.EqualTo(59), "every demand of sample_expected_top1.tsv");
            Assert.That(bm25.GetProperty("mrr@10").GetDouble(), Is.EqualTo(1.0));
            Assert.That(bm25.GetProperty("ndcg@10").GetDouble(), Is.EqualTo(1.0));
            Assert.That(bm25.GetProperty("recall@10").GetDouble(), Is.EqualTo(1.0));
            Assert.That(bm25.GetProperty("recall@100").GetDouble(), Is.EqualTo(1.0));
            Assert.That(File.ReadAllLines(temp["run.trec"])[0], Does.Match(@"^D001 Q0 A001 1 \d+(\.\d+)? matching-bm25$"));
        }
    }

    [Test]
    public void Evaluate_MaxQueryTerms_OneTermAQueryRanksWorseThanTheDefault()
    {
        using var temp = new TempDir();
        var judgments = WriteJudgments(temp);

        var full = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments, "--json", "--model", "none");
        var capped = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments, "--json", "--model", "none",
            "--max-query-terms", "1");

        Assert.That((full.ExitCode, capped.ExitCode), Is.EqualTo((0, 0)), capped.Err);
        using var fullJson = JsonDocument.Parse(full.Out);
        using var cappedJson = JsonDocument.Parse(capped.Out);
        var mrr = (JsonDocument d) => d.RootElement.GetProperty("bm25").GetProperty("mrr@10").GetDouble();
        Assert.That(mrr(cappedJson), Is.LessThan(mrr(fullJson)), "a demand's rarest word alone does not find every answer first");
    }

    [TestCase("0")]
    [TestCase("341")]
    public void Evaluate_MaxQueryTermsOutOfRange_ExitCode2(string cap)
    {
        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", "j.qrels", "--max-query-terms", cap);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--max-query-terms must be between 1 and 340"));
    }

    [Test]
    public void Evaluate_Table_ListsMetrics()
    {
        using var temp = new TempDir();

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", WriteJudgments(temp));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Out, Does.Contain("mrr@10      1.0000").And.Contain("recall@100"));
    }

    [Test]
    public void Evaluate_BadJudgmentsLine_ExitCode3WithLine()
    {
        using var temp = new TempDir();
        var judgments = temp["bad.qrels"];
        File.WriteAllText(judgments, "D001 0 A001 1\nD002 0 A002\n");

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain("bad.qrels:2"));
    }
}
