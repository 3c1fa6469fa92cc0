using System.IO.Compression;
using System.Text.Json;
using Matching.Engine;
using Matching.Features;
using Matching.Ranking;
using Matching.Ingestion;

namespace Matching.Tests.Ranking;

public sealed class RankerWorkflowTests
{
    private static readonly RankerTrainingOptions s_small = new() { NumberOfTrees = 30, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 5, LearningRate = 0.1 };

    private TempDirectory _temp = null!;
    private TrainingReport _report = null!;

    private static RankingData SampleData(int depth = 30) => new()
    {
        Achievements = SampleEvent.Achievements,
        Demands = SampleEvent.Demands,
        Judgments = SampleEvent.BestPairs,
        Depth = depth,
    };

    [OneTimeSetUp]
    public void TrainOnce()
    {
        _temp = new TempDirectory();
        _report = RankerWorkflow.Train(SampleData(), s_small, _temp.File("ranker.zip"), folds: 2);
    }

    [OneTimeTearDown]
    public void Cleanup() => _temp.Dispose();

    [Test]
    public void Train_WritesModelAndMetadataBesideIt()
    {
        var metadata = _report.Model.Metadata;
        var beside = JsonSerializer.Deserialize<RankerMetadata>(File.ReadAllText(_temp.File("ranker.json")), RankerModel.Json)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.FeatureHash, Is.EqualTo(PairFeatures.Hash));
            Assert.That(metadata.FeatureNames, Is.EqualTo(PairFeatures.Names));
            Assert.That(metadata.Trainer, Is.EqualTo("lightgbm"));
            Assert.That(metadata.TrainingGroups, Is.EqualTo(SampleEvent.BestPairs.Count));
            Assert.That(metadata.Folds, Has.Count.EqualTo(2));
            Assert.That(metadata.Mean!.Bm25.Full!.Queries, Is.EqualTo(SampleEvent.BestPairs.Count));
            Assert.That(metadata.Importance.Select(f => f.Gain), Is.Ordered.Descending);
            Assert.That(metadata.Importance[0].Gain, Is.EqualTo(1.0));
            Assert.That(beside.TrainingDataHash, Is.EqualTo(metadata.TrainingDataHash));
            Assert.That(_report.Model.TreeCount, Is.InRange(1, 30), "LightGBM stops early once the tiny set is fitted");
        }
    }

    [Test]
    public void Train_SameDataAndSeed_SameScores()
    {
        using var temp = new TempDirectory();
        var again = RankerWorkflow.Train(SampleData(), s_small, temp.File("again.zip"));
        var space = FeatureSpace.Build(SampleEvent.Achievements, SampleEvent.Demands);
        var rows = space.ForDemand("D001", [.. SampleEvent.Achievements.Select(a => a.Id)]);

        var first = new float[120];
        var second = new float[120];
        _report.Model.Score(rows, 120, first);
        again.Model.Score(rows, 120, second);

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCase(nameof(ScoringKernel.Scalar))]
    [TestCase(nameof(ScoringKernel.Vector256))]
    [TestCase(nameof(ScoringKernel.Avx512))]
    public void CompiledScores_EqualMlNetScoresBitForBit_OnThousandsOfRealPairs(string kernel)
    {
        var pinned = CompiledTreeEnsembleTests.Runnable(kernel);
        var space = FeatureSpace.Build(SampleEvent.Achievements, SampleEvent.Demands);
        var ids = SampleEvent.Achievements.Select(a => a.Id).ToList();
        var rows = SampleEvent.Demands.SelectMany(d => space.ForDemand(d.Id, ids)).ToArray();
        var count = rows.Length / PairFeatures.Count;
        var shipped = RankerModel.Load(RankerModel.DefaultPath);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(7200));
            foreach (var (name, model) in new[] { ("trained here", _report.Model), ("shipped", shipped) })
            {
                var reference = CompiledTreeEnsembleTests.Bits(model.ScoreWithMlNet(rows, count));
                var compiled = CompiledTreeEnsemble.Compile(Trees(model), PairFeatures.Count, pinned);
                var batch = new float[count];
                compiled.Score(rows, count, batch);
                var auto = new float[count];
                model.Score(rows, count, auto);

                Assert.That(CompiledTreeEnsembleTests.Bits(batch), Is.EqualTo(reference), $"{name} model, {kernel} kernel");
                Assert.That(CompiledTreeEnsembleTests.Bits(auto), Is.EqualTo(reference), $"{name} model, the kernel this machine picks");
            }
        }

        static Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParametersBasedOnRegressionTree Trees(RankerModel model)
        {
            var last = model.MlModel is Microsoft.ML.Data.TransformerChain<Microsoft.ML.ITransformer> chain ? chain.LastTransformer : model.MlModel;
            return (Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParametersBasedOnRegressionTree)((Microsoft.ML.ISingleFeaturePredictionTransformer<object>)last).Model;
        }
    }

    [Test]
    public void Load_FeatureHashFromAnotherVersion_RefusedSayingWhich()
    {
        var path = _temp.File("other-features.zip");
        File.Copy(_temp.File("ranker.zip"), path);
        RewriteMetadata(path, m => m with { FeatureHash = "0123456789abcdef" });

        Assert.That(() => RankerModel.Load(path), Throws.TypeOf<ModelFormatException>()
            .With.Message.Contains("trained on features '0123456789abcdef'").And.Message.Contains(PairFeatures.Hash).And.Message.Contains("retrain"));
    }

    [Test]
    public void Load_OtherAnalyzer_RefusedSayingWhich()
    {
        var path = _temp.File("other-analyzer.zip");
        File.Copy(_temp.File("ranker.zip"), path);
        RewriteMetadata(path, m => m with { AnalyzerVersion = "jieba/0000000000000000" });

        Assert.That(() => RankerModel.Load(path), Throws.TypeOf<ModelFormatException>().With.Message.Contains("analyzer 'jieba/0000000000000000'"));
    }

    [TestCase(100)]
    [TestCase(5000)]
    public void Load_TruncatedFile_Refused(int keep)
    {
        var path = _temp.File($"truncated-{keep}.zip");
        File.WriteAllBytes(path, File.ReadAllBytes(_temp.File("ranker.zip"))[..keep]);

        Assert.That(() => RankerModel.Load(path), Throws.TypeOf<ModelFormatException>().With.Message.Contains("truncated"));
    }

    [Test]
    public void Load_MlNetZipWithoutMetadata_Refused()
    {
        var path = _temp.File("bare.zip");
        File.Copy(_temp.File("ranker.zip"), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("Matching/metadata.json")!.Delete();
        }

        Assert.That(() => RankerModel.Load(path), Throws.TypeOf<ModelFormatException>().With.Message.Contains("not a Matching ranker"));
    }

    [Test]
    public void Evaluate_WithModel_ReportsBothRankingsOnTheSameDemands()
    {
        var result = RankerWorkflow.Evaluate(SampleData(), _report.Model);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Bm25.Full!.Queries, Is.EqualTo(result.Reranked!.Full!.Queries));
            Assert.That(result.Bm25.Full.Mrr10, Is.EqualTo(1.0), "BM25 ranks every hand-checked pair first");
            Assert.That(result.Reranked.Full.Mrr10, Is.GreaterThan(0.9));
            Assert.That(result.Run, Has.Count.EqualTo(SampleEvent.BestPairs.Count));
        }
    }

    /// <summary>Candidate lists of one relevant and two judged non-relevant achievements per demand.</summary>
    private static RankingData JudgedOnlyData()
    {
        var judgments = SampleEvent.BestPairs
            .SelectMany(j => new[] { j, new Matching.Ingestion.Judgment(j.DemandId, "A100", 0), new Matching.Ingestion.Judgment(j.DemandId, "A050", 0) })
            .Where(j => j.Grade > 0 || j.AchievementId != SampleEvent.BestPairs.First(b => b.DemandId == j.DemandId).AchievementId)
            .ToList();
        var run = judgments.Select(j => new Matching.Ingestion.RunEntry(j.DemandId, j.AchievementId, 1, 0)).GroupBy(r => r.DemandId)
            .SelectMany(g => g.Select((r, i) => r with { Rank = i + 1 })).ToList();
        return new RankingData
        {
            Achievements = SampleEvent.Achievements,
            Demands = SampleEvent.Demands,
            Judgments = judgments,
            Candidates = run,
            JudgedOnly = true,
        };
    }

    [Test]
    public void Evaluate_JudgedOnlyCandidates_CondensedMetrics()
    {
        var data = JudgedOnlyData();
        var result = RankerWorkflow.Evaluate(data, _report.Model);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Bm25.Judged, Is.Not.Null);
            Assert.That(result.Bm25.Judged!.Queries, Is.GreaterThan(40));
            Assert.That(result.Bm25.Judged.P1, Is.EqualTo(1.0));
            Assert.That(result.Run.All(q => q.Candidates.Count <= 3), Is.True);
        }
    }

    [Test]
    public void Evaluate_JudgedOnly_NegativeGradeIsANonRelevantJudgment()
    {
        // Each demand's hand-checked answer, plus A100 and A050 judged non-relevant: grade 0, or TREC's -1 ("junk").
        RankingData Data(int negative)
        {
            var judgments = SampleEvent.BestPairs
                .SelectMany(j => new[] { j, new Matching.Ingestion.Judgment(j.DemandId, "A100", negative), new Matching.Ingestion.Judgment(j.DemandId, "A050", negative) })
                .Where(j => j.Grade > 0 || j.AchievementId != SampleEvent.BestPairs.First(b => b.DemandId == j.DemandId).AchievementId)
                .ToList();
            var run = judgments.GroupBy(j => j.DemandId)
                .SelectMany(g => g.Select((j, i) => new Matching.Ingestion.RunEntry(j.DemandId, j.AchievementId, i + 1, 0))).ToList();
            return new RankingData
            {
                Achievements = SampleEvent.Achievements,
                Demands = SampleEvent.Demands,
                Judgments = judgments,
                Candidates = run,
                JudgedOnly = true,
            };
        }

        var zero = RankerWorkflow.Evaluate(Data(0), _report.Model);
        var negative = RankerWorkflow.Evaluate(Data(-1), _report.Model);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(negative.Bm25.Judged!.Queries, Is.EqualTo(zero.Bm25.Judged!.Queries).And.GreaterThan(40),
                "a demand with a relevant and a grade -1 judgment is evaluated");
            Assert.That(negative.Bm25, Is.EqualTo(zero.Bm25));
            Assert.That(negative.Reranked, Is.EqualTo(zero.Reranked));
            Assert.That(negative.Bm25.Judged.Ndcg, Is.InRange(0.0, 1.0));
        }
    }

    [Test]
    public void Train_LogsTheFoldSizesOfGroupedFolds()
    {
        using var temp = new TempDirectory();
        using var log = new StringWriter();

        RankerWorkflow.Train(SampleData(), s_small, temp.File("folds.zip"), folds: 3, log: log);

        var match = System.Text.RegularExpressions.Regex.Match(log.ToString(), @"3 folds of demands sharing relevant achievements \((\d+) groups, seed 1\): (\d+), (\d+), (\d+) demands");
        Assert.That(match.Success, Is.True, log.ToString());
        Assert.That(Enumerable.Range(2, 3).Sum(g => int.Parse(match.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(SampleEvent.BestPairs.Count));
    }

    [Test]
    public void Train_WithFolds_RecordsTheBlendCrossValidationChose()
    {
        var metadata = _report.Model.Metadata;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(metadata.BlendSelection!.Select(c => c.Blend), Is.EqualTo(ScoreBlend.Grid));
            var best = metadata.BlendSelection!.Max(c => c.Score);
            Assert.That(metadata.Blend, Is.EqualTo(metadata.BlendSelection!.First(c => c.Score == best).Blend), "the best, ties to the earlier");
            Assert.That(_report.Model.Compiled.Blend, Is.EqualTo(metadata.Blend));
        }
    }

    [Test]
    public void Train_WithoutFoldsOrWithoutBlend_ScoresWithTheTreesAlone()
    {
        using var temp = new TempDirectory();
        var noFolds = RankerWorkflow.Train(SampleData(), s_small, temp.File("plain.zip"));
        var noBlend = RankerWorkflow.Train([new TrainingSet("data", SampleData())], s_small, temp.File("no-blend.zip"),
            new TrainingPlan { Folds = 2, Blend = false }, log: null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(noFolds.Model.Metadata.Blend, Is.Null);
            Assert.That(noBlend.Model.Metadata.Blend, Is.Null);
            Assert.That(noBlend.Model.Metadata.BlendSelection, Is.Null);
            Assert.That(noBlend.Model.Compiled.Blend.IsTreesOnly, Is.True);
        }
    }

    [Test]
    public void Load_Bm25OrderBlend_RanksGivenListsExactlyAsBm25()
    {
        // Given candidate lists are ranked by the bm25 feature, the feature the blend anchors on.
        var path = _temp.File("bm25-blend.zip");
        File.Copy(_temp.File("ranker.zip"), path);
        RewriteMetadata(path, m => m with { Blend = ScoreBlend.Bm25Only });
        var model = RankerModel.Load(path);

        var bm25 = RankerWorkflow.Evaluate(JudgedOnlyData(), null);
        var blended = RankerWorkflow.Evaluate(JudgedOnlyData(), model);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bm25.Run, Has.Count.GreaterThan(40));
            Assert.That(blended.Run.Select(q => q.Candidates.Select(c => c.Id)), Is.EqualTo(bm25.Run.Select(q => q.Candidates.Select(c => c.Id))));
            Assert.That(blended.Reranked, Is.EqualTo(blended.Bm25));
            Assert.That(model.Compiled.Blend, Is.EqualTo(ScoreBlend.Bm25Only));
        }
    }

    [Test]
    public void Train_NestedSearch_ReportsEachOuterFoldsOwnSearch()
    {
        using var temp = new TempDirectory();
        var log = new StringWriter();
        var grid = new ParameterGrid { Trees = [10, 30], Leaves = [8], MinimumExampleCountPerLeaf = [5], LearningRates = [0.1] };
        var report = RankerWorkflow.Train([new TrainingSet("sample", SampleData())], s_small, temp.File("nested.zip"),
            new TrainingPlan { Folds = 3, Search = grid, Nested = true }, log);

        var folds = report.Model.Metadata.Sets![0].Folds;
        var lines = log.ToString().Split('\n').Where(l => l.StartsWith("nested fold ", StringComparison.Ordinal)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(folds, Has.Count.EqualTo(3));
            Assert.That(lines, Has.Count.EqualTo(3));
            Assert.That(lines, Has.All.Contains("searched by 2-fold inner cross-validation: trees "));
            Assert.That(report.Model.Metadata.Selection!.Points, Has.Count.EqualTo(2), "the final choice searches all the data");
            Assert.That(folds.Sum(f => f.Bm25.Full!.Queries), Is.EqualTo(SampleEvent.BestPairs.Count), "every demand held out once");
        }
    }

    [TestCase(0, false)]
    [TestCase(2, true)]
    public void Train_NestedWithoutSearchOrWithTwoFolds_Refused(int folds, bool search)
    {
        using var temp = new TempDirectory();
        var plan = new TrainingPlan { Folds = folds, Nested = true, Search = search ? new ParameterGrid() : null };

        Assert.That(() => RankerWorkflow.Train([new TrainingSet("sample", SampleData())], s_small, temp.File("x.zip"), plan, null),
            Throws.ArgumentException.With.Message.Contains("Nested needs"));
    }

    [Test]
    public void Load_BlendWithNoWeight_Refused()
    {
        var path = _temp.File("zero-blend.zip");
        File.Copy(_temp.File("ranker.zip"), path);
        RewriteMetadata(path, m => m with { Blend = new ScoreBlend(0, 0) });

        Assert.That(() => RankerModel.Load(path), Throws.TypeOf<ModelFormatException>().With.Message.Contains("score blend"));
    }

    private static void RewriteMetadata(string path, Func<RankerMetadata, RankerMetadata> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("Matching/metadata.json")!;
        RankerMetadata metadata;
        using (var stream = entry.Open())
        {
            metadata = JsonSerializer.Deserialize<RankerMetadata>(stream, RankerModel.Json)!;
        }

        entry.Delete();
        using var writer = zip.CreateEntry("Matching/metadata.json").Open();
        JsonSerializer.Serialize(writer, change(metadata), RankerModel.Json);
    }
}

