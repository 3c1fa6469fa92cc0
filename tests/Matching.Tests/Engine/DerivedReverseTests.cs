using Matching.Engine;
using Matching.Ranking;
using Matching.Reporting;
using Matching.Retrieval;

namespace Matching.Tests.Engine;

/// <summary><see cref="ReverseLists.Derived"/>: each achievement's list is the inversion of the demands' full ranked
/// lists, ordered by the strength the demand computed for the pair, and the demands' own outputs do not move.</summary>
public sealed class DerivedReverseTests
{
    private static readonly EventOptions s_options = new() { Agenda = null };

    [Test]
    public void AchievementListsAreTheInversionOfTheDemandsLists()
    {
        using var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        var demands = TestRecords.Demands;
        var achievements = TestRecords.Achievements;
        var result = EventPlanner.Plan(engine, demands, achievements, s_options, topK: 10,
            run: new EventRunOptions { Threads = 2, WithReport = false, Reverse = ReverseLists.Derived });

        // What each demand ranked, to the reranker's full depth (no hard filters here), inverted by hand.
        var full = demands.Select(d => engine.RankDemand(d, engine.RerankDepth)).ToList();
        var expected = achievements.Select(a => demands
            .Select((d, i) => (Demand: d.Id, Index: i, Pair: full[i].SingleOrDefault(c => c.Id == a.Id)))
            .Where(x => x.Pair is not null)
            .OrderByDescending(x => x.Pair!.Probability)
            .ThenByDescending(x => x.Pair!.Score)
            .ThenBy(x => x.Index)
            .Select(x => (x.Demand, x.Pair!.Score, x.Pair.Probability))
            .ToList()).ToList();

        var lists = result.Matches.ByAchievement;
        Assert.That(lists.Select(l => l.QueryId), Is.EqualTo(achievements.Select(a => a.Id)));
        for (var a = 0; a < achievements.Count; a++)
        {
            var got = lists[a].Candidates;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(got.Select(c => (c.Id, c.Score, c.Probability)), Is.EqualTo(expected[a]), achievements[a].Id);
                Assert.That(got.Select(c => c.Rank), Is.EqualTo(Enumerable.Range(1, got.Count)), achievements[a].Id);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            // Hand-checkable: each achievement's first demand is the one written for it, across scripts (the vision
            // achievement is Simplified, its demand Traditional; the rice achievement the other way round).
            Assert.That(lists[0].Candidates[0].Id, Is.EqualTo(TestRecords.BatteryDemand.Id));
            Assert.That(lists[1].Candidates[0].Id, Is.EqualTo(TestRecords.VisionDemand.Id));
            Assert.That(lists[2].Candidates[0].Id, Is.EqualTo(TestRecords.RiceDemand.Id));
            Assert.That(lists[1].Candidates[0].MatchedTerms, Does.Contain("缺陷检测"), "matched terms as for a query of the achievement");
            // Every pair of the inversion is a pair some demand ranked: nothing the demands did not retrieve.
            Assert.That(lists.Sum(l => l.Candidates.Count), Is.EqualTo(full.Sum(l => l.Count)));
        }
    }

    [Test]
    public void DemandOutputsDoNotMoveAndTheRunsRepeat()
    {
        using var engine = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        EventResult Run(ReverseLists reverse, int threads) => EventPlanner.Plan(engine, SampleEvent.Demands, SampleEvent.Achievements, s_options, topK: 5,
            run: new EventRunOptions { Threads = threads, WithReport = false, Reverse = reverse });

        var query = Run(ReverseLists.Query, 2);
        var derived = Run(ReverseLists.Derived, 2);
        var again = Run(ReverseLists.Derived, 1);

        static IEnumerable<string> Rows(IReadOnlyList<QueryMatches> lists) =>
            lists.SelectMany(l => l.Candidates.Select(c => $"{l.QueryId} {c.Rank} {c.Id} {c.Score:R} {c.Probability:R} {string.Join(";", c.MatchedTerms)}"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Rows(derived.Matches.ByDemand), Is.EqualTo(Rows(query.Matches.ByDemand)));
            Assert.That(derived.Strengths, Is.EquivalentTo(query.Strengths));
            Assert.That(Rows(again.Matches.ByAchievement), Is.EqualTo(Rows(derived.Matches.ByAchievement)), "threads do not change the lists");
            Assert.That(Rows(derived.Matches.ByAchievement), Is.Not.EqualTo(Rows(query.Matches.ByAchievement)), "the derived lists are not the queries'");
            // The sample's achievements all answer some demand: none is left without a list.
            Assert.That(derived.Matches.ByAchievement.Count(l => l.Candidates.Count == 0), Is.Zero);
        }
    }

