using System.Text.Json;

namespace Matching.Cli.Tests;

/// <summary><c>train --sets</c>, <c>--search</c>, <c>--require-no-loss</c> and <c>--dev</c> on the sample event. The
/// judged-only sets are "normal" (each demand's hand-checked answer relevant, two other achievements not: BM25 ranks
/// the answer first) or "inverted" (the answer judged non-relevant, the others relevant: a reranker gains by learning
/// that a high BM25 is bad, and then loses on a normal set).</summary>
public sealed class TrainSetsCommandTests
{
    private static readonly string[] s_small = ["--trees", "10", "--leaves", "4", "--min-leaf", "5", "--learning-rate", "0.1"];

    /// <summary>Writes NAME.qrels and NAME.run of a judged-only set into the folder.</summary>
    private static void JudgedOnlySet(TempDir temp, string name, bool inverted)
    {
        var best = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv")).Select(l => l.Split('\t')).ToList();
        var ids = Matching.Ingestion.RecordReader.ReadAchievements(Cli.Sample("achievements.csv")).Records.Select(a => a.Id).ToList();
        var qrels = new List<string>();
        var run = new List<string>();
        for (var i = 0; i < best.Count; i++)
        {
            var others = ids.Where(id => id != best[i][1]).ToList();
            string[] list = [best[i][1], others[(i * 7) % others.Count], others[((i * 7) + 31) % others.Count]];
            qrels.AddRange(list.Select((id, k) => $"{best[i][0]} 0 {id} {((k == 0) != inverted ? 1 : 0)}"));
            run.AddRange(list.Select((id, k) => $"{best[i][0]} Q0 {id} {k + 1} 0 test"));
        }

        File.WriteAllLines(temp[name + ".qrels"], qrels);
        File.WriteAllLines(temp[name + ".run"], run);
    }

    private static string Entry(TempDir temp, string name, string judgments, double weight = 1) =>
        $$"""{"name": "{{name}}", "achievements": {{JsonSerializer.Serialize(Cli.Sample("achievements.csv"))}}, "demands": {{JsonSerializer.Serialize(Cli.Sample("demands.csv"))}}, "judgments": "{{judgments}}.qrels", "candidates": "{{judgments}}.run", "judged_only": true, "weight": {{weight}}}""";

    private static string SetsFile(TempDir temp, string file, params string[] entries)
    {
        File.WriteAllText(temp[file], $$"""{"sets": [{{string.Join(",\n", entries)}}]}""");
        return temp[file];
    }

    [Test]
    public void Train_TwoSets_PrintsEachSetsFoldsAndTheMacroMean_OneModel()
    {
        using var temp = new TempDir();
        JudgedOnlySet(temp, "normal", inverted: false);
        JudgedOnlySet(temp, "inverted", inverted: true);
        // Relative paths ("normal.qrels") resolve against the sets file's folder.
        var sets = SetsFile(temp, "sets.json", Entry(temp, "first", "normal"), Entry(temp, "second", "inverted", weight: 0.5));

        var result = Cli.Run(["train", "--sets", sets, "--folds", "2", "--out", temp["m.zip"], .. s_small]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var metadata = JsonDocument.Parse(File.ReadAllText(temp["m.json"]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Out, Does.Contain("set first (weight 1)").And.Contain("set second (weight 0.5)").And.Contain("macro mean"));
            Assert.That(result.Out, Does.Contain("  fold 2    BM25 MRR"));
            Assert.That(result.Err, Does.Contain("set second: 2 folds of demands sharing relevant achievements"));
            Assert.That(metadata.RootElement.GetProperty("Sets").GetArrayLength(), Is.EqualTo(2));
            Assert.That(metadata.RootElement.GetProperty("Parameters").GetProperty("sets").GetString(), Is.EqualTo("first,second"));
        }
    }

    [Test]
    public void Train_Search_PrintsEveryPointAndTheChosenOne_RecordsTheSelection()
    {
        using var temp = new TempDir();
        JudgedOnlySet(temp, "inverted", inverted: true);
        var sets = SetsFile(temp, "sets.json", Entry(temp, "inverted", "inverted"));

        var result = Cli.Run(["train", "--sets", sets, "--folds", "2", "--search", "--grid", "trees=10;leaves=4;min-leaf=1000,5;learning-rate=0.1", "--out", temp["m.zip"]]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var metadata = JsonDocument.Parse(File.ReadAllText(temp["m.json"]));
        var selection = metadata.RootElement.GetProperty("Selection");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Out, Does.Contain("search      2 points; rule: ").And.Contain("chosen      point 2"));
            Assert.That(result.Out, Does.Match(@"\*   2    10      4        5    0\.1 +\+0\.\d{4}"));
            Assert.That(result.Err, Does.Contain("the learner made no split"));
            Assert.That(selection.GetProperty("Chosen").GetInt32(), Is.EqualTo(2));
            Assert.That(selection.GetProperty("Points").GetArrayLength(), Is.EqualTo(2));
            Assert.That(metadata.RootElement.GetProperty("Parameters").GetProperty("min_examples_per_leaf").GetString(), Is.EqualTo("5"));
        }
    }

