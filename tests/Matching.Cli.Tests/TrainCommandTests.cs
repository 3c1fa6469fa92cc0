using Matching.Ranking;
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
    public void Train_SemanticOn_ModelUsesTheCosine_RefusedWithoutTheRoute_ExitCode2()
    {
        using var temp = new TempDir();
        var train = Cli.Run([.. TrainArgs(temp, temp["semantic.zip"]), "--semantic", "on"]);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.Err);
        var metadata = RankerModel.ReadMetadata(temp["semantic.zip"]);

        string[] match = ["match", "--no-agenda", "--no-report", "--model", temp["semantic.zip"]];
        var without = Cli.Run([.. match, "--out", temp["off"]]);
        var with = Cli.Run([.. match, "--out", temp["on"], "--semantic", "on"]);
        var evaluate = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", temp["judgments.qrels"], "--model", temp["semantic.zip"]);
        var explain = Cli.Run("explain", "--demand", "D001", "--achievement", "A001", "--model", temp["semantic.zip"], "--semantic", "on");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.UsesSemanticCosine(), Is.True);
            Assert.That(metadata.Parameters[RankerMetadata.SemanticCosineParameter], Is.EqualTo("on"));
            Assert.That(without.ExitCode, Is.EqualTo(2), without.Err);
            Assert.That(without.Err, Does.Contain("trained with text vectors").And.Contain("--semantic on"));
            Assert.That(Directory.Exists(temp["off"]) && Directory.EnumerateFileSystemEntries(temp["off"]).Any(), Is.False, "nothing written");
            Assert.That(evaluate.ExitCode, Is.EqualTo(2), evaluate.Err);
            Assert.That(with.ExitCode, Is.EqualTo(0), with.Err);
            Assert.That(explain.ExitCode, Is.EqualTo(0), explain.Err);
            Assert.That(RankerModel.ReadMetadata(RankerModel.DefaultPath).UsesSemanticCosine(), Is.False, "the default model needs no vectors");
        }
    }

    [TestCase(null, "2 folds of demands sharing relevant achievements (")]
    [TestCase("components", "2 folds of demands sharing relevant achievements (")]
    [TestCase("demands", "2 folds of single demands (ungrouped")]
    public void Train_FoldGroups_LogsTheSplitAndItsSizesAndRecordsIt(string? groups, string logged)
    {
        using var temp = new TempDir();
        string[] args = TrainArgs(temp, temp["ranker.zip"]);

        var result = Cli.Run(groups is null ? args : [.. args, "--fold-groups", groups]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var metadata = JsonDocument.Parse(File.ReadAllText(temp["ranker.json"]));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Err, Does.Contain(logged));
            Assert.That(result.Err, Does.Match(@"seed 1\): \d+, \d+ demands"));
            Assert.That(metadata.RootElement.GetProperty("Parameters").GetProperty("fold_groups").GetString(), Is.EqualTo(groups ?? "components"));
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
    public void Evaluate_JudgedOnly_MetricsEqualAnIndependentComputation()
    {
        using var temp = new TempDir();
        var best = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv")).Select(l => l.Split('\t')).ToList();
        var achievementIds = Matching.Ingestion.RecordReader.ReadAchievements(Cli.Sample("achievements.csv")).Records.Select(a => a.Id).ToList();
        // Per demand: its hand-checked best achievement (grade 2), two judged non-relevant ones, every third demand also a
        // partly relevant one (grade 1), and one unjudged candidate that judged-only lists must drop. Every fifth demand has
        // no non-relevant judgment, so judged-only evaluation must leave it out; for some, the judgments contradict the
        // text (the best achievement judged 0, another one 1), so that neither ranking is perfect.
        var grades = new Dictionary<string, Dictionary<string, int>>();
        var runs = new Dictionary<string, List<string>>();
        for (var i = 0; i < best.Count; i++)
        {
            var (demand, answer) = (best[i][0], best[i][1]);
            var others = achievementIds.Where(id => id != answer).ToList();
            var pick = (int k) => others[((i * 7) + (k * 31)) % others.Count];
            grades[demand] = (i % 5, i % 4) switch
            {
                (4, _) => new() { [answer] = 2 },
                (_, 1) => new() { [answer] = 0, [pick(1)] = 1, [pick(2)] = 0 },
                _ => new() { [answer] = 2, [pick(1)] = 0, [pick(2)] = 0 },
            };
            if (i % 3 == 0)
            {
                grades[demand][pick(3)] = 1;
            }

            // Candidate order as a first-stage run might give it: the answer last, so the BM25 baseline has to re-sort.
            runs[demand] = [.. grades[demand].Keys.Where(id => id != answer), pick(4), answer];
        }

        File.WriteAllLines(temp["j.qrels"], grades.SelectMany(d => d.Value.Select(g => $"{d.Key} 0 {g.Key} {g.Value}")));
        File.WriteAllLines(temp["c.run"], runs.SelectMany(d => d.Value.Select((id, r) => $"{d.Key} Q0 {id} {r + 1} 0 first-stage")));

        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"),
            "-j", temp["j.qrels"], "--candidates", temp["c.run"], "--judged-only", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        using var json = JsonDocument.Parse(result.Out);
        var (queries, bm25, reranked) = JudgedOnlyByHand(grades, runs);
        TestContext.Out.WriteLine($"reported {result.Out.Trim()}; by hand: {queries} queries, BM25 {bm25}, reranked {reranked}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(json.RootElement.GetProperty("queries").GetInt32(), Is.EqualTo(queries).And.EqualTo(best.Count - (best.Count / 5)));
            foreach (var (name, expected) in new[] { ("bm25", bm25), ("reranked", reranked) })
            {
                var reported = json.RootElement.GetProperty(name);
                Assert.That(reported.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "mrr", "ndcg", "p@1" }));
                // Printed rounded to 6 decimals.
                Assert.That(reported.GetProperty("mrr").GetDouble(), Is.EqualTo(expected.Mrr).Within(5e-7), name);
                Assert.That(reported.GetProperty("ndcg").GetDouble(), Is.EqualTo(expected.Ndcg).Within(5e-7), name);
                Assert.That(reported.GetProperty("p@1").GetDouble(), Is.EqualTo(expected.P1).Within(5e-7), name);
            }

            // Not a degenerate case: no metric is 0 or 1, and the two orders differ.
            Assert.That(new[] { bm25.Mrr, bm25.Ndcg, bm25.P1, reranked.Mrr, reranked.Ndcg, reranked.P1 }, Has.All.InRange(0.3, 0.9999));
            Assert.That(reranked, Is.Not.EqualTo(bm25));
        }
    }

    /// <summary>Judged-only evaluation written out from its definition (README, "evaluate"): demands with a relevant and a
    /// judged non-relevant achievement; each list condensed to its judged candidates; BM25 orders it by the bm25 pair
    /// feature, the reranker by the shipped model's score (ties: the BM25 order); MRR of the first relevant, nDCG with
    /// gains 2^grade − 1 against the list's own best order, P@1.</summary>
    private static (int Queries, (double Mrr, double Ndcg, double P1) Bm25, (double Mrr, double Ndcg, double P1) Reranked) JudgedOnlyByHand(
        Dictionary<string, Dictionary<string, int>> grades, Dictionary<string, List<string>> runs)
    {
        var achievements = Matching.Ingestion.RecordReader.ReadAchievements(Cli.Sample("achievements.csv")).Records;
        var demands = Matching.Ingestion.RecordReader.ReadDemands(Cli.Sample("demands.csv")).Records;
        var space = Matching.Features.FeatureSpace.Build(achievements, demands);
        var model = Matching.Ranking.RankerModel.LoadDefault();
        var n = Matching.Features.PairFeatures.Count;
        var lists = new List<(int[] Bm25, int[] Reranked)>();
        foreach (var demand in demands.Where(d => grades.TryGetValue(d.Id, out var g) && g.Values.Any(v => v > 0) && g.Values.Any(v => v == 0)))
        {
            var judged = grades[demand.Id];
            var ids = runs[demand.Id].Where(judged.ContainsKey).ToList();
            var features = space.ForDemand(demand.Id, ids);
            var scores = new float[ids.Count];
            model.Score(features, ids.Count, scores);
            var bm25 = Enumerable.Range(0, ids.Count).OrderByDescending(i => features[i * n]).ThenBy(i => i).ToList();
            var reranked = bm25.OrderByDescending(i => scores[i]).ToList();
            lists.Add(([.. bm25.Select(i => judged[ids[i]])], [.. reranked.Select(i => judged[ids[i]])]));
        }

        static (double Mrr, double Ndcg, double P1) Metrics(IEnumerable<int[]> ranked)
        {
            double mrr = 0, ndcg = 0, p1 = 0;
            var count = 0;
            foreach (var list in ranked)
            {
                count++;
                var first = Array.FindIndex(list, g => g > 0);
                mrr += first < 0 ? 0 : 1.0 / (first + 1);
                p1 += list[0] > 0 ? 1 : 0;
                static double Dcg(IEnumerable<int> gains) => gains.Select((g, r) => (Math.Pow(2, g) - 1) / Math.Log2(r + 2)).Sum();
                ndcg += Dcg(list) / Dcg(list.OrderByDescending(g => g));
            }

            return (mrr / count, ndcg / count, p1 / count);
        }

        return (lists.Count, Metrics(lists.Select(l => l.Bm25)), Metrics(lists.Select(l => l.Reranked)));
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
