using Matching.Engine;
using Matching.Ranking;
using Matching.Reporting;

namespace Matching.Tests.Engine;

/// <summary>The shortcuts a large batch takes must not change what it writes: matched terms read from the feature
/// profiles equal those read from the index's term vectors, and passages are highlighted exactly where the report
/// shows them.</summary>
public sealed class BatchShortcutsTests
{
    [Test]
    public void MatchedTermsFromProfilesAreTheTermVectorsTermsBothWays()
    {
        // Without a ranker the engine never builds its feature space, so its matched terms come from term vectors;
        // with one, the space is built by the first ranked query and answers them from the profiles.
        using var vectors = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands);
        using var profiles = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        _ = profiles.RankDemand(SampleEvent.Demands[0], 1);

        var lists = Compared(vectors, profiles, SampleEvent.Achievements.Count);
        foreach (var (query, expected, actual) in lists)
        {
            Assert.That(actual.Select(c => c.MatchedTerms), Is.EqualTo(expected.Select(c => c.MatchedTerms)), query);
        }

        var compared = lists.Sum(l => l.Expected.Count);
        var nonEmpty = lists.Sum(l => l.Expected.Count(c => c.MatchedTerms.Count > 0));
        Assert.That(nonEmpty, Is.GreaterThan(compared / 2), "most retrieved pairs share a shown term");
    }

    [Test]
    public void MatchedTermsFromStoredProfilesAreTheTermVectorsTerms()
    {
        // An on-disk index reads its profiles from the store beside it, on demand.
        using var folder = new TempDirectory();
        var options = new EngineOptions { IndexPath = folder.Path };
        MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, options);
        using var vectors = MatchingEngine.Open(options);
        using var stored = MatchingEngine.Open(new EngineOptions { IndexPath = folder.Path, Ranker = RankerModel.LoadDefault() });
        _ = stored.RankDemand(SampleEvent.Demands[0], 1);
        Assert.That(stored.Features.IsStored, Is.True);

        foreach (var (query, expected, actual) in Compared(vectors, stored, 40))
        {
            Assert.That(actual.Select(c => c.MatchedTerms), Is.EqualTo(expected.Select(c => c.MatchedTerms)), query);
        }
    }

    [Test]
    public void MatchedTermsFromProfilesFindTheSharedWordsOfARealPair()
    {
        using var engine = MatchingEngine.Create(TestRecords.Achievements, TestRecords.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        var list = engine.RankDemand(TestRecords.VisionDemand, 4);

        var terms = engine.WithMatchedTerms(TestRecords.VisionDemand, list).Single(c => c.Id == TestRecords.Vision.Id).MatchedTerms;

        Assert.That(terms, Does.Contain("缺陷检测"));
    }

    [Test]
    public void PassagesAreHighlightedOnlyWhereTheReportShowsThem()
    {
        using var engine = MatchingEngine.Create(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { Ranker = RankerModel.LoadDefault() });
        var options = new EventOptions { Agenda = null };
        var all = EventPlanner.Plan(engine, SampleEvent.Demands, SampleEvent.Achievements, options, topK: 5, run: new EventRunOptions { Threads = 2 });
        var bounded = EventPlanner.Plan(engine, SampleEvent.Demands, SampleEvent.Achievements, options, topK: 5,
            run: new EventRunOptions { Threads = 2, Report = new ReportOptions { Cards = 1, Recommendations = 2 } });

        var allCards = all.Report.Demands;
        var cards = bounded.Report.Demands;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allCards.Skip(1).SelectMany(c => c.Recommendations).Count(r => r.Explanation.Snippets.Count > 0), Is.GreaterThan(0),
                "unbounded, cards past the first have passages");
            Assert.That(cards[0].Recommendations.Take(2).Select(Passages), Is.EqualTo(allCards[0].Recommendations.Take(2).Select(Passages)));
            Assert.That(cards[0].Recommendations.Take(2).Select(Passages), Has.Some.Contains("["), "the shown recommendations have marked passages");
            Assert.That(cards[0].Recommendations.Skip(2).Concat(cards.Skip(1).SelectMany(c => c.Recommendations)).Sum(r => r.Explanation.Snippets.Count),
                Is.Zero);
            // Everything else on the cards (the workbook's rows) is unchanged.
            Assert.That(cards.SelectMany(c => c.Recommendations).Select(r => (r.Achievement.Id, r.Rank, r.Strength, string.Join(",", r.Explanation.MatchedTerms), r.Explanation.Contributions.Count)),
                Is.EqualTo(allCards.SelectMany(c => c.Recommendations).Select(r => (r.Achievement.Id, r.Rank, r.Strength, string.Join(",", r.Explanation.MatchedTerms), r.Explanation.Contributions.Count))));
        }
    }

    private static string Passages(Recommendation r) =>
        string.Join(" | ", r.Explanation.Snippets.Select(s => s.Field + ":" + string.Concat(s.Pieces.Select(p => p.Highlighted ? "[" + p.Text + "]" : p.Text))));

    /// <summary>Every sample demand's BM25 top 30 and the first <paramref name="achievements"/> achievements' top 20, each
    /// list with matched terms from both engines.</summary>
    private static List<(string Query, IReadOnlyList<Matching.Retrieval.Candidate> Expected, IReadOnlyList<Matching.Retrieval.Candidate> Actual)> Compared(
        MatchingEngine expected, MatchingEngine actual, int achievements)
    {
        var lists = new List<(string, IReadOnlyList<Matching.Retrieval.Candidate>, IReadOnlyList<Matching.Retrieval.Candidate>)>();
        foreach (var demand in SampleEvent.Demands)
        {
            var list = expected.RetrieveForDemand(demand, 30);
            lists.Add((demand.Id, expected.WithMatchedTerms(demand, list), actual.WithMatchedTerms(demand, list)));
        }

        foreach (var achievement in SampleEvent.Achievements.Take(achievements))
        {
            var list = expected.RankAchievement(achievement, 20);
            lists.Add((achievement.Id, expected.WithMatchedTerms(achievement, list), actual.WithMatchedTerms(achievement, list)));
        }

        return lists;
    }
}
