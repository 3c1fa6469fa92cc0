using System.Diagnostics;
using Matching.Indexing;
using Matching.Ingestion;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Benchmarks;

/// <summary>Retrieval on a large on-disk index, outside BenchmarkDotNet (one query takes up to a tenth of a second, and
/// the index takes a minute to open): CPU per query of the engine's scorer and of Lucene's own BooleanQuery on the same
/// queries, and whether their top hits agree.</summary>
/// <remarks>
/// <c>dotnet run -c Release --project benchmarks/Matching.Benchmarks -- scale-retrieval INDEX_DIR DEMANDS.jsonl [N] [TOP]</c>
/// where INDEX_DIR is a folder written by <c>matching index</c> (its achievements index is searched).
/// </remarks>
internal static class ScaleRetrieval
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: scale-retrieval INDEX_DIR DEMANDS.jsonl [N=200] [TOP=100]");
            return 2;
        }

        var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var top = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var demands = RecordReader.ReadDemands(args[1]).Records.Take(count).Select(QueryText.From).ToList();
        var opening = Stopwatch.StartNew();
        using var directory = IndexSchema.OpenDirectory(Path.Combine(args[0], "achievements"));
        // Optional tuning from the environment, for trying other settings without a rebuild.
        var settings = new ScorerSettings();
        if (Environment.GetEnvironmentVariable("MATCHING_SCORER_WINDOW") is { } window)
        {
            settings = settings with { Window = int.Parse(window, System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (Environment.GetEnvironmentVariable("MATCHING_SCORER_TABLES") is { } tables)
        {
            settings = settings with { PostingsPerTableEntry = int.Parse(tables, System.Globalization.CultureInfo.InvariantCulture) };
        }

        var retrieval = new RetrievalOptions();
        if (Environment.GetEnvironmentVariable("MATCHING_MAX_QUERY_TERMS") is { } cap)
        {
            retrieval = new RetrievalOptions { MaxQueryTerms = int.Parse(cap, System.Globalization.CultureInfo.InvariantCulture) };
        }

        using var searcher = new RecordSearcher(directory, RecordKind.Achievements, AnalyzerKind.Jieba, retrieval, verifyChecksums: false, scoring: settings);
        Console.WriteLine($"opened {searcher.Count:N0} records in {opening.Elapsed.TotalSeconds:F1} s; {demands.Count} queries, top {top}, at most {retrieval.MaxQueryTerms} query terms");

        // Warm up both paths on a few queries: JIT tiers (the shared postings decoding is only fully optimised after a
        // few dozen queries) and the first dictionary loads.
        foreach (var q in demands.Take(40))
        {
            searcher.FastTop(q, top);
            searcher.LuceneTop(q, top);
        }

        var fast = Time(() => demands.Select(q => searcher.FastTop(q, top).Select(h => (h.Doc, h.Score)).ToList()).ToList(), out var fastMs);
        var lucene = Time(() => demands.Select(q => searcher.LuceneTop(q, top).Select(h => (h.Doc, h.Score)).ToList()).ToList(), out var luceneMs);
        var kept = Time(() => demands.Select(q => searcher.WeightedTerms(q).Count).ToList(), out var prepareMs);
        var sorted = kept.Order().ToList();
        Console.WriteLine($"query terms kept: mean {kept.Average():F1}, median {sorted[sorted.Count / 2]}, max {sorted[^1]}; "
            + $"{kept.Count(k => k >= retrieval.MaxQueryTerms)} of {kept.Count} queries at the cap");
        Console.WriteLine($"of which query analysis and term lookups: {prepareMs / demands.Count:F1} ms CPU a query");
        var postings = Time(() => demands.Select(q => searcher.CountPostings(q, false)).Sum(), out var iterateMs);
        Time(() => demands.Select(q => searcher.CountPostings(q, true)).Sum(), out var iterateFreqMs);
        Console.WriteLine($"postings a query: {postings / demands.Count:N0}; walking them: {iterateMs / demands.Count:F1} ms, with freqs {iterateFreqMs / demands.Count:F1} ms");
        var identical = 0;
        var sameSet = 0;
        for (var i = 0; i < demands.Count; i++)
        {
            identical += fast[i].SequenceEqual(lucene[i]) ? 1 : 0;
            sameSet += fast[i].ToHashSet().SetEquals(lucene[i]) ? 1 : 0;
        }

        Console.WriteLine($"term at a time: {fastMs / demands.Count:F1} ms CPU a query");
        Console.WriteLine($"Lucene BooleanQuery: {luceneMs / demands.Count:F1} ms CPU a query");
        var distinct = fast.SelectMany(list => list.Select(h => h.Doc)).Distinct().Count();
        Console.WriteLine($"distinct documents in the {demands.Count} top-{top} lists: {distinct:N0} of {demands.Count * top:N0} slots");
        Console.WriteLine($"kept postings lists: {searcher.CachedPostingsBytes / (1024.0 * 1024):F0} MiB");
        Console.WriteLine($"identical lists (doc and score, in order): {identical}/{demands.Count}; same (doc, score) sets: {sameSet}/{demands.Count}");
        return identical == demands.Count ? 0 : 1;
    }

    private static T Time<T>(Func<T> work, out double cpuMilliseconds)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var result = work();
        cpuMilliseconds = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
        return result;
    }
}
