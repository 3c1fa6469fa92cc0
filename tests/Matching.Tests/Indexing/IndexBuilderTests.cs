using Lucene.Net.Index;
using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Text;

namespace Matching.Tests.Indexing;

public sealed class IndexBuilderTests
{
    private static IEnumerable<IndexedRecord> Records(params Achievement[] achievements) => achievements.Select(IndexedRecord.From);

    [Test]
    public void Update_NewIndex_AddsAllAndRecordsIdentity()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);

        var stats = IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records([.. TestRecords.Achievements]));

        Assert.That(stats, Is.EqualTo(new IndexCounts(4, 0, 0, 0, 4)));
        var data = DirectoryReader.ListCommits(directory)[^1].UserData;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(data[IndexSchema.CommitFormat], Is.EqualTo(IndexSchema.FormatVersion));
            Assert.That(data[IndexSchema.CommitKind], Is.EqualTo("Achievements"));
            Assert.That(data[IndexSchema.CommitAnalyzer], Is.EqualTo(MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba)));
        }
    }

    [Test]
    public void Update_ChangedAndNewRecords_ReplacesByIdAndSkipsUnchanged()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Battery, TestRecords.Vision));
        var changedVision = TestRecords.Vision with { Title = "基于深度学习的焊缝缺陷视觉检测系统" };

        var stats = IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba,
            Records(TestRecords.Battery, changedVision, TestRecords.Rice));

        Assert.That(stats, Is.EqualTo(new IndexCounts(Added: 1, Updated: 1, Unchanged: 1, Deleted: 0, Total: 3)));
        using var reader = DirectoryReader.Open(directory);
        Assert.That(reader.DocFreq(new Term(IndexSchema.Title, "焊缝")), Is.EqualTo(1));
    }

    [Test]
    public void Update_Prune_DeletesIdsAbsentFromInput()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records([.. TestRecords.Achievements]));

        var kept = IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Rice));
        var pruned = IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Rice), prune: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(kept.Total, Is.EqualTo(4), "without --prune absent ids stay");
            Assert.That(pruned, Is.EqualTo(new IndexCounts(0, 0, 1, 3, 1)));
        }
    }

    [Test]
    public void Update_IndexFromAnotherAnalyzer_RefusedWithClearMessage()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.SmartCn, Records(TestRecords.Battery));

        var error = Assert.Throws<IndexMismatchException>(() =>
            IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Battery)));

        Assert.That(error!.Message, Does.Contain("was built with analyzer 'smartcn/").And.Contain("this run uses 'jieba/").And.Contain("--rebuild"));
    }

    [Test]
    public void Update_Rebuild_ReplacesIndexOfAnotherAnalyzer()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.SmartCn, Records([.. TestRecords.Achievements]));

        var stats = IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Battery), rebuild: true);

        Assert.That(stats, Is.EqualTo(new IndexCounts(1, 0, 0, 0, 1)));
        Assert.That(() => IndexIdentity.Check(directory, RecordKind.Achievements, MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba)), Throws.Nothing);
    }

    [Test]
    public void Update_DemandIndexOpenedAsAchievements_Refused()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Demands, AnalyzerKind.Jieba, TestRecords.Demands.Select(IndexedRecord.From));

        Assert.That(() => IndexIdentity.Check(directory, RecordKind.Achievements, MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba)),
            Throws.TypeOf<IndexMismatchException>().With.Message.Contains("holds Demands, not Achievements"));
    }

    [Test]
    public void Update_FailureMidway_LeavesPreviousCommitIntact()
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Battery, TestRecords.Vision));

        static IEnumerable<IndexedRecord> Failing()
        {
            yield return IndexedRecord.From(TestRecords.Rice);
            throw new InvalidOperationException("input broke halfway");
        }

        Assert.Throws<InvalidOperationException>(() =>
            IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Failing(), prune: true));

        using var reader = DirectoryReader.Open(directory);
        Assert.That(reader.NumDocs, Is.EqualTo(2));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void Update_FailureMidway_OnAnyThreadCount_RollsBackEverything(int threads)
    {
        using var temp = new TempDirectory();
        using var directory = FSDirectory.Open(temp.Path);
        IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records(TestRecords.Battery, TestRecords.Vision));

        // Enough records that workers are busy when the duplicate arrives.
        var records = Enumerable.Range(0, 600).Select(i => TestRecords.Rice with { Id = $"R{i:D4}" }).Append(TestRecords.Rice with { Id = "R0007" });

        var error = Assert.Throws<MatchingException>(() =>
            IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, Records([.. records]), threads: threads));

        Assert.That(error.Message, Does.Contain("record id 'R0007' appears twice"));
        using var reader = DirectoryReader.Open(directory);
        Assert.That(reader.NumDocs, Is.EqualTo(2));
    }

    [Test]
    public void Search_IndexBuiltOnOneOrFourThreads_SameRankingsAndScores()
    {
        // Four threads flush several segments in an order that varies from run to run; BM25 statistics are
        // index-wide and ties are broken by id, so every query must rank identically.
        var sample = SampleEvent.Achievements;
        List<string> Run(int threads)
        {
            using var directory = new RAMDirectory();
            IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, sample.Select(IndexedRecord.From), threads: threads);
            using var searcher = new Matching.Retrieval.RecordSearcher(directory, RecordKind.Achievements, AnalyzerKind.Jieba);
            return [.. SampleEvent.Demands.SelectMany(d => searcher.Search(Matching.Retrieval.QueryText.From(d), 20, withMatchedTerms: false)
                .Select(c => $"{d.Id} {c.Rank} {c.Id} {c.Score:R}"))];
        }

        var one = Run(1);
        Assert.That(Run(4), Is.EqualTo(one));
        Assert.That(one, Has.Count.GreaterThan(1000));
    }

    [Test]
    public void Update_Merge_OneSegmentAndTheSameRankings()
    {
        using var temp = new TempDirectory();
        var merged = new Matching.Engine.EngineOptions { IndexPath = Path.Combine(temp.Path, "merged"), IndexThreads = 3, MergeSegments = true };
        var plain = new Matching.Engine.EngineOptions { IndexPath = Path.Combine(temp.Path, "plain"), IndexThreads = 3 };
        Matching.Engine.MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, merged);
        Matching.Engine.MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, plain);

        using (var directory = FSDirectory.Open(Path.Combine(merged.IndexPath, "achievements")))
        using (var reader = DirectoryReader.Open(directory))
        {
            Assert.That(reader.Leaves, Has.Count.EqualTo(1));
            Assert.That(reader.NumDocs, Is.EqualTo(120));
        }

        using var a = Matching.Engine.MatchingEngine.Open(merged);
        using var b = Matching.Engine.MatchingEngine.Open(plain);
        foreach (var demand in SampleEvent.Demands)
        {
            Assert.That(a.MatchDemand(demand, 20), Is.EqualTo(b.MatchDemand(demand, 20)).Using<Matching.Retrieval.Candidate>((x, y) =>
                x.Id == y.Id && x.Rank == y.Rank && x.Score.Equals(y.Score) && x.MatchedTerms.SequenceEqual(y.MatchedTerms)), demand.Id);
        }
    }

    [Test]
    public void IntToByte4_MatchesLucene8Encoding()
    {
        // Lengths below 24 are exact; larger ones keep 4 significant bits and decode to a lower bound.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lucene8Bm25Similarity.Byte4ToInt(Lucene8Bm25Similarity.IntToByte4(17)), Is.EqualTo(17));
            Assert.That(Lucene8Bm25Similarity.Byte4ToInt(Lucene8Bm25Similarity.IntToByte4(100)), Is.EqualTo(96));
            Assert.That(Lucene8Bm25Similarity.IntToByte4(int.MaxValue), Is.EqualTo((byte)255));
        }
    }
}
