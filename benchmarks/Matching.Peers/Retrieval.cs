using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Matching.Ingestion;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Peers;

/// <summary>BM25 top-100 over pre-segmented text in Lucene.Net 4.8, the same program as Bm25Peer.java.</summary>
internal static class Retrieval
{
    private const string Body = "body";
    private const string Id = "id";

    /// <summary>Segments the achievements (abstracts) and the demands with Matching's query analyzer
    /// (normalise, jieba precise mode with HMM and Matching's user dictionary, punctuation and stop words dropped)
    /// and writes them space-joined: <c>docs.tsv</c> and <c>queries.tsv</c>, <c>id TAB terms</c>.</summary>
    public static int Dump(string dataDir, string demandsFile, string outDir)
    {
        System.IO.Directory.CreateDirectory(outDir);
        using var analyzer = Internals.QueryAnalyzer();
        var terms = Internals.Terms(analyzer);
        string Joined(IEnumerable<string> parts) =>
            string.Join(' ', terms(string.Join('\n', parts.Where(p => p.Length > 0))).Select(t => t.Replace(' ', '_').Replace('\t', '_')));

        var achievements = RecordReader.ReadAchievements(Path.Combine(dataDir, "achievements.jsonl")).Records;
        using (var docs = new StreamWriter(Path.Combine(outDir, "docs.tsv"), false, new UTF8Encoding(false)) { NewLine = "\n" })
        {
            foreach (var a in achievements)
            {
                docs.WriteLine($"{a.Id}\t{Joined([a.Title, a.Abstract, .. a.Keywords])}");
            }
        }

        var demands = RecordReader.ReadDemands(Path.Combine(dataDir, demandsFile)).Records;
        using (var queries = new StreamWriter(Path.Combine(outDir, "queries.tsv"), false, new UTF8Encoding(false)) { NewLine = "\n" })
        {
            foreach (var d in demands)
            {
                queries.WriteLine($"{d.Id}\t{Joined([d.Title, d.Description, .. d.Keywords])}");
            }
        }

        Results.Log($"{outDir}: {achievements.Count} documents, {demands.Count} queries");
        return 0;
    }

    public static int Search(string dumpDir, string similarityName, string directoryKind, int warmup, int rounds, int passes, string? runOut)
    {
        Similarity similarity = similarityName switch
        {
            "lucene8" => Internals.Lucene8Bm25(),
            "lucene48" => new BM25Similarity(1.2f, 0.75f),
            _ => throw new ArgumentException($"--sim {similarityName}: expected lucene8 or lucene48"),
        };

        var docs = ReadTsv(Path.Combine(dumpDir, "docs.tsv"));
        var queries = ReadTsv(Path.Combine(dumpDir, "queries.tsv"));
        var tempDir = Path.Combine(Path.GetTempPath(), $"matching-peers-lucenenet-{Environment.ProcessId}");
        LuceneDirectory directory = directoryKind switch
        {
            "ram" => new RAMDirectory(),
            "mmap" => new MMapDirectory(new DirectoryInfo(tempDir)),
            _ => throw new ArgumentException($"--dir {directoryKind}: expected ram or mmap"),
        };

        try
        {
            var indexing = Timing.Measure(() => Index(directory, similarity, docs));
            using var reader = DirectoryReader.Open(directory);
            if (reader.Leaves.Count != 1)
            {
                throw new InvalidOperationException($"expected one segment, got {reader.Leaves.Count}");
            }

            var searcher = new IndexSearcher(reader) { Similarity = similarity };
            var ids = new string[reader.MaxDoc];
            for (var doc = 0; doc < reader.MaxDoc; doc++)
            {
                ids[doc] = reader.Document(doc).Get(Id);
            }

            var built = queries.Select(q => (q.Id, Query: Build(q.Text))).Where(q => q.Query.Clauses.Count > 0).ToArray();
            long Pass()
            {
                long hits = 0;
                foreach (var (_, query) in built)
                {
                    hits += searcher.Search(query, 100).ScoreDocs.Length;
                }

                return hits;
            }

            for (var i = 0; i < warmup; i++)
            {
                Pass();
            }

            var samples = new List<Sample>();
            for (var i = 0; i < rounds; i++)
            {
                samples.Add(Timing.Measure(() =>
                {
                    for (var p = 0; p < passes; p++)
                    {
                        GC.KeepAlive(Pass());
                    }
                }));
            }

            if (runOut is not null)
            {
                using var run = new StreamWriter(runOut, false, new UTF8Encoding(false)) { NewLine = "\n" };
                foreach (var (qid, query) in built)
                {
                    var top = searcher.Search(query, 100).ScoreDocs;
                    for (var rank = 0; rank < top.Length; rank++)
                    {
                        run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{qid} Q0 {ids[top[rank].Doc]} {rank + 1} {top[rank].Score:R} lucenenet-{similarityName}"));
                    }
                }
            }

            Results.Emit(new()
            {
                ["kind"] = "bm25",
                ["peer"] = $"Lucene.Net 4.8.0-beta00017, {(similarityName == "lucene8" ? "Matching's Lucene8Bm25Similarity" : "stock BM25Similarity (4.8 one-byte norm)")}, {directoryKind}",
                ["key"] = $"lucenenet.{similarityName}.{directoryKind}",
                ["queries"] = built.Length * passes,
                ["distinct_queries"] = built.Length,
                ["docs"] = docs.Count,
                ["index_s"] = Math.Round(indexing.Wall, 3),
                ["wall_s"] = Results.Walls(samples),
                ["cpu_s"] = Results.Cpus(samples),
                ["thread_cpu_s"] = Results.ThreadCpus(samples),
            });
            return 0;
        }
        finally
        {
            directory.Dispose();
            if (System.IO.Directory.Exists(tempDir))
            {
                System.IO.Directory.Delete(tempDir, recursive: true);
            }
        }
    }

    private static void Index(LuceneDirectory directory, Similarity similarity, List<(string Id, string Text)> docs)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            Similarity = similarity,
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 1024,
            MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
            MergePolicy = NoMergePolicy.NO_COMPOUND_FILES,
        };
        using var writer = new IndexWriter(directory, config);
        foreach (var (id, text) in docs)
        {
            writer.AddDocument(new Document
            {
                new StringField(Id, id, Field.Store.YES),
                new TextField(Body, text, Field.Store.NO),
            });
        }

        writer.Commit();
    }

    /// <summary>One SHOULD clause per distinct term, in order of first occurrence (as Bm25Peer.java does).</summary>
    private static BooleanQuery Build(string text)
    {
        var query = new BooleanQuery();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (seen.Add(term))
            {
                query.Add(new TermQuery(new Term(Body, term)), Occur.SHOULD);
            }
        }

        return query;
    }

    private static List<(string Id, string Text)> ReadTsv(string path) =>
        [.. File.ReadLines(path, Encoding.UTF8).Select(line =>
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            return (line[..tab], line[(tab + 1)..]);
        })];
}
