using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Tests.Retrieval;

/// <summary>The engine's term-at-a-time scorer against Lucene's own BooleanQuery on the sample event: the same
/// documents, the same scores bit for bit, in the same order, through each of its paths (postings decoded each time,
/// kept postings, several windows, several segments, deleted documents).</summary>
public sealed class TermAtATimeScorerTests
{
    private RAMDirectory _achievements = null!;
    private RAMDirectory _demands = null!;
    private HashSet<string> _deleted = null!;

    [OneTimeSetUp]
    public void BuildIndexes()
    {
        var achievements = SampleEvent.Achievements.Select(IndexedRecord.From).ToList();
        _achievements = new RAMDirectory();
        // Three commits make three segments; a pruning update then deletes a few records from them.
        var third = achievements.Count / 3;
        for (var part = 0; part < 3; part++)
        {
            IndexBuilder.Update(_achievements, RecordKind.Achievements, AnalyzerKind.Jieba, achievements.Skip(part * third).Take(part == 2 ? int.MaxValue : third), threads: 1);
        }

        var kept = achievements.Where((_, i) => i % 11 != 5).ToList();
        _deleted = [.. achievements.Where((_, i) => i % 11 == 5).Select(a => a.Id)];
        IndexBuilder.Update(_achievements, RecordKind.Achievements, AnalyzerKind.Jieba, kept, prune: true, threads: 1);

        _demands = new RAMDirectory();
        IndexBuilder.Update(_demands, RecordKind.Demands, AnalyzerKind.Jieba, SampleEvent.Demands.Select(IndexedRecord.From), threads: 1);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _achievements.Dispose();
        _demands.Dispose();
    }

    private static readonly (string Name, ScorerSettings Settings)[] s_settings =
    [
        ("defaults: a small index keeps every list", new ScorerSettings()),
        ("large-index defaults: short lists decoded each time", new ScorerSettings { SmallIndexDocs = 0 }),
        ("every list kept", new ScorerSettings { CacheMinDocFreq = 0, SmallIndexDocs = 0 }),
        ("long lists kept, windows of 7", new ScorerSettings { CacheMinDocFreq = 2, Window = 7, SmallIndexDocs = 0 }),
        ("cache full early", new ScorerSettings { CacheMinDocFreq = 0, CacheBudgetBytes = 2_000, SmallIndexDocs = 0 }),
        ("kept lists scored through tables", new ScorerSettings { CacheMinDocFreq = 0, PostingsPerTableEntry = 0, Window = 33 }),
    ];

    private static IEnumerable<TestCaseData> Settings() =>
        s_settings.Select((s, i) => new TestCaseData(i).SetArgDisplayNames(s.Name));

    [TestCaseSource(nameof(Settings))]
    public void DemandQueries_SameHitsAndScoresAsLucene(int setting)
    {
        var settings = s_settings[setting].Settings;
        using var searcher = new RecordSearcher(_achievements, RecordKind.Achievements, AnalyzerKind.Jieba, scoring: settings);
        Assert.That(searcher.DeletedCount, Is.GreaterThan(0), "the index should hold deleted documents");
        foreach (var depth in new[] { 100, 5, 1 })
        {
            foreach (var demand in SampleEvent.Demands)
            {
                // Twice: the second run reads the kept lists and reuses the cleared accumulators.
                for (var run = 0; run < 2; run++)
                {
                    var fast = searcher.FastTop(QueryText.From(demand), depth).Select(h => (h.Doc, h.Score)).ToList();
                    var lucene = searcher.LuceneTop(QueryText.From(demand), depth).Select(h => (h.Doc, h.Score)).ToList();
                    Assert.That(fast, Is.EqualTo(lucene), $"{demand.Id}, depth {depth}, run {run}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Settings))]
    public void AchievementQueries_SameHitsAndScoresAsLucene(int setting)
    {
        var settings = s_settings[setting].Settings;
        using var searcher = new RecordSearcher(_demands, RecordKind.Demands, AnalyzerKind.Jieba, scoring: settings);
        foreach (var achievement in SampleEvent.Achievements)
        {
            var fast = searcher.FastTop(QueryText.From(achievement), 20).Select(h => (h.Doc, h.Score)).ToList();
            var lucene = searcher.LuceneTop(QueryText.From(achievement), 20).Select(h => (h.Doc, h.Score)).ToList();
            Assert.That(fast, Is.EqualTo(lucene), achievement.Id);
        }
    }

    [Test]
    public void LongQuery_AllSampleDemandsAtOnce_SameAsLucene()
    {
        // 300 terms, not the default cap: the scorer should match Lucene with hundreds of clauses too.
        using var searcher = new RecordSearcher(_achievements, RecordKind.Achievements, AnalyzerKind.Jieba, new RetrievalOptions { MaxQueryTerms = 300 },
            scoring: new ScorerSettings { CacheMinDocFreq = 3, Window = 16, PostingsPerTableEntry = 0, SmallIndexDocs = 0 });
        var all = new QueryText(
            string.Join("。", SampleEvent.Demands.Select(d => d.Title)),
            string.Join("。", SampleEvent.Demands.Select(d => d.Description)),
            [.. SampleEvent.Demands.SelectMany(d => d.Keywords)]);

        Assert.That(searcher.WeightedTerms(all), Has.Count.EqualTo(300), "the query should reach the terms cap");
        var fast = searcher.FastTop(all, 50).Select(h => (h.Doc, h.Score)).ToList();
        Assert.That(fast, Has.Count.EqualTo(50));
        Assert.That(fast, Is.EqualTo(searcher.LuceneTop(all, 50).Select(h => (h.Doc, h.Score)).ToList()));
    }

    [Test]
    public void Search_NeverReturnsDeletedRecords()
    {
        using var searcher = new RecordSearcher(_achievements, RecordKind.Achievements, AnalyzerKind.Jieba, scoring: new ScorerSettings { CacheMinDocFreq = 0 });
        var deleted = SampleEvent.Achievements.Where(a => _deleted.Contains(a.Id)).ToList();
        Assert.That(deleted, Has.Count.EqualTo(_deleted.Count).And.Count.GreaterThan(5));
        foreach (var achievement in deleted)
        {
            // Its own text would find a live record first; the deleted one must not come back at any depth.
            var hits = searcher.Search(QueryText.From(achievement), 200, withMatchedTerms: false);
            Assert.That(hits, Is.Not.Empty);
            Assert.That(hits.Select(h => h.Id).Intersect(_deleted), Is.Empty, achievement.Id);
        }

        var kept = SampleEvent.Achievements.First(a => !_deleted.Contains(a.Id));
        Assert.That(searcher.Search(QueryText.From(kept), 1, withMatchedTerms: false)[0].Id, Is.EqualTo(kept.Id), "a live record's own text finds it first");
    }
}