public sealed class JudgedMetricsTests
{
    [Test]
    public void Compute_HandWorkedExample()
    {
        // Query 1: relevant (grade 2) at rank 2 of 3. Query 2: relevant first.
        var metrics = JudgedMetrics.Compute([([0, 2, 0], [0, 1, 2]), ([1, 0], [0, 1])]);

        var ndcg1 = (3 / Math.Log2(3)) / 3;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(metrics.Queries, Is.EqualTo(2));
            Assert.That(metrics.Mrr, Is.EqualTo(0.75).Within(1e-12));
            Assert.That(metrics.P1, Is.EqualTo(0.5));
            Assert.That(metrics.Ndcg, Is.EqualTo((ndcg1 + 1) / 2).Within(1e-12));
        }
    }
}

public sealed class JudgedMetricsNegativeGradeTests
{
    [Test]
    public void Compute_NegativeGrade_NonRelevantWithZeroGain()
    {
        var negative = JudgedMetrics.Compute([([-2, 1], [0, 1])]);
        var zero = JudgedMetrics.Compute([([0, 1], [0, 1])]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(negative, Is.EqualTo(zero));
            Assert.That(negative.Mrr, Is.EqualTo(0.5));
            Assert.That(negative.Ndcg, Is.EqualTo(1 / Math.Log2(3)).Within(1e-12));
        }
    }
}

public sealed class RankingDataTests
{
    [Test]
    public void FromFiles_QrelsOrOutcomes()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("j.qrels"), "D001 0 A001 1\nD001 0 A119 0\n");
        File.WriteAllText(temp.File("o.csv"), "demand_id,achievement_id,outcome\nD001,A001,signed\n");

        var fromQrels = RankingData.FromFiles(Matching.Ingestion.SampleEvent.AchievementsCsv, Matching.Ingestion.SampleEvent.DemandsCsv, temp.File("j.qrels"));
        var fromOutcomes = RankingData.FromFiles(Matching.Ingestion.SampleEvent.AchievementsCsv, Matching.Ingestion.SampleEvent.DemandsCsv, temp.File("o.csv"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fromQrels.Achievements, Has.Count.EqualTo(120));
            Assert.That(fromQrels.Judgments, Has.Count.EqualTo(2));
            Assert.That(fromOutcomes.Judgments.Single().Grade, Is.EqualTo(3));
        }
    }
}
