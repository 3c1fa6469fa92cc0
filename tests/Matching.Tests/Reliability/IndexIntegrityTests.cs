using Lucene.Net.Index;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Matching.Engine;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Tests.Reliability;

/// <summary>A damaged index is reported (IndexMismatchException naming the damage and CheckIndex's verdict) by every
/// way of opening it, never crashed on and never silently searched.</summary>
public sealed class IndexIntegrityTests
{
    /// <summary>Ways a segment gets damaged: a copy cut short, bytes overwritten (a bad sector, a stray write), a zeroed header.</summary>
    public enum Damage
    {
        CompoundFileTruncated,
        CompoundFileBytesOverwritten,
        CompoundFileHeaderZeroed,
        SegmentsFileTruncated,
        StoredFieldsFileBytesOverwritten,
        StoredFieldsFileTruncated,
    }

    public enum Opener
    {
        RecordSearcher,
        IndexBuilder,
        MatchingEngineOpen,
    }

    private static IEnumerable<TestCaseData> Cases() =>
        from damage in Enum.GetValues<Damage>()
        from opener in Enum.GetValues<Opener>()
        select new TestCaseData(damage, opener);

    [TestCaseSource(nameof(Cases))]
    public void Open_DamagedSegment_IndexMismatchWithCheckIndexVerdict(Damage damage, Opener opener)
    {
        using var temp = new TempDirectory();
        BuildSample(temp.Path, nonCompound: damage is Damage.StoredFieldsFileBytesOverwritten or Damage.StoredFieldsFileTruncated);
        var achievements = Path.Combine(temp.Path, "achievements");
        var file = Apply(damage, achievements);

        var error = Assert.Throws<IndexMismatchException>(() => OpenWith(opener, temp.Path))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.StartWith($"the achievement index in {achievements} is damaged: Lucene CheckIndex: "));
            Assert.That(error.Message, Does.Contain(damage == Damage.SegmentsFileTruncated
                ? "could not read any segments file in directory"
                : "1 broken segments (containing 120 documents) detected; segment _"));
            Assert.That(error.Message, Does.EndWith("rebuild it from the original inputs with `matching index --rebuild`."));
            Assert.That(error.InnerException, Is.Not.Null, "the original failure is kept");
        }

        if (damage is Damage.CompoundFileBytesOverwritten or Damage.StoredFieldsFileBytesOverwritten)
        {
            // Without checksum verification these open fine and would be searched.
            Assert.That(error.Message, Does.Contain("check integrity FAILED").And.Contain("checksum failed").And.Contain(Path.GetFileName(file)));
        }

        TestContext.Out.WriteLine(error.Message);
    }

    [Test]
    public void Update_Rebuild_ReplacesADamagedIndex()
    {
        using var temp = new TempDirectory();
        BuildSample(temp.Path);
        Apply(Damage.CompoundFileBytesOverwritten, Path.Combine(temp.Path, "achievements"));

        var report = MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { IndexPath = temp.Path }, rebuild: true);
        using var engine = MatchingEngine.Open(new EngineOptions { IndexPath = temp.Path });

        Assert.That((report.Achievements.Added, engine.AchievementCount, engine.MatchDemand(SampleEvent.Demands[0])[0].Id), Is.EqualTo((120, 120, "A001")));
    }

    [Test]
    public void Verdict_HealthyIndex_Null()
    {
        using var temp = new TempDirectory();
        BuildSample(temp.Path, nonCompound: true);
        using var directory = FSDirectory.Open(Path.Combine(temp.Path, "achievements"));

        Assert.That(IndexIntegrity.Verdict(directory), Is.Null);
    }

    private static void OpenWith(Opener opener, string indexPath)
    {
        switch (opener)
        {
            case Opener.RecordSearcher:
                using (var directory = FSDirectory.Open(Path.Combine(indexPath, "achievements")))
                using (new RecordSearcher(directory, RecordKind.Achievements, AnalyzerKind.Jieba))
                {
                }

                break;
            case Opener.IndexBuilder:
                using (var directory = FSDirectory.Open(Path.Combine(indexPath, "achievements")))
                {
                    IndexBuilder.Update(directory, RecordKind.Achievements, AnalyzerKind.Jieba, SampleEvent.Achievements.Take(3).Select(IndexedRecord.From));
                }

                break;
            default:
                MatchingEngine.Open(new EngineOptions { IndexPath = indexPath }).Dispose();
                break;
        }
    }

    /// <summary>The sample event on disk. Flushed segments are compound files (<c>_0.cfs</c>); with
    /// <paramref name="nonCompound"/> the achievements are merged into one plain segment (<c>_1.fdt</c>, <c>_1.tim</c> …).</summary>
    private static void BuildSample(string path, bool nonCompound = false)
    {
        // One indexing thread: one flushed segment holding all 120 achievements.
        MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { IndexPath = path, IndexThreads = 1 });
        if (!nonCompound)
        {
            return;
        }

        using var directory = FSDirectory.Open(Path.Combine(path, "achievements"));
        var userData = DirectoryReader.ListCommits(directory)[^1].UserData;
        using var analyzer = MatchingAnalyzer.ForIndexing(AnalyzerKind.Jieba);
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = OpenMode.APPEND,
            Similarity = new Lucene8Bm25Similarity(),
            UseCompoundFile = false,
            MergePolicy = new TieredMergePolicy { NoCFSRatio = 0 },
        };
        using var writer = new IndexWriter(directory, config);
        // Re-adding one record makes a second segment, so the forced merge writes one plain (non-compound) segment.
        var record = IndexedRecord.From(SampleEvent.Achievements[0]);
        writer.UpdateDocument(new Term(IndexSchema.Id, record.Id), IndexBuilder.ToDocument(record, record.Hash));
        writer.ForceMerge(1);
        writer.SetCommitData(userData);
        writer.Commit();
    }

    /// <summary>Damages one file of the achievement index and returns its path.</summary>
    private static string Apply(Damage damage, string indexDirectory)
    {
        var files = System.IO.Directory.GetFiles(indexDirectory);
        var file = damage switch
        {
            Damage.SegmentsFileTruncated => files.Single(f => Path.GetFileName(f).StartsWith("segments_", StringComparison.Ordinal)),
            Damage.StoredFieldsFileBytesOverwritten or Damage.StoredFieldsFileTruncated => files.Single(f => f.EndsWith(".fdt", StringComparison.Ordinal)),
            _ => files.Single(f => f.EndsWith(".cfs", StringComparison.Ordinal)),
        };
        var bytes = File.ReadAllBytes(file);
        switch (damage)
        {
            case Damage.CompoundFileTruncated or Damage.SegmentsFileTruncated or Damage.StoredFieldsFileTruncated:
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case Damage.CompoundFileHeaderZeroed:
                Array.Clear(bytes, 0, 16);
                break;
            default:
                for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 64; i++)
                {
                    bytes[i] ^= 0x5A;
                }

                break;
        }

        File.WriteAllBytes(file, bytes);
        return file;
    }
}
