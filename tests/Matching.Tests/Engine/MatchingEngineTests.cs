using Matching.Engine;
using Matching.Ranking;
using Matching.Indexing;

namespace Matching.Tests.Engine;

public sealed class MatchingEngineTests
{
    [Test]
    public void AddUpdateRemove_VisibleToLaterQueries()
    {
        using var engine = MatchingEngine.Create([TestRecords.Vision, TestRecords.Rice], TestRecords.Demands);

        var before = engine.MatchDemand(TestRecords.BatteryDemand, 5).Select(c => c.Id).ToList();
        var added = engine.AddOrUpdateAchievements([TestRecords.Battery]);
        var after = engine.MatchDemand(TestRecords.BatteryDemand, 5);
        var updated = engine.AddOrUpdateAchievements([TestRecords.Battery with { Title = "一种钠离子电池负极硬碳材料" }]);
        var removed = engine.RemoveAchievements(["A1", "no-such-id"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before, Does.Not.Contain("A1"));
            Assert.That(added, Is.EqualTo(new IndexCounts(1, 0, 0, 0, 3)));
            Assert.That(after[0].Id, Is.EqualTo("A1"));
            Assert.That(updated.Updated, Is.EqualTo(1));
            Assert.That(engine.FindAchievement("A1"), Is.Null);
            Assert.That(removed, Is.EqualTo(new IndexCounts(0, 0, 2, 1, 2)));
            Assert.That(engine.AchievementCount, Is.EqualTo(2));
        }
    }

    [Test]
    public void Demands_AddedAndRemoved_ReverseDirectionFollows()
    {
        using var engine = MatchingEngine.Create(TestRecords.Achievements, [TestRecords.VisionDemand]);

        engine.AddOrUpdateDemands([TestRecords.RiceDemand]);
        var withRice = engine.MatchAchievement(TestRecords.Rice, 3);
        engine.RemoveDemands(["D3"]);

        Assert.That(withRice[0].Id, Is.EqualTo("D3"));
        Assert.That(engine.MatchAchievement(TestRecords.Rice, 3).Select(c => c.Id), Does.Not.Contain("D3"));
    }

    [Test]
    public void ConcurrentQueriesDuringWrites_NeverFailAndSeeWholeStates()
    {
        using var engine = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        var extra = SampleEvent.Achievements.Take(20).Select(a => a with { Id = "X" + a.Id }).ToList();
        using var stop = new CancellationTokenSource();
        var errors = 0;
        var queries = 0;

        var readers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var i = t;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var result = engine.MatchDemand(SampleEvent.Demands[i++ % SampleEvent.Demands.Count], 10);
                    if (result.Count == 0 || result.Select(c => c.Rank).SequenceEqual(Enumerable.Range(1, result.Count)) is false)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }

                Interlocked.Increment(ref queries);
            }
        })).ToArray();

        for (var round = 0; round < 3; round++)
        {
            engine.AddOrUpdateAchievements(extra);
            engine.RemoveAchievements(extra.Select(a => a.Id));
        }

        stop.Cancel();
        Task.WaitAll(readers);

        Assert.That(errors, Is.Zero);
        Assert.That(queries, Is.GreaterThan(0));
        Assert.That(engine.AchievementCount, Is.EqualTo(120));
    }

    [Test]
    public async Task MatchAllDemandsAsync_YieldsInOrder_AndStopsOnCancellation()
    {
        using var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands);
        using var cancel = new CancellationTokenSource();
        var seen = new List<string>();

        var all = new List<string>();
        await foreach (var q in engine.MatchAllDemandsAsync(TestRecords.Demands, 2))
        {
            all.Add(q.QueryId);
        }

        Assert.That(all, Is.EqualTo(new[] { "D1", "D2", "D3" }));
        Assert.That(async () =>
        {
            await foreach (var q in engine.MatchAllDemandsAsync(TestRecords.Demands, 2, cancel.Token))
            {
                seen.Add(q.QueryId);
                await cancel.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(seen, Is.EqualTo(new[] { "D1" }));
    }

    [Test]
    public void MatchDemandExplained_ExplainsEachRecommendation()
    {
        using var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });

        var explained = engine.MatchDemandExplained(TestRecords.VisionDemand, 2);

        Assert.That(explained[0].Achievement.Id, Is.EqualTo("A2"));
        Assert.That(explained[0].Explanation.MatchedTerms, Does.Contain("缺陷检测"));
        Assert.That(explained[0].Explanation.Snippets.SelectMany(s => s.Pieces).Any(p => p.Highlighted), Is.True);
        Assert.That(explained[0].Explanation.Contributions, Is.Not.Empty);
    }

    [Test]
    public void Dispose_ThenQuery_ObjectDisposed()
    {
        var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands);
        engine.Dispose();
        engine.Dispose();

        Assert.That(() => engine.MatchDemand(TestRecords.BatteryDemand), Throws.TypeOf<ObjectDisposedException>());
    }
}
