using Matching.Engine;
using Matching.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Matching.Cluster.Tests;

/// <summary>What makes cluster results equal to local ones without a cluster: exact doubles on the wire, record JSON
/// round trips, and the replica hash.</summary>
public sealed class ReplicaTests
{
    [Test]
    public void BatchResult_OrleansSerializationRoundTrip_KeepsEveryDoubleBitForBit()
    {
        double[] scores = [0.1 + 0.2, -1.0 / 3, double.Epsilon, -0.0, 1e308, 5.000000000000001, float.MaxValue, -2.718281828459045];
        var result = new BatchResult("a/b", "S127.0.0.1:1:2", [new RankedList(["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"], [1, 2, 3, 4, 5, 6, 7, 8], scores)], false, 12.5);
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<BatchResult>(serializer.SerializeToArray(result));

        Assert.That(copy, Is.Not.Null);
        Assert.That(copy!.Lists[0].Scores.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(scores.Select(BitConverter.DoubleToInt64Bits)));
        Assert.That(copy.Lists[0].Ids, Is.EqualTo(result.Lists[0].Ids));
    }

    [Test]
    public void Records_JsonRoundTrip_RankExactlyAsTheOriginals()
    {
        var achievements = RecordReader.ReadAchievements(SampleEvent.AchievementsCsv).Records;
        var demands = RecordReader.ReadDemands(SampleEvent.DemandsCsv).Records;
        using var engine = MatchingEngine.Create(achievements, demands, new EngineOptions { Ranker = Matching.Ranking.RankerModel.LoadDefault() });
        foreach (var demand in demands.Take(5))
        {
            var copy = RecordJson.ReadDemand(RecordJson.Write(demand));
            Assert.That(engine.RankDemand(copy, 50), Is.EqualTo(engine.RankDemand(demand, 50)).Using<Matching.Retrieval.Candidate>(Same));
        }

        foreach (var achievement in achievements.Take(5))
        {
            var copy = RecordJson.ReadAchievement(RecordJson.Write(achievement));
            Assert.That(engine.RankAchievement(copy, 50), Is.EqualTo(engine.RankAchievement(achievement, 50)).Using<Matching.Retrieval.Candidate>(Same));
        }
    }

    [Test]
    public void ContentHash_SameInputsInMemoryOrOnDisk_Equal_OtherRecordsOrAnalyzer_Differ()
    {
        var achievements = RecordReader.ReadAchievements(SampleEvent.AchievementsCsv).Records;
        var demands = RecordReader.ReadDemands(SampleEvent.DemandsCsv).Records;
        var folder = Path.Combine(Path.GetTempPath(), "matching-hash-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var memory = MatchingEngine.Create(achievements, demands);
            using var disk = MatchingEngine.Create(achievements.Reverse(), demands, new EngineOptions { IndexPath = folder });
            using var fewer = MatchingEngine.Create(achievements.Skip(1), demands);
            using var edited = MatchingEngine.Create([achievements[0] with { Title = achievements[0].Title + "。" }, .. achievements.Skip(1)], demands);
            using var smartcn = MatchingEngine.Create(achievements, demands, new EngineOptions { Analyzer = Matching.Text.AnalyzerKind.SmartCn });

            Assert.That(disk.ContentHash(), Is.EqualTo(memory.ContentHash()));
            Assert.That(new[] { fewer.ContentHash(), edited.ContentHash(), smartcn.ContentHash() }, Has.None.EqualTo(memory.ContentHash()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ModelHash_SameModelEqualWherever_OtherModelOrNoneDiffer()
    {
        // Two small models trained on the sample's hand-checked pairs with different numbers of trees, and the first
        // one again: training is deterministic, so the same data and settings give the same file and hash.
        var folder = Path.Combine(Path.GetTempPath(), "matching-model-hash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var judgments = Path.Combine(folder, "judgments.qrels");
            File.WriteAllLines(judgments, ["D001 0 A001 1", "D003 0 A003 1", "D005 0 A006 1", "D006 0 A008 1", "D007 0 A009 1", "D008 0 A010 1"]);
            string Train(string name, int trees)
            {
                var path = Path.Combine(folder, name);
                var run = Cli.Run("train", "-a", Path.Combine(SampleEvent.Directory, "achievements.csv"), "-d", Path.Combine(SampleEvent.Directory, "demands.csv"),
                    "-j", judgments, "--depth", "20", "--trees", trees.ToString(System.Globalization.CultureInfo.InvariantCulture), "--leaves", "4", "--min-leaf", "2", "--out", path);
                Assert.That(run.ExitCode, Is.Zero, run.Err);
                return path;
            }

            var first = Train("first.zip", trees: 5);
            var again = Train("again.zip", trees: 5);
            var other = Train("other.zip", trees: 8);
            var copy = Path.Combine(folder, "copy-of-first.zip");
            File.Copy(first, copy);
            var shipped = Replicas.ModelHash(Matching.Ranking.RankerModel.DefaultPath);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(File.ReadAllBytes(other), Is.Not.EqualTo(File.ReadAllBytes(first)), "precondition: two different model files");
                Assert.That(Replicas.ModelHash(other), Is.Not.EqualTo(Replicas.ModelHash(first)), "two different models");
                Assert.That(Replicas.ModelHash(again), Is.EqualTo(Replicas.ModelHash(first)), "the same model trained again");
                Assert.That(Replicas.ModelHash(copy), Is.EqualTo(Replicas.ModelHash(first)), "the same model at another path");
                Assert.That(new[] { Replicas.ModelHash(first), Replicas.ModelHash(other) }, Has.None.EqualTo(shipped));
                Assert.That(new[] { Replicas.ModelHash(first), Replicas.ModelHash(other), shipped }, Has.None.EqualTo(Replicas.NoModel));
                Assert.That(Replicas.ModelHash(null), Is.EqualTo(Replicas.NoModel));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static bool Same(Matching.Retrieval.Candidate x, Matching.Retrieval.Candidate y) =>
        x.Id == y.Id && x.Rank == y.Rank && BitConverter.DoubleToInt64Bits(x.Score) == BitConverter.DoubleToInt64Bits(y.Score);
}
