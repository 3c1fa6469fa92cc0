using System.Text.Json;
using Matching.Engine;
using Matching.Ingestion;
using Matching.Ranking;

namespace Matching.Tests.Engine;

/// <summary>Training on several data sets at once, the parameter search and the ship guard, on the sample event.
/// Two kinds of judged-only set over the same records and demand ids: "normal" (each demand's hand-checked answer
/// relevant, two other achievements not: BM25 ranks the answer first, so a reranker can only tie or lose) and
/// "inverted" (the answer judged non-relevant, the two others relevant: BM25 is wrong and a reranker that learns
/// "a high BM25 is bad" gains).</summary>
public sealed class MultiSetTrainingTests
{
    private static readonly RankerTrainingOptions s_small = new() { NumberOfTrees = 10, NumberOfLeaves = 4, MinimumExampleCountPerLeaf = 5, LearningRate = 0.1 };

    private static RankingData JudgedOnly(bool inverted)
    {
        var ids = SampleEvent.Achievements.Select(a => a.Id).ToList();
        var judgments = new List<Judgment>();
        var run = new List<RunEntry>();
        foreach (var (best, i) in SampleEvent.BestPairs.Select((b, i) => (b, i)))
        {
            var others = ids.Where(id => id != best.AchievementId).ToList();
            string[] list = [best.AchievementId, others[(i * 7) % others.Count], others[((i * 7) + 31) % others.Count]];
            judgments.AddRange(list.Select((id, k) => new Judgment(best.DemandId, id, (k == 0) != inverted ? 1 : 0)));
            run.AddRange(list.Select((id, k) => new RunEntry(best.DemandId, id, k + 1, 0)));
        }

        return new RankingData
        {
            Achievements = SampleEvent.Achievements,
            Demands = SampleEvent.Demands,
            Judgments = judgments,
            Candidates = run,
            JudgedOnly = true,
        };
    }

    private static RankingData Retrieved() => new()
    {
        Achievements = SampleEvent.Achievements,
        Demands = SampleEvent.Demands,
        Judgments = SampleEvent.BestPairs,
        Depth = 20,
    };

