using Lucene.Net.Index;
using Lucene.Net.Store;
using Matching.Engine;
using Matching.Indexing;
using Matching.Ingestion;

namespace Matching.Tests.Reliability;

/// <summary><see cref="MatchingEngine.UpdateIndexFromFiles"/>: files streamed into the index record by record give the
/// same index as records read into memory, and a bad input changes neither index.</summary>
public sealed class StreamingIndexTests
{
    private static string Sample(string file) => Path.Combine(Matching.Ingestion.SampleEvent.Directory, file);

    [Test]
    public void UpdateIndexFromFiles_SampleFiles_SameIndexAsTheInMemoryUpdate()
    {
        using var streamed = new TempDirectory();
        using var inMemory = new TempDirectory();

        var report = MatchingEngine.UpdateIndexFromFiles(Sample("achievements.csv"), Sample("demands.csv"),
            new EngineOptions { IndexPath = streamed.Path }, ReadOptions.Default);
        var expected = MatchingEngine.UpdateIndex(SampleEvent.Achievements, SampleEvent.Demands, new EngineOptions { IndexPath = inMemory.Path });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(report, Is.EqualTo(expected));
            Assert.That(report.Achievements, Is.EqualTo(new IndexCounts(120, 0, 0, 0, 120)));
            Assert.That(Hashes(streamed.Path, "achievements"), Is.EqualTo(Hashes(inMemory.Path, "achievements")));
            Assert.That(Hashes(streamed.Path, "demands"), Is.EqualTo(Hashes(inMemory.Path, "demands")));
        }
    }

    [Test]
    public void UpdateIndexFromFiles_BadRowNearTheEndOfTheDemands_NeitherIndexChanges()
    {
        using var temp = new TempDirectory();
        MatchingEngine.UpdateIndexFromFiles(Sample("achievements.csv"), Sample("demands.csv"), new EngineOptions { IndexPath = temp.Path }, ReadOptions.Default);
        var before = (Hashes(temp.Path, "achievements"), Hashes(temp.Path, "demands"));
        var achievements = temp.File("achievements.jsonl");
        File.WriteAllLines(achievements, ["""{"id": "A001", "title": "一种高镍三元正极材料的表面包覆改性技术（修订版）"}""", """{"id": "N001", "title": "新的固态电解质"}"""]);
        var demands = temp.File("demands.csv");
        File.WriteAllLines(demands, [.. File.ReadAllLines(Sample("demands.csv")), ",无编号的需求,描述"]);

        var error = Assert.Throws<InputFormatException>(() => MatchingEngine.UpdateIndexFromFiles(achievements, demands,
            new EngineOptions { IndexPath = temp.Path }, ReadOptions.Default));

        Assert.That(error!.Message, Is.EqualTo($"{demands}:62: field 'id': missing id"));
        Assert.That((Hashes(temp.Path, "achievements"), Hashes(temp.Path, "demands")), Is.EqualTo(before),
            "the achievements were read and indexed first, but not committed");
    }

    [Test]
    public void UpdateIndexFromFiles_SkipPolicy_SkippedRowsReportedInFileOrder()
    {
        using var temp = new TempDirectory();
        var achievements = temp.File("achievements.jsonl");
        File.WriteAllLines(achievements, ["""{"id": "A1", "title": "锂电池正极材料"}""", """{"title": "缺少编号"}""", """{"id": "A1", "title": "重复"}""", "not json", """{"id": "A2", "keywords": ["储能"]}"""]);
        var skipped = new List<InputFormatException>();

        var report = MatchingEngine.UpdateIndexFromFiles(achievements, null, new EngineOptions { IndexPath = temp.File("index") },
            new ReadOptions { OnBadRow = BadRowPolicy.Skip }, skipped: skipped);

        Assert.That(report.Achievements, Is.EqualTo(new IndexCounts(2, 0, 0, 0, 2)));
        Assert.That(skipped.Select(p => (p.Line, p.Field)), Is.EqualTo(new (int, string?)[] { (2, "id"), (3, "id"), (4, null) }));
    }

    [Test]
    public void UpdateIndexFromFiles_PruneWithOneFile_Refused()
    {
        using var temp = new TempDirectory();

        Assert.That(() => MatchingEngine.UpdateIndexFromFiles(Sample("achievements.csv"), null, new EngineOptions { IndexPath = temp.Path },
            ReadOptions.Default, prune: true), Throws.ArgumentException.With.Message.Contains("prune needs both files"));
    }

    private static Dictionary<string, string> Hashes(string indexPath, string kind)
    {
        using var directory = FSDirectory.Open(Path.Combine(indexPath, kind));
        using var reader = DirectoryReader.Open(directory);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var live = MultiFields.GetLiveDocs(reader);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is null || live.Get(doc))
            {
                var stored = reader.Document(doc);
                hashes.Add(stored.Get(IndexSchema.Id), stored.Get(IndexSchema.Hash));
            }
        }

        return hashes;
    }
}
