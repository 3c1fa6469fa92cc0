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

    /// <summary>Segments the achievements (title, abstract, keywords) and the demands (title, description, keywords)
    /// with one of Matching's analyzers (normalise, jieba with Matching's user dictionary, punctuation and stop words
    /// dropped) and writes them space-joined, <c>id TAB terms</c>: <c>docs.tsv</c>, <c>queries.tsv</c> and, with a
    /// terms cap, <c>queries.full.tsv</c> (the analysed queries before the cap, written first).</summary>
    /// <param name="analyzerName"><c>query</c>: precise mode, one term a word (the CSL short-query setting);
    /// <c>index</c>: search mode with sub-words, the analyzer the engine indexes and analyses demands with.</param>
    /// <param name="limit">Only the first this many achievements (0: all).</param>
    /// <param name="maxTerms">When positive, queries are cut as <see cref="Cap"/> does. Zero: the analysed text as it is.</param>
    /// <param name="threads">Threads segmenting the documents (their order is kept).</param>
    public static int Dump(string dataDir, string achievementsFile, string demandsFile, string outDir, string analyzerName, int limit, int maxTerms, int threads)
    {
        System.IO.Directory.CreateDirectory(outDir);
        using var analyzer = analyzerName switch
        {
            "query" => Internals.QueryAnalyzer(),
            "index" => Internals.IndexAnalyzer(),
            _ => throw new ArgumentException($"--analyzer {analyzerName}: expected query or index"),
        };
        var terms = Internals.Terms(analyzer);
        string Analysed(IEnumerable<string> parts) =>
            string.Join(' ', terms(string.Join('\n', parts.Where(p => p.Length > 0))).Select(t => t.Replace(' ', '_').Replace('\t', '_')));

        var demands = RecordReader.ReadDemands(Path.Combine(dataDir, demandsFile)).Records;
        var queries = demands.Select(d => (d.Id, Text: Analysed([d.Title, d.Description, .. d.Keywords]))).ToList();
        if (maxTerms > 0)
        {
            WriteAtomically(Path.Combine(outDir, "queries.full.tsv"), w => queries.ForEach(q => w.WriteLine($"{q.Id}\t{q.Text}")));
        }

        var achievements = Internals.StreamAchievements(Path.Combine(dataDir, achievementsFile));
        if (limit > 0)
        {
            achievements = achievements.Take(limit);
        }

        var docCount = 0;
        WriteAtomically(Path.Combine(outDir, "docs.tsv"), docs =>
        {
            // In chunks, in input order: the file grows as it goes, so a prefix of it is a smaller corpus (bm25-cap).
            foreach (var chunk in achievements.Chunk(4096))
            {
                var analysed = chunk.AsParallel().AsOrdered().WithDegreeOfParallelism(Math.Max(1, threads))
                    .Select(a => Analysed([a.Title, a.Abstract, .. a.Keywords])).ToArray();
                for (var i = 0; i < chunk.Length; i++)
                {
                    docs.WriteLine($"{chunk[i].Id}\t{analysed[i]}");
                }

                docs.Flush();
                docCount += chunk.Length;
            }
        });

        Results.Log($"{outDir}: {docCount} documents, {demands.Count} queries ({analyzerName} analyzer)");
        if (maxTerms > 0)
        {
            return Cap(Path.Combine(outDir, "docs.tsv"), Path.Combine(outDir, "queries.full.tsv"), outDir, 0, maxTerms);
        }

        WriteAtomically(Path.Combine(outDir, "queries.tsv"), w => queries.ForEach(q => w.WriteLine($"{q.Id}\t{q.Text}")));
        return 0;
    }

    /// <summary>Writes <c>queries.tsv</c> to <paramref name="outDir"/>: each query of <paramref name="fullQueries"/> cut
    /// to its distinct terms that occur in the documents, at most <paramref name="maxTerms"/> of them, the highest
    /// occurrences × idf first (the engine's cap, with unit term weights), ties by first occurrence, written in
    /// order of first occurrence. With <paramref name="limit"/> the corpus is the first that many lines of
    /// <paramref name="docsPath"/>, written to <c>outDir/docs.tsv</c>.</summary>
    public static int Cap(string docsPath, string fullQueries, string outDir, int limit, int maxTerms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTerms, 1);
        System.IO.Directory.CreateDirectory(outDir);
        var queries = ReadTsv(fullQueries).Select(q => (q.Id, Terms: q.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        var docFreqs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in queries.SelectMany(q => q.Terms))
        {
            docFreqs.TryAdd(term, 0);
        }

        var docs = File.ReadLines(docsPath, Encoding.UTF8);
        if (limit > 0)
        {
            docs = docs.Take(limit);
        }

        var copy = limit > 0 ? Path.Combine(outDir, "docs.tsv") : null;
        if (copy is not null && Path.GetFullPath(copy) == Path.GetFullPath(docsPath))
        {
            throw new ArgumentException($"{docsPath}: cutting a corpus needs another output folder");
        }

        var docCount = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Count(string line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            seen.Clear();
            foreach (var term in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (seen.Add(term) && docFreqs.TryGetValue(term, out var df))
                {
                    docFreqs[term] = df + 1;
                }
            }

            docCount++;
        }

        if (copy is null)
        {
            foreach (var line in docs)
            {
                Count(line);
            }
        }
        else
        {
            WriteAtomically(copy, w =>
            {
                foreach (var line in docs)
                {
                    Count(line);
                    w.WriteLine(line);
                }
            });
            if (limit > 0 && docCount < limit)
            {
                throw new InvalidOperationException($"{docsPath}: {docCount} documents, fewer than --limit {limit}");
            }
        }

        var cut = 0;
        WriteAtomically(Path.Combine(outDir, "queries.tsv"), w =>
        {
            foreach (var (id, terms) in queries)
            {
                var first = new Dictionary<string, int>(StringComparer.Ordinal);
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var term in terms)
                {
                    first.TryAdd(term, first.Count);
                    counts[term] = counts.GetValueOrDefault(term) + 1;
                }

                var present = first.Keys.Where(t => docFreqs[t] > 0).ToList();
                cut += present.Count > maxTerms ? 1 : 0;
                var kept = present
                    .OrderByDescending(t => counts[t] * Idf(docFreqs[t], docCount))
                    .ThenBy(t => first[t])
                    .Take(maxTerms)
                    .OrderBy(t => first[t]);
                w.WriteLine($"{id}\t{string.Join(' ', kept)}");
            }
        });

        Results.Log($"{outDir}: {docCount} documents, {queries.Count} queries, {cut} of them cut to {maxTerms} terms");
        return 0;
    }

    /// <summary>Lucene's BM25 idf, for ordering a query's terms as the engine's cap does.</summary>
    private static double Idf(int df, int docCount) => Math.Log(1 + ((docCount - df + 0.5) / (df + 0.5)));

    private static void WriteAtomically(string path, Action<StreamWriter> write)
    {
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" })
        {
            write(writer);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Indexes <c>docs.tsv</c> (or opens the index a previous run left in <paramref name="indexDir"/>) and
    /// measures top-100 retrieval for the queries of <c>queries.tsv</c> with one scorer.</summary>
    /// <param name="scorerName"><c>lucene</c>: Lucene.Net's <see cref="BooleanQuery"/> of SHOULD <see cref="TermQuery"/>
    /// clauses; <c>engine</c>: the engine's own scorer (<c>TermAtATimeScorer</c>, what <c>RecordSearcher.Search</c> runs)
    /// over the same term clauses, unit boosts.</param>
    /// <param name="indexDir">Where the on-disk index is kept between runs (built there when absent); null: a temporary
    /// folder, deleted at the end. With <c>--dir ram</c> a kept index is copied into memory.</param>
    /// <param name="queryLimit">Only the first this many queries (0: all).</param>
    public static int Search(string dumpDir, string similarityName, string scorerName, string directoryKind, string? indexDir,
        int queryLimit, int warmup, int rounds, int passes, string? runOut)
    {
        Similarity similarity = similarityName switch
        {
            "lucene8" => Internals.Lucene8Bm25(),
            "lucene48" => new BM25Similarity(1.2f, 0.75f),
            _ => throw new ArgumentException($"--sim {similarityName}: expected lucene8 or lucene48"),
        };
        var engine = scorerName switch
        {
            "lucene" => false,
            "engine" when similarityName == "lucene8" => true,
            "engine" => throw new ArgumentException("--scorer engine needs --sim lucene8 (the engine's similarity)"),
            _ => throw new ArgumentException($"--scorer {scorerName}: expected lucene or engine"),
        };

        var queries = ReadTsv(Path.Combine(dumpDir, "queries.tsv")).Take(queryLimit > 0 ? queryLimit : int.MaxValue).ToList();

        var keep = indexDir is not null;
        var folder = indexDir ?? Path.Combine(Path.GetTempPath(), $"matching-peers-lucenenet-{Environment.ProcessId}");
        LuceneDirectory OnDisk() => directoryKind == "mmap" ? new MMapDirectory(new DirectoryInfo(folder)) : new NIOFSDirectory(new DirectoryInfo(folder));
        if (directoryKind is not ("ram" or "mmap" or "nio"))
        {
            throw new ArgumentException($"--dir {directoryKind}: expected ram, mmap or nio");
        }

        LuceneDirectory directory;
        double? indexSeconds = null;
        if (keep && DirectoryReader.IndexExists(FSDirectory.Open(new DirectoryInfo(folder))))
        {
            Results.Log($"{folder}: reusing the index");
            directory = directoryKind == "ram" ? new RAMDirectory(OnDisk(), IOContext.DEFAULT) : OnDisk();
        }
        else
        {
            directory = directoryKind == "ram" && !keep ? new RAMDirectory() : OnDisk();
            indexSeconds = Timing.Measure(() => Index(directory, similarity, Path.Combine(dumpDir, "docs.tsv"))).Wall;
            if (directoryKind == "ram" && keep)
            {
                var built = directory;
                directory = new RAMDirectory(built, IOContext.DEFAULT);
                built.Dispose();
            }
        }

        try
        {
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

            using var scorer = engine ? Internals.EngineScorer(searcher, similarity, Body) : null;
            var parsed = queries.Select(q => (q.Id, Terms: DistinctTerms(q.Text))).Where(q => q.Terms.Length > 0).ToArray();
            var built = parsed.Select(q => Build(q.Terms)).ToArray();
            var topContext = reader.Context;
            var leaves = reader.Leaves;

            // What RecordSearcher does for a query, minus analysis: one terms enumerator per segment, a seek per term
            // (the states the clause keeps), one clause per term found, then the scorer. Lucene's TermQuery does the
            // same seeks when its weight is created, inside searcher.Search.
            List<ScoreDoc> EngineTop(string[] terms)
            {
                var clauses = scorer!.NewClauses(terms.Length);
                var enums = new TermsEnum?[leaves.Count];
                for (var l = 0; l < enums.Length; l++)
                {
                    enums[l] = leaves[l].AtomicReader.GetTerms(Body)?.GetEnumerator();
                }

                foreach (var term in terms)
                {
                    var bytes = new BytesRef(term);
                    var states = new TermContext(topContext);
                    for (var l = 0; l < enums.Length; l++)
                    {
                        if (enums[l] is { } termsEnum && termsEnum.SeekExact(bytes))
                        {
                            states.Register(termsEnum.GetTermState(), leaves[l].Ord, termsEnum.DocFreq, termsEnum.TotalTermFreq);
                        }
                    }

                    if (states.DocFreq > 0)
                    {
                        scorer.Add(clauses, term, bytes, 1f, states);
                    }
                }

                return scorer.Top(clauses, 100);
            }

            ScoreDoc[] Top(int q) => engine ? [.. EngineTop(parsed[q].Terms)] : searcher.Search(built[q], 100).ScoreDocs;

            long Pass()
            {
                long hits = 0;
                for (var q = 0; q < parsed.Length; q++)
                {
                    hits += engine ? EngineTop(parsed[q].Terms).Count : searcher.Search(built[q], 100).ScoreDocs.Length;
                }

                return hits;
            }

            var warmupSamples = new List<Sample>();
            for (var i = 0; i < warmup; i++)
            {
                warmupSamples.Add(Timing.Measure(() => GC.KeepAlive(Pass())));
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
                WriteAtomically(runOut, run =>
                {
                    for (var q = 0; q < parsed.Length; q++)
                    {
                        var top = Top(q);
                        for (var rank = 0; rank < top.Length; rank++)
                        {
                            run.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{parsed[q].Id} Q0 {ids[top[rank].Doc]} {rank + 1} {top[rank].Score:R} {Tag()}"));
                        }
                    }
                });
            }

            string Tag() => engine ? "matching-engine" : $"lucenenet-{similarityName}";
            var what = engine
                ? "Matching's engine scorer (TermAtATimeScorer) over Lucene.Net 4.8.0-beta00017 postings, Lucene8Bm25Similarity"
                : $"Lucene.Net 4.8.0-beta00017 BooleanQuery, {(similarityName == "lucene8" ? "Matching's Lucene8Bm25Similarity" : "stock BM25Similarity (4.8 one-byte norm)")}";
            Results.Emit(new()
            {
                ["kind"] = "bm25",
                ["peer"] = $"{what}, {directoryKind}",
                ["key"] = engine ? $"matching.engine.{directoryKind}" : $"lucenenet.{similarityName}.{directoryKind}",
                ["queries"] = parsed.Length * passes,
                ["distinct_queries"] = parsed.Length,
                ["docs"] = reader.NumDocs,
                ["terms_per_query"] = Math.Round(parsed.Average(q => q.Terms.Length), 1),
                ["index_s"] = indexSeconds is { } s ? Math.Round(s, 3) : null,
                ["warmup_cpu_s"] = Results.Cpus(warmupSamples),
                ["wall_s"] = Results.Walls(samples),
                ["cpu_s"] = Results.Cpus(samples),
                ["thread_cpu_s"] = Results.ThreadCpus(samples),
                ["kept_postings_mib"] = scorer is null ? null : Math.Round(scorer.CachedBytes / 1048576.0, 1),
                ["dump"] = Path.GetFullPath(dumpDir),
            });
            return 0;
        }
        finally
        {
            directory.Dispose();
            if (!keep && System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>One segment with documents in input order (one indexing thread; flushed segments are merged by a
    /// policy that only joins neighbours), so document numbers, and ties, are the same in every engine.</summary>
    private static void Index(LuceneDirectory directory, Similarity similarity, string docsPath)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
        {
            Similarity = similarity,
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 1024,
            MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
            MergePolicy = new LogDocMergePolicy { MergeFactor = 1000, NoCFSRatio = 0 },
            UseCompoundFile = false,
        };
        using var writer = new IndexWriter(directory, config);
        foreach (var (id, text) in ReadTsv(docsPath))
        {
            writer.AddDocument(new Document
            {
                new StringField(Id, id, Field.Store.YES),
                new TextField(Body, text, Field.Store.NO),
            });
        }

        writer.ForceMerge(1);
        writer.Commit();
    }

    /// <summary>The distinct terms of a query, in order of first occurrence (as Bm25Peer.java takes them).</summary>
    private static string[] DistinctTerms(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(seen.Add)];
    }

    /// <summary>One SHOULD clause per distinct term, in order of first occurrence.</summary>
    private static BooleanQuery Build(string[] terms)
    {
        var query = new BooleanQuery();
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term(Body, term)), Occur.SHOULD);
        }

        return query;
    }

    private static IEnumerable<(string Id, string Text)> ReadTsv(string path) =>
        File.ReadLines(path, Encoding.UTF8).Select(line =>
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            return (line[..tab], line[(tab + 1)..]);
        });
}