    [Test]
    public void UncalibratedBm25ListsAreInvertedToo()
    {
        // No ranker and no calibration: strengths are BM25 scores over the run's best, known only once every demand
        // is done, and the demands are not ranked deeper than their own lists.
        using var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands);
        Assert.That(engine.IsCalibrated, Is.False, "premise");

        var result = EventPlanner.Plan(engine, TestRecords.Demands, TestRecords.Achievements, s_options, topK: 10,
            run: new EventRunOptions { Threads = 2, WithReport = false, Reverse = ReverseLists.Derived });

        var retrieved = TestRecords.Demands.ToDictionary(d => d.Id, d => engine.RankDemand(d, EventPlanner.FilterDepth));
        foreach (var list in result.Matches.ByAchievement)
        {
            var holders = TestRecords.Demands.Where(d => retrieved[d.Id].Any(c => c.Id == list.QueryId)).Select(d => d.Id);
            Assert.That(list.Candidates.Select(c => c.Id), Is.EquivalentTo(holders), list.QueryId);
            Assert.That(list.Candidates.Select(c => c.Probability), Has.All.Null, list.QueryId);
        }

        Assert.That(result.Matches.ByAchievement[2].Candidates[0].Id, Is.EqualTo(TestRecords.RiceDemand.Id));
    }

    [Test]
    public void HardFiltersHoldForTheDerivedLists()
    {
        // The battery achievement is a trade secret; the event admits invention patents only: no demand may list it,
        // so neither may its derived list hold the battery demand that ranks it first.
        var secret = TestRecords.Battery with { IpType = "技术秘密" };
        List<Achievement> achievements = [secret, TestRecords.Vision, TestRecords.Rice, TestRecords.Wastewater];
        using var engine = MatchingEngine.Create(achievements, TestRecords.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        Assert.That(engine.RankDemand(TestRecords.BatteryDemand, 10)[0].Id, Is.EqualTo(secret.Id), "premise: unfiltered, the battery demand ranks it first");
        var options = s_options with { HardFilters = new() { AllowedIpTypes = ["发明专利"] } };

        var result = EventPlanner.Plan(engine, TestRecords.Demands, achievements, options, topK: 10,
            run: new EventRunOptions { Threads = 2, WithReport = false, Reverse = ReverseLists.Derived });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Matches.ByAchievement[0].Candidates, Is.Empty);
            Assert.That(result.Matches.ByDemand.SelectMany(l => l.Candidates).Select(c => c.Id), Does.Not.Contain(secret.Id));
            Assert.That(result.Matches.ByAchievement[1].Candidates[0].Id, Is.EqualTo(TestRecords.VisionDemand.Id), "the others keep theirs");
        }
    }

    [Test]
    public void AnAchievementNoDemandRetrievedHasAnEmptyListAndNeedsManualMatching()
    {
        // A foundry achievement among battery and rice demands: nothing retrieves it.
        Achievement casting = new()
        {
            Id = "A9",
            Title = "單晶高溫合金渦輪葉片定向凝固工藝",
            Abstract = "通過優化籽晶選取與抽拉速度，抑制雜晶與小角度晶界，消除葉片鑄造缺陷。",
            Keywords = ["定向凝固", "高溫合金"],
            Organization = "西北工業大學",
        };
        List<Achievement> achievements = [TestRecords.Battery, TestRecords.Rice, casting];
        List<Demand> demands = [TestRecords.BatteryDemand, TestRecords.RiceDemand];
        using var engine = MatchingEngine.Create(achievements, demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        Assert.That(demands.SelectMany(d => engine.RankDemand(d, engine.RerankDepth)).Select(c => c.Id), Does.Not.Contain(casting.Id),
            "premise: no demand retrieves the casting achievement");

        var result = EventPlanner.Plan(engine, demands, achievements, s_options, topK: 3,
            run: new EventRunOptions { Threads = 2, Reverse = ReverseLists.Derived });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Matches.ByAchievement.Single(l => l.QueryId == casting.Id).Candidates, Is.Empty);
            Assert.That(result.Report.ManualMatching.Achievements.Single(m => m.Id == casting.Id).BestId, Is.Empty);
            Assert.That(result.Report.Method, Does.Contain("derived from the demands'"), "the report says how the lists were made");
        }
    }
}
