using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Tests.Retrieval;

public sealed class RecordSearcherTests
{
    private RAMDirectory _directory = null!;
    private RecordSearcher _searcher = null!;

    [OneTimeSetUp]
    public void BuildIndex()
    {
        _directory = new RAMDirectory();
        IndexBuilder.Update(_directory, RecordKind.Achievements, AnalyzerKind.Jieba, TestRecords.Achievements.Select(IndexedRecord.From));
        _searcher = new RecordSearcher(_directory, RecordKind.Achievements, AnalyzerKind.Jieba);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _searcher.Dispose();
        _directory.Dispose();
    }

    [Test]
    public void Search_SimplifiedDemand_FindsTheMatchingAchievementFirst()
    {
        var hits = _searcher.Search(QueryText.From(TestRecords.BatteryDemand), 10);

        Assert.That(hits[0].Id, Is.EqualTo("A1"));
        Assert.That(hits[0].MatchedTerms, Does.Contain("正极材料").And.Contain("包覆"));
    }

    [Test]
    public void Search_TraditionalDemand_FindsSimplifiedAchievement()
    {
        var hits = _searcher.Search(QueryText.From(TestRecords.VisionDemand), 10);

        Assert.That(hits[0].Id, Is.EqualTo("A2"));
        Assert.That(hits[0].MatchedTerms, Does.Contain("缺陷检测").And.Contain("机器视觉"));
    }

    [Test]
    public void Search_SimplifiedDemand_FindsTraditionalAchievement()
    {
        var hits = _searcher.Search(QueryText.From(TestRecords.RiceDemand), 10);

        Assert.That(hits[0].Id, Is.EqualTo("A3"));
        Assert.That(hits[0].MatchedTerms, Does.Contain("稻瘟病"));
    }

    [Test]
    public void Search_RanksAreConsecutiveAndScoresDescending()
    {
        var hits = _searcher.Search(new QueryText("", "锂离子电池 缺陷检测 废水处理 水稻", []), 10);

        Assert.That(hits.Select(h => h.Rank), Is.EqualTo(Enumerable.Range(1, hits.Count)));
        Assert.That(hits.Select(h => h.Score), Is.Ordered.Descending);
    }

    [Test]
    public void Search_ExcludeId_OmitsThatRecord()
    {
        var hits = _searcher.Search(QueryText.From(TestRecords.BatteryDemand), 10, excludeId: "A1");

        Assert.That(hits.Select(h => h.Id), Does.Not.Contain("A1"));
    }

    /// <summary>40 copies of one achievement score exactly alike for any query. Which of them make a top 10 must depend
    /// on their ids alone, not on document numbers, which follow input order and, with several indexing threads, timing.</summary>
    [TestCase(1)]
    [TestCase(4)]
    public void Search_FortyTiedRecords_CutByIdWhateverTheThreadsOrInputOrder(int threads)
    {
        // Input in descending id order: with one thread document numbers run against the ids.
        var ids = Enumerable.Range(0, 40).Select(i => $"T{i:D2}").ToList();
        using var directory = new RAMDirectory();
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba,
            ids.AsEnumerable().Reverse().Select(id => IndexedRecord.From(TestRecords.Battery with { Id = id })), threads: threads);
        using var searcher = new RecordSearcher(directory, RecordKind.Achievements, AnalyzerKind.Jieba);
        var query = QueryText.From(TestRecords.BatteryDemand);

        var top10 = searcher.Search(query, 10, withMatchedTerms: false);
        var excluding = searcher.Search(query, 10, excludeId: "T03", withMatchedTerms: false);
        var all = searcher.Search(query, 40, withMatchedTerms: false);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(c => c.Score).Distinct().Count(), Is.EqualTo(1), "precondition: all 40 tied");
            Assert.That(top10.Select(c => c.Id), Is.EqualTo(ids.Take(10)));
            Assert.That(top10.Select(c => c.Rank), Is.EqualTo(Enumerable.Range(1, 10)));
            Assert.That(excluding.Select(c => c.Id), Is.EqualTo(ids.Take(11).Where(id => id != "T03")));
            Assert.That(all.Select(c => c.Id), Is.EqualTo(ids));
        }
    }

    [Test]
    public void MatchDemand_FortyTiedRecordsIndexedOnOneOrFourThreads_IdenticalOutputs()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"T{i:D2}").ToList();
        var records = ids.AsEnumerable().Reverse().Select(id => TestRecords.Battery with { Id = id }).ToList();
        List<string> Run(int threads)
        {
            using var engine = Matching.Engine.MatchingEngine.Create(records, TestRecords.Demands,
                new Matching.Engine.EngineOptions { IndexThreads = threads });
            return [.. engine.MatchDemand(TestRecords.BatteryDemand, topK: 10)
                .Select(c => $"{c.Rank} {c.Id} {c.Score:R} {string.Join(";", c.MatchedTerms)}")];
        }

        var one = Run(1);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Run(4), Is.EqualTo(one));
            Assert.That(one.Select(line => line.Split(' ')[1]), Is.EqualTo(ids.Take(10)));
        }
    }

    [Test]
    public void Search_NoKnownTerms_Empty()
    {
        Assert.That(_searcher.Search(new QueryText("，。", "", []), 10), Is.Empty);
    }

    [Test]
    public void WeightedTerms_VeryLongDemand_CappedBelowClauseLimitHighestWeightFirst()
    {
        // A long problem statement: 2,000 distinct numbers (unseen, so the highest idf) plus repeated real terms.
        var numbers = string.Join("，", Enumerable.Range(0, 2000).Select(i => (i * 7919).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var query = new QueryText("正极材料 锂离子电池 正极材料 锂离子电池", numbers, ["正极材料", "锂离子电池"]);

        var terms = _searcher.WeightedTerms(query);
        var hits = _searcher.Search(query, 5);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(terms, Has.Count.EqualTo(new RetrievalOptions().MaxQueryTerms));
            Assert.That(terms.Select(t => t.Term).Take(2), Is.EquivalentTo(new[] { "正极材料", "锂离子电池" }));
            Assert.That(hits[0].Id, Is.EqualTo("A1"));
        }
    }

    [Test]
    public void Options_Invalid_OneCombinedMessage()
    {
        var options = new RetrievalOptions { TitleBoost = -1, MaxQueryTerms = 5000 };

        Assert.That(options.Validate, Throws.ArgumentException
            .With.Message.Contains("field boosts must not be negative").And.Message.Contains("MaxQueryTerms"));
    }
}
