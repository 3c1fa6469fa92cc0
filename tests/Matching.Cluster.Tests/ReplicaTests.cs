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
    public void ModelHash_DiffersBetweenModelsAndNone()
    {
        var shipped = Replicas.ModelHash(Matching.Ranking.RankerModel.DefaultPath);
        Assert.That(shipped, Is.Not.EqualTo(Replicas.NoModel));
        Assert.That(Replicas.ModelHash(Matching.Ranking.RankerModel.DefaultPath), Is.EqualTo(shipped));
        Assert.That(Replicas.ModelHash(null), Is.EqualTo(Replicas.NoModel));
    }

    private static bool Same(Matching.Retrieval.Candidate x, Matching.Retrieval.Candidate y) =>
        x.Id == y.Id && x.Rank == y.Rank && BitConverter.DoubleToInt64Bits(x.Score) == BitConverter.DoubleToInt64Bits(y.Score);
}
