using System.Diagnostics;
using Matching.Engine;
using Matching.Features;

namespace Matching.Benchmarks;

/// <summary>The pair-feature profiles of an on-disk index: how long the feature space takes to open (from the profile
/// store, or built from the records as an index without a store is), and what the features of N demands' top-100 lists
/// cost then (profiles read on demand from the store, or looked up in memory), with a checksum of every feature bit.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Matching.Benchmarks -- scale-store INDEX_DIR store|memory [N]</c>; <c>… INDEX_DIR reads [N]</c> (cost of one stored read as a batch pays it); <c>… INDEX_DIR decode [N]</c> (by phase).</remarks>
internal static class ScaleStore
{
    public static int Run(string[] args)
    {
        var mode = args[1];
        if (mode == "decode")
        {
            return Decode(args[0], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
        }

        if (mode == "reads")
        {
            return Reads(args[0], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50_000);
        }

        var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
        using var engine = MatchingEngine.Open(new EngineOptions { IndexPath = args[0] });
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var space = mode == "store" ? engine.Features : FeatureSpace.Build(engine.Achievements(), engine.Demands());
        process.Refresh();
        Console.WriteLine($"{mode}: feature space in {wall.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU; " +
            $"stored {space.IsStored}; managed heap {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F0} MiB, working set {process.WorkingSet64 / 1048576.0:F0} MiB");

        var demands = engine.Demands().Take(count).ToList();
        var features = TimeSpan.Zero;
        ulong checksum = 0;
        var rows = 0;
        foreach (var demand in demands)
        {
            var candidates = engine.RetrieveForDemand(demand, 100).Select(c => c.Id).ToList();
            var clock = Stopwatch.StartNew();
            var row = space.ForDemand(space.Demand(demand.Id), candidates);
            features += clock.Elapsed;
            foreach (var value in row)
            {
                checksum = (checksum * 1_000_003UL) ^ (uint)BitConverter.SingleToInt32Bits(value);
            }

            rows += candidates.Count;
        }

        Console.WriteLine($"{mode}: features of {demands.Count:N0} demands' lists ({rows:N0} rows) in {features.TotalSeconds:F2} s " +
            $"({features.TotalMilliseconds * 1000 / Math.Max(1, rows):F2} µs a row, one thread); checksum {checksum:x16}");
        return 0;
    }

    /// <summary>What a batch pays per stored profile it reads: <see cref="FeatureSpace.Achievement"/> of N different
    /// achievements (none in the cache), each dropped after (as a batch drops a candidate's once its list is scored),
    /// with a checksum of their prepared sums and their terms (the same for any implementation of the read).</summary>
    private static int Reads(string index, int count)
    {
        using var engine = MatchingEngine.Open(new EngineOptions { IndexPath = index });
        var space = engine.Features;
        var ids = engine.Achievements().Select(a => a.Id).Take(count).ToList();
        // The cache holds the first 32,768 ordinals read: read them in two passes, so the second pass misses too.
        var gcBefore = GC.CollectionCount(0);
        var pausedBefore = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = new CpuClock();
        ulong checksum = 0;
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = pass; i < ids.Count; i += 2)
            {
                var profile = space.Achievement(ids[i]);
                checksum = (checksum * 1_000_003UL) ^ (uint)BitConverter.SingleToInt32Bits(profile.IdfSum);
                foreach (var t in profile.Profile.Terms)
                {
                    checksum = (checksum * 31UL) + (uint)t;
                }

                foreach (var w in profile.Profile.WordPairs)
                {
                    checksum = (checksum * 31UL) + (uint)w;
                }
            }
        }

        var time = cpu.Elapsed;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine($"reads: {ids.Count:N0} stored achievements in {time.TotalSeconds:F2} s CPU ({time.TotalMilliseconds * 1000 / ids.Count:F2} µs a read), " +
            $"{bytes / (double)ids.Count / 1024:F1} KiB allocated a read, {GC.CollectionCount(0) - gcBefore} GCs pausing {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds * 1000 / ids.Count:F2} µs a read; checksum {checksum:x16}");
        return 0;
    }

    /// <summary>Where reading a profile from the store spends its time: the file reads and decoding, giving it term ids
    /// and sorting (<see cref="ProfileBuilder.Resolve"/>), and preparing it (idf of its words).</summary>
    private static int Decode(string index, int count)
    {
        var folder = Path.Combine(index, ProfileStore.Folder);
        var file = Directory.GetFiles(folder, "achievements.*.prof").Single();
        var token = Path.GetFileName(file).Split('.')[1];
        using var store = ProfileStore.Open(folder, Matching.Indexing.RecordKind.Achievements, token);
        var terms = new TermDictionary();
        foreach (var term in store.Terms)
        {
            terms.GetOrAdd(term);
        }

        var stats = new CorpusStatistics(store.Count, store.Count * 100L, [.. Enumerable.Range(0, store.Terms.Length).Select(i => 1 + (i % 50))]);
        count = Math.Min(count, store.Count);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
        var read = new CpuClock();
        var raw = new (byte[] List, byte[] Body)[count];
        for (var i = 0; i < count; i++)
        {
            raw[i] = store.ReadRaw(i);
        }

        var readTime = read.Elapsed;
        var decode = new CpuClock();
        var parts = new ProfileParts[count];
        var ids = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var list = Array.Empty<int>();
            var length = ProfileCodec.ReadList(raw[i].List, ref list, out var n);
            ids[i] = list[..n];
            parts[i] = ProfileCodec.ReadBody(raw[i].Body, n, length);
        }

        var decodeTime = decode.Elapsed;
        var resolve = new CpuClock();
        var profiles = new RecordProfile[count];
        for (var i = 0; i < count; i++)
        {
            profiles[i] = ProfileBuilder.Resolve(parts[i], ids[i]);
        }

        var resolveTime = resolve.Elapsed;
        var prepare = new CpuClock();
        var sum = 0f;
        for (var i = 0; i < count; i++)
        {
            sum += new PreparedProfile(profiles[i], stats).IdfSum;
        }

        var prepareTime = prepare.Elapsed;
        double Per(TimeSpan t) => t.TotalMilliseconds * 1000 / count;
        Console.WriteLine($"decode {count:N0} achievements (CPU): read {Per(readTime):F2} µs, decode {Per(decodeTime):F2} µs, resolve {Per(resolveTime):F2} µs, " +
            $"prepare {Per(prepareTime):F2} µs a record; {(Cpu() - cpu).TotalSeconds:F2} s CPU in all ({sum:F0})");
        return 0;
    }

    /// <summary>CPU time of this process since it was made (the phases run on one thread; GC's share included).</summary>
    private sealed class CpuClock
    {
        private readonly TimeSpan _start = Process.GetCurrentProcess().TotalProcessorTime;

        public TimeSpan Elapsed => Process.GetCurrentProcess().TotalProcessorTime - _start;
    }
}
