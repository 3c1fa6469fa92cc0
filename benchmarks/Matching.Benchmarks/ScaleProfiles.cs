using System.Diagnostics;
using Matching.Features;
using Matching.Ingestion;

namespace Matching.Benchmarks;

/// <summary>Where building pair-feature profiles spends its time on a large input: segmentation (parallel) and the
/// sequential part that hands out term ids.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Matching.Benchmarks -- scale-profiles ACHIEVEMENTS.jsonl [N] [pipeline]</c></remarks>
internal static class ScaleProfiles
{
    public static int Run(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var records = RecordReader.ReadAchievements(args[0]).Records.Take(count).ToList();
        var builder = new ProfileBuilder(new TermDictionary());
        builder.Analyze(records[0]);
        if (args.Length > 2 && args[2] == "pipeline")
        {
            // Only the engine's path, as a batch runs it (for comparing runtime settings such as the GC's).
            var started = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var built = builder.BuildAll(records, a => a.Id, builder.Analyze);
            Console.WriteLine($"BuildAll: {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - started).TotalSeconds:F2} s CPU, " +
                $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gen0/1/2 collections, {GC.GetTotalPauseDuration().TotalSeconds:F2} s paused");
            return built.Count == records.Count ? 0 : 1;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var analyzed = new AnalyzedRecord[records.Count];
        Parallel.For(0, records.Count, i => analyzed[i] = builder.Analyze(records[i]));
        Console.WriteLine($"analyse (parallel): {wall.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU for {records.Count:N0} records");
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        wall.Restart();
        var profiles = analyzed.Select(builder.Finish).ToList();
        Console.WriteLine($"finish (sequential): {wall.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU");
        double Mean(Func<RecordProfile, int> size) => profiles.Average(p => (double)size(p));
        Console.WriteLine($"per profile: words {Mean(p => p.Words.Length):F0}, terms {Mean(p => p.Terms.Length):F0}, title words {Mean(p => p.TitleWords.Length):F0}, " +
            $"keyword words {Mean(p => p.KeywordWords.Length):F0}, chars {Mean(p => p.Chars.Length):F0}, bigrams {Mean(p => p.Bigrams.Length):F0}, " +
            $"text {Mean(p => p.Text.Length):F0} chars, keywords {Mean(p => p.Keywords.Length):F1} ({Mean(p => p.Keywords.Sum(k => k.Length)):F0} chars, {Mean(p => p.KeywordBigrams.Sum(k => k.Length)):F0} bigrams)");
        Console.WriteLine($"order and specs per profile: short text {Mean(p => p.ShortText.Length):F0} chars, title bigrams {Mean(p => p.TitleBigrams.Length):F0}, " +
            $"word pairs {Mean(p => p.WordPairs.Length):F0}, specs {Mean(p => p.Specs.Length):F1}, lead {Mean(p => p.LeadLetters):F0} letters (no copy)");
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        wall.Restart();
        var pipelined = new ProfileBuilder(new TermDictionary()).BuildAll(records, a => a.Id, builder.Analyze);
        Console.WriteLine($"BuildAll (blocks of 8,192, finishing overlapped): {wall.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU");
        return profiles.Count == records.Count && pipelined.Count == records.Count ? 0 : 1;
    }
}
