using System.Diagnostics;
using System.Text.Json;

namespace Matching.Cli.Tests;

public sealed class TrainCommandTests
{
    private static string Judgments(TempDir temp)
    {
        var path = temp["judgments.qrels"];
        File.WriteAllLines(path, File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t'))
            .Select(parts => $"{parts[0]} 0 {parts[1]} 1"));
        return path;
    }

    private static string[] TrainArgs(TempDir temp, string model, string leaves = "8") =>
    [
        "train", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", Judgments(temp),
        "--depth", "30", "--trees", "20", "--leaves", leaves, "--min-leaf", "5", "--folds", "2", "--out", model,
    ];

    [Test]
    public void Train_PrintsFoldsAndFeaturesByGain_WritesModel()
    {
        using var temp = new TempDir();

        var result = Cli.Run(TrainArgs(temp, temp["ranker.zip"]));

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Out, Does.Contain("fold 1").And.Contain("fold 2").And.Contain("mean").And.Contain("features by gain:"));
            Assert.That(result.Out, Does.Contain("BM25 MRR@10").And.Contain("reranked MRR@10"));
            Assert.That(File.Exists(temp["ranker.zip"]) && File.Exists(temp["ranker.json"]), Is.True);
        }
    }

    [Test]
    public void TrainedModel_LoadedInAFreshProcess_GivesIdenticalScores()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run(TrainArgs(temp, temp["ranker.zip"])).ExitCode, Is.EqualTo(0));
        string[] evaluate = ["evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", temp["judgments.qrels"], "--model", temp["ranker.zip"], "--depth", "30"];

        var inProcess = Cli.Run([.. evaluate, "--run-out", temp["in-process.trec"]]);
        var child = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Matching.Cli.dll"), .. evaluate, "--run-out", temp["child.trec"]])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var childOut = child.StandardOutput.ReadToEnd();
        child.StandardError.ReadToEnd();
        child.WaitForExit();

        Assert.That((inProcess.ExitCode, child.ExitCode), Is.EqualTo((0, 0)), inProcess.Err);
        Assert.That(File.ReadAllBytes(temp["child.trec"]), Is.EqualTo(File.ReadAllBytes(temp["in-process.trec"])));
        Assert.That(childOut, Is.EqualTo(inProcess.Out));
    }

    [Test]
    public void Train_BadOptions_ExitCode2()
    {
        using var temp = new TempDir();

        var result = Cli.Run(TrainArgs(temp, temp["ranker.zip"], leaves: "500"));

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("NumberOfLeaves must be between 2 and 64"));
    }
}

public sealed class RerankedEvaluateTests
{
    [Test]
    public void Evaluate_DefaultShippedModel_JsonHasBm25AndReranked()
    {
        using var temp = new TempDir();
        var judgments = temp["j.qrels"];
        File.WriteAllLines(judgments, File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t')).Select(parts => $"{parts[0]} 0 {parts[1]} 1"));

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", judgments, "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var keys = new[] { "mrr@10", "ndcg@10", "recall@10", "recall@100" };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.RootElement.GetProperty("bm25").EnumerateObject().Select(p => p.Name), Is.EqualTo(keys));
            Assert.That(json.RootElement.GetProperty("reranked").EnumerateObject().Select(p => p.Name), Is.EqualTo(keys));
            Assert.That(json.RootElement.GetProperty("reranked").GetProperty("mrr@10").GetDouble(), Is.EqualTo(1.0));
        }
    }

    [Test]
    public void Evaluate_JudgedOnly_ReportsMrrNdcgP1()
    {
        using var temp = new TempDir();
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv")).Select(l => l.Split('\t')).ToList();
        // Each demand: its best achievement (grade 1) and two judged non-relevant ones.
        File.WriteAllLines(temp["j.qrels"], expected.SelectMany(p => new[] { $"{p[0]} 0 {p[1]} 1", $"{p[0]} 0 A119 0", $"{p[0]} 0 A120 0" }).Distinct());
        File.WriteAllLines(temp["c.run"], expected.SelectMany(p => new[] { $"{p[0]} Q0 {p[1]} 1 0 judged", $"{p[0]} Q0 A119 2 0 judged", $"{p[0]} Q0 A120 3 0 judged" }).Distinct());

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"),
            "-j", temp["j.qrels"], "--candidates", temp["c.run"], "--judged-only", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var json = JsonDocument.Parse(result.Out);
        Assert.That(json.RootElement.GetProperty("reranked").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "mrr", "ndcg", "p@1" }));
        Assert.That(json.RootElement.GetProperty("queries").GetInt32(), Is.GreaterThan(40));
    }

    [Test]
    public void Evaluate_ModelWithOtherFeatures_ExitCode6()
    {
        using var temp = new TempDir();
        var bogus = temp["bogus.zip"];
        File.WriteAllBytes(bogus, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);

        var result = Cli.Run("match", "--model", bogus, "--out", temp["out"]);

        Assert.That(result.ExitCode, Is.EqualTo(6));
        Assert.That(result.Err, Does.Contain("bogus.zip"));
    }

    [Test]
    public void Match_ModelNone_BM25OrderAndTag()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--model", "none", "--out", temp.Path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(File.ReadAllLines(temp["run.trec"])[0], Does.EndWith("matching-bm25"));
    }

    [Test]
    public void Match_Default_UsesShippedModel()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--out", temp.Path);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(result.Err, Does.Contain("matching-ranker.zip").And.Contain("reranked"));
        Assert.That(File.ReadAllLines(temp["run.trec"])[0], Does.EndWith("matching-reranked"));
    }
}