    [Test]
    public void Train_RequireNoLoss_ASetBelowBm25_ExitCode8AndNoModel()
    {
        using var temp = new TempDir();
        JudgedOnlySet(temp, "normal", inverted: false);
        JudgedOnlySet(temp, "inverted", inverted: true);
        var sets = SetsFile(temp, "sets.json", Entry(temp, "inverted", "inverted", weight: 100), Entry(temp, "normal", "normal"));

        var result = Cli.Run(["train", "--sets", sets, "--folds", "2", "--require-no-loss", "--out", temp["m.zip"], .. s_small]);

        Assert.That(result.ExitCode, Is.EqualTo(8), result.Err);
        Assert.That(result.Err, Does.Contain("--require-no-loss").And.Contain("set 'normal'").And.Contain("no model written"));
        Assert.That(File.Exists(temp["m.zip"]) || File.Exists(temp["m.json"]), Is.False);
    }

    [Test]
    public void Train_RequireNoLoss_DevSetBelowBm25_ExitCode8()
    {
        using var temp = new TempDir();
        JudgedOnlySet(temp, "normal", inverted: false);
        JudgedOnlySet(temp, "inverted", inverted: true);
        var sets = SetsFile(temp, "sets.json", Entry(temp, "inverted", "inverted"));
        var dev = SetsFile(temp, "dev.json", Entry(temp, "normal", "normal"));

        var result = Cli.Run(["train", "--sets", sets, "--dev", dev, "--require-no-loss", "--out", temp["m.zip"], .. s_small]);

        Assert.That(result.ExitCode, Is.EqualTo(8), result.Err);
        Assert.That(result.Err, Does.Contain("development set 'normal'"));
        Assert.That(File.Exists(temp["m.zip"]), Is.False);
    }

    [Test]
    public void Train_BadSetsFile_ExitCode3NamingFileAndField()
    {
        using var temp = new TempDir();
        var sets = SetsFile(temp, "sets.json", """{"name": "x", "achievements": "nope.csv", "demands": "d.csv", "judgments": "j.qrels"}""");

        var result = Cli.Run("train", "--sets", sets, "--out", temp["m.zip"]);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(result.Err, Does.Contain(sets).And.Contain("field 'sets[0].achievements': file not found"));
    }

    [TestCase("--sets", "s.json", "-a", "a.csv", "--sets replaces --achievements")]
    [TestCase("-a", "a.csv", "-d", "d.csv", "train needs --judgments (or --sets FILE)")]
    [TestCase("--sets", "s.json", "--search", "", "--search needs --folds K")]
    [TestCase("--sets", "s.json", "--require-no-loss", "", "--require-no-loss needs --folds K")]
    public void Train_InconsistentOptions_ExitCode2(string a, string b, string c, string d, string message)
    {
        using var temp = new TempDir();
        string[] args = ["train", "--out", temp["m.zip"], a, b, c, .. d.Length > 0 ? new[] { d } : []];

        var result = Cli.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(message));
    }
}