    [Test]
    public void Train_TwoSets_OneModelWithEachSetsFoldsAndGroupsUnderSeparateIds()
    {
        using var temp = new TempDirectory();
        TrainingSet[] sets = [new("retrieved", Retrieved()), new("judged", JudgedOnly(inverted: false), 2)];

        var report = RankerWorkflow.Train(sets, s_small, temp.File("m.zip"), new TrainingPlan { Folds = 2 }, log: null);

        var metadata = report.Model.Metadata;
        var beside = JsonSerializer.Deserialize<RankerMetadata>(File.ReadAllText(temp.File("m.json")), RankerModel.Json)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.Sets!.Select(s => s.Name), Is.EqualTo(new[] { "retrieved", "judged" }));
            Assert.That(metadata.Sets!.Select(s => s.Weight), Is.EqualTo(new[] { 1.0, 2.0 }));
            // The same demand ids in both sets: pooled as separate LambdaRank groups, not merged.
            Assert.That(metadata.TrainingGroups, Is.EqualTo(metadata.Sets!.Sum(s => s.Groups)).And.EqualTo(SampleEvent.BestPairs.Count * 2));
            Assert.That(metadata.Sets!.Select(s => s.Folds.Count), Is.EqualTo(new[] { 2, 2 }));
            Assert.That(metadata.Sets![0].Mean!.Bm25.Full, Is.Not.Null, "a retrieved set reports MRR@10");
            Assert.That(metadata.Sets![1].Mean!.Bm25.Judged, Is.Not.Null, "a judged-only set reports MRR");
            Assert.That(metadata.Sets![0].Folds.Sum(f => f.Bm25.Full!.Queries), Is.EqualTo(SampleEvent.BestPairs.Count), "every held-out demand scored once");
            Assert.That(metadata.Parameters["sets"], Is.EqualTo("retrieved,judged"));
            Assert.That(metadata.Folds, Is.Empty);
            Assert.That(metadata.Selection, Is.Null);
            Assert.That(beside.Sets!.Select(s => s.DataHash), Is.EqualTo(metadata.Sets!.Select(s => s.DataHash)));
        }
    }

    [Test]
    public void Rows_GroupIdsOfTwoSetsNeverCollide_AndADuplicateIdIsRefused()
    {
        var group = new RankingGroup("D001", ["A1", "A2"], new float[2 * Matching.Features.PairFeatures.Count], [1, 0], [true, true]);

        var rows = RankerTrainer.Rows([new KeyedGroup("a/D001", group, 1), new KeyedGroup("b/D001", group, 2)]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => r.GroupId).Distinct(), Is.EqualTo(new[] { "a/D001", "b/D001" }));
            Assert.That(rows.Select(r => r.Weight), Is.EqualTo(new[] { 1f, 1f, 2f, 2f }));
            Assert.That(() => RankerTrainer.Rows([new KeyedGroup("D001", group, 1), new KeyedGroup("D001", group, 1)]),
                Throws.ArgumentException.With.Message.Contains("'D001'"));
        }
    }

    [Test]
    public void Train_Search_PicksThePointThatCanLearn_AndRecordsEveryPoint()
    {
        using var temp = new TempDirectory();
        // Point 1 cannot split (a leaf needs more examples than a fold has), so it keeps the BM25 order: gain 0.
        // Point 2 learns that a high BM25 is bad here, which every held-out demand confirms: gain > 0.
        var grid = new ParameterGrid { Trees = [10], Leaves = [4], MinimumExampleCountPerLeaf = [1000, 5], LearningRates = [0.1] };

        var report = RankerWorkflow.Train([new TrainingSet("inverted", JudgedOnly(inverted: true))], s_small, temp.File("m.zip"),
            new TrainingPlan { Folds = 2, Search = grid }, log: null);

        var selection = report.Model.Metadata.Selection!;
        var beside = JsonSerializer.Deserialize<RankerMetadata>(File.ReadAllText(temp.File("m.json")), RankerModel.Json)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(selection.Points.Select(p => p.Parameters["min_examples_per_leaf"]), Is.EqualTo(new[] { "1000", "5" }));
            Assert.That(selection.Points[0].MacroGain, Is.EqualTo(0));
            Assert.That(selection.Points[1].MacroGain, Is.GreaterThan(0.2));
            Assert.That(selection.Points[1].Sets[0].Metric, Is.EqualTo("mrr"));
            Assert.That(selection.Points[1].Sets[0].FoldGains, Has.Count.EqualTo(2));
            Assert.That(selection.Chosen, Is.EqualTo(2));
            Assert.That(selection.NoLossPoint, Is.True);
            Assert.That(selection.Rule, Is.EqualTo(RankerWorkflow.SelectionRule));
            Assert.That(report.Model.Metadata.Parameters["min_examples_per_leaf"], Is.EqualTo("5"), "the final model uses the chosen point");
            Assert.That(beside.Selection!.Chosen, Is.EqualTo(2));
            Assert.That(beside.Selection.Points, Has.Count.EqualTo(2));
        }
    }

    [Test]
    public void Train_RequireNoLoss_ASetBelowBm25_RefusedAndNothingWritten()
    {
        using var temp = new TempDirectory();
        // The inverted set outweighs the normal one a hundredfold: the model learns "a high BM25 is bad", which ranks the
        // normal set's answers last although BM25 ranks them first.
        TrainingSet[] sets = [new("inverted", JudgedOnly(inverted: true), 100), new("normal", JudgedOnly(inverted: false))];

        Assert.That(() => RankerWorkflow.Train(sets, s_small, temp.File("m.zip"), new TrainingPlan { Folds = 2, RequireNoLoss = true }, log: null),
            Throws.TypeOf<RankerLossException>().With.Message.Contains("set 'normal'").And.Message.Not.Contains("set 'inverted'"));
        Assert.That(Directory.GetFiles(temp.Path), Is.Empty);
    }

    [Test]
    public void Train_RequireNoLoss_DevSetBelowBm25_Refused()
    {
        using var temp = new TempDirectory();

        Assert.That(() => RankerWorkflow.Train([new TrainingSet("inverted", JudgedOnly(inverted: true))], s_small, temp.File("m.zip"),
                new TrainingPlan { RequireNoLoss = true, Dev = [new TrainingSet("normal", JudgedOnly(inverted: false))] }, log: null),
            Throws.TypeOf<RankerLossException>().With.Message.Contains("development set 'normal'"));
        Assert.That(File.Exists(temp.File("m.zip")), Is.False);
    }

    [Test]
    public void Train_DevSet_EvaluatedAndRecorded()
    {
        using var temp = new TempDirectory();

        var report = RankerWorkflow.Train([new TrainingSet("inverted", JudgedOnly(inverted: true))], s_small, temp.File("m.zip"),
            new TrainingPlan { Dev = [new TrainingSet("normal", JudgedOnly(inverted: false))] }, log: null);

        var dev = report.Model.Metadata.Dev!.Single();
        Assert.That((dev.Set, dev.Bm25.Judged!.Mrr), Is.EqualTo(("normal", 1.0)));
        Assert.That(dev.Reranked.Judged!.Mrr, Is.LessThan(1.0));
    }

    [Test]
    public void Train_TwoSetsSameSeed_ByteIdenticalModels()
    {
        using var temp = new TempDirectory();
        TrainingSet[] sets = [new("retrieved", Retrieved()), new("judged", JudgedOnly(inverted: false), 2)];

        RankerWorkflow.Train(sets, s_small, temp.File("a.zip"), new TrainingPlan(), log: null);
        RankerWorkflow.Train(sets, s_small, temp.File("b.zip"), new TrainingPlan(), log: null);

        Assert.That(File.ReadAllBytes(temp.File("b.zip")), Is.EqualTo(File.ReadAllBytes(temp.File("a.zip"))));
    }

    [TestCase("trees=100,300;leaves=8", 8)]
    [TestCase("", 24)]
    [TestCase("min-leaf=5;learning-rate=0.1", 6)]
    public void ParameterGrid_Parse_PointsInOrder(string spec, int count)
    {
        var points = ParameterGrid.Parse(spec).Points(new RankerTrainingOptions { Seed = 7 });

        Assert.That(points, Has.Count.EqualTo(count));
        Assert.That(points.Select(p => p.Seed), Has.All.EqualTo(7));
    }

    [TestCase("depth=3", "unknown key 'depth'")]
    [TestCase("trees=x", "trees value 'x'")]
    [TestCase("leaves=100", "NumberOfLeaves")]
    public void ParameterGrid_Bad_Refused(string spec, string message) =>
        Assert.That(() => ParameterGrid.Parse(spec).Points(new RankerTrainingOptions()), Throws.ArgumentException.With.Message.Contains(message));
}
