using Lucene.Net.Index;
using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Ingestion;

namespace Matching.Cli.Tests.Reliability;

// The two kill tests spend most of their time waiting on one mostly single-threaded child each, so on two cores
// they run side by side (with each other only: NUnit never overlaps them with non-parallelizable tests).
/// <summary>SIGKILL a child <c>matching index</c> while it updates an index from a large input: every kill must leave
/// the previous commit exactly (ids and content), and the next run must not be blocked by the dead run's lock.</summary>
[Parallelizable(ParallelScope.Self)]
public sealed class IndexCrashTests
{
    private const int Previous = 1_000;
    private const int Large = 20_000;
    private const int Changed = 500;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    /// <summary>Where a kill lands: after a delay from the start, at a fraction of the input read (and before
    /// <paramref name="Below"/> of it), or once the input is read and the final flush has begun.</summary>
    private sealed record KillPoint(string Name, TimeSpan? Delay = null, double? Fraction = null, double Below = 1, bool Flushing = false)
    {
        public override string ToString() => Name;
    }

    [Test]
    public void Index_KilledBeforeDuringAndAtTheEndOfAnUpdate_KeepsThePreviousCommitAndTheNextRunSucceeds()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("kills are placed by the child's read position, taken from /proc/PID/fdinfo");
        }

        using var temp = new TempDir();
        var corpus = GeneratedAchievements.FromSample;
        var first = temp["first.jsonl"];
        var large = temp["large.jsonl"];
        corpus.WriteJsonl(first, Enumerable.Range(0, Previous).Select(n => (n, 0)));
        corpus.WriteJsonl(large, Enumerable.Range(0, Large).Select(n => (n, n < Changed ? 1 : 0)));
        var index = temp["index"];
        var achievementsDir = Path.Combine(index, "achievements");
        string[] previousRun = ["index", "-a", first, "-d", Cli.Sample("demands.csv"), "--index", index];
        string[] update = ["index", "-a", large, "--index", index];

        var built = Cli.Run(previousRun);
        Assert.That(built.ExitCode, Is.EqualTo(0), built.Err);
        var previous = IndexState.Read(index);
        var updated = previous.With(RecordReader.ReadAchievements(large).Records.Select(IndexedRecord.From));
        Assert.That((previous.Achievements.Count, previous.Demands.Count, updated.Achievements.Count), Is.EqualTo((Previous, 60, Large)));
        using (var directory = FSDirectory.Open(achievementsDir))
        {
            // A native (OS) lock dies with its process; a SimpleFSLockFactory lock file would block every later run.
            Assert.That(directory.LockFactory, Is.TypeOf<NativeFSLockFactory>());
        }

        // Progress is the bytes the child has read since its first document reached the index (the input, read in
        // 64 KiB blocks; the runtime, dictionaries and the encoding scan come before), against the input's size.
        var size = new FileInfo(large).Length;
        var random = new Random(20261129);
        KillPoint[] points =
        [
            new("while starting, before a document reached the index", Delay: TimeSpan.FromMilliseconds(random.Next(100, 500))),
            new("early", Fraction: 0.02 + (0.18 * random.NextDouble()), Below: 0.25),
            new("a third in", Fraction: 0.25 + (0.2 * random.NextDouble()), Below: 0.5),
            new("past half", Fraction: 0.55 + (0.3 * random.NextDouble()), Below: 0.9),
            new("near the end", Fraction: 0.95 + (0.03 * random.NextDouble()), Below: 1),
            new("input read, final flush and commit running", Flushing: true),
        ];

        var locksLeft = 0;
        foreach (var point in points)
        {
            var filesBefore = Files(achievementsDir);
            using var child = ChildProcess.Cli(update);
            long? start = null;
            var newFiles = Array.Empty<string>();
            bool Reached()
            {
                newFiles = [.. Files(achievementsDir).Except(filesBefore).Where(f => f != "write.lock")];
                if (point.Delay is { } delay)
                {
                    return child.Elapsed >= delay;
                }

                if (newFiles.Length == 0)
                {
                    return false;
                }

                start ??= child.BytesRead();
                // Stored fields and term vectors are written as documents arrive; postings (.tim, .doc …) only at a flush.
                return point.Flushing
                    ? newFiles.Any(f => f.EndsWith(".fnm", StringComparison.Ordinal) || f.EndsWith(".tim", StringComparison.Ordinal))
                    : child.BytesRead() - start >= (long)(point.Fraction!.Value * size);
            }

            var placed = child.WaitUntil(Reached, s_timeout);
            var readAtKill = child.BytesRead();
            var inputOpen = child.HasOpen(large);
            var killed = child.Kill();
            Assert.That(placed && killed, Is.True, $"kill '{point}' was not placed (child ended first: {!killed}): {child.Err}");
            var lockLeft = File.Exists(Path.Combine(achievementsDir, "write.lock"));
            locksLeft += lockLeft ? 1 : 0;

            // Where the kill landed, from what the child had open and read just before it, and what it left: stored fields
            // and term vectors are written as documents arrive, postings and field infos only at the final flush, which
            // comes after the input is read and closed.
            var leftFiles = Files(achievementsDir).Except(filesBefore).Where(f => f != "write.lock").ToList();
            var flushing = leftFiles.Any(f => f.EndsWith(".fnm", StringComparison.Ordinal) || f.EndsWith(".tim", StringComparison.Ordinal));
            var read = start is { } s0 && readAtKill is { } r ? (double)(r - s0) / size : 0;
            var state = IndexState.Read(index);
            var landed = $"{leftFiles.Count} new index files{(flushing ? ", postings among them" : "")}, {read:P1} of the input read, " +
                $"input {(inputOpen is null ? "unknown" : inputOpen.Value ? "open" : "closed")}, {(state.Equals(previous) ? "previous commit" : "not the previous commit")}";
            using (Assert.EnterMultipleScope())
            {
                if (point.Delay is not null)
                {
                    Assert.That(leftFiles, Is.Empty, $"kill '{point}' landed after a document reached the index: {landed}");
                }
                else if (point.Flushing)
                {
                    Assert.That(flushing && inputOpen == false, Is.True, $"kill '{point}' landed before the input was read and the flush began: {landed}");
                    Assert.That(state.Equals(updated), Is.False, $"kill '{point}' landed after the commit: {landed}");
                }
                else
                {
                    Assert.That(read, Is.InRange(point.Fraction!.Value, point.Below), $"kill '{point}' landed elsewhere in the input: {landed}");
                    Assert.That(leftFiles.Count > 0 && !flushing && inputOpen == true, Is.True, $"kill '{point}' landed outside the reading phase: {landed}");
                }
            }

            Assert.That(state.Equals(previous), Is.True, $"after kill '{point}' at {child.Elapsed.TotalSeconds:F2} s: {state.Diff(previous)}");
            var rerun = Cli.Run(previousRun);
            Assert.That(rerun.ExitCode, Is.EqualTo(0), $"the run after kill '{point}' was blocked: {rerun.Err}");
            Assert.That(rerun.Out, Does.Contain($"achievements: 0 added, 0 updated, {Previous} unchanged, 0 deleted, {Previous} in index")
                .And.Contain("demands: 0 added, 0 updated, 60 unchanged, 0 deleted, 60 in index"));
            TestContext.Out.WriteLine($"kill '{point}' at {child.Elapsed.TotalSeconds:F2} s ({landed}): previous commit intact; " +
                $"{(lockLeft ? "a" : "no")} write.lock left; next run fine");
        }

        Assert.That(locksLeft, Is.GreaterThan(0), "no kill left a write.lock behind, so lock release was not exercised");
        var filesBeforeLast = Files(achievementsDir);
        using var last = ChildProcess.Cli(update);
        last.WaitUntil(() => Files(achievementsDir).Except(filesBeforeLast).Any(f => f.EndsWith(".tim", StringComparison.Ordinal)), s_timeout);
        var flushStarted = last.Elapsed;
        var completed = last.WaitForExit(s_timeout);
        // How wide the window of the flush kill was (for the log only).
        TestContext.Out.WriteLine($"uninterrupted run: postings appeared at {flushStarted.TotalSeconds:F2} s, the run ended at {last.Elapsed.TotalSeconds:F2} s");

        Assert.That(completed.ExitCode, Is.EqualTo(0), completed.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(completed.Out, Does.Contain(
                $"achievements: {Large - Previous} added, {Changed} updated, {Previous - Changed} unchanged, 0 deleted, {Large} in index"));
            var final = IndexState.Read(index);
            Assert.That(final.Equals(updated), Is.True, final.Diff(updated));
        }
    }

    private static HashSet<string> Files(string directory) =>
        System.IO.Directory.Exists(directory) ? [.. System.IO.Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f)!)] : [];
}

/// <summary>What a committed index pair holds: id → content hash for each collection, read through the same
/// integrity-checked open the engine uses.</summary>
internal sealed record IndexState(IReadOnlyDictionary<string, string> Achievements, IReadOnlyDictionary<string, string> Demands)
{
    public static IndexState Read(string indexPath) => new(
        Hashes(Path.Combine(indexPath, "achievements"), RecordKind.Achievements),
        Hashes(Path.Combine(indexPath, "demands"), RecordKind.Demands));

    /// <summary>This state after an update that adds or replaces <paramref name="records"/> (no pruning).</summary>
    public IndexState With(IEnumerable<IndexedRecord> records)
    {
        var achievements = new Dictionary<string, string>(Achievements, StringComparer.Ordinal);
        foreach (var record in records)
        {
            achievements[record.Id] = record.Hash;
        }

        return this with { Achievements = achievements };
    }

    public bool Equals(IndexState? other) =>
        other is not null && Same(Achievements, other.Achievements) && Same(Demands, other.Demands);

    public override int GetHashCode() => HashCode.Combine(Achievements.Count, Demands.Count);

    public override string ToString() => $"{Achievements.Count} achievements, {Demands.Count} demands";

    /// <summary>How this state differs from <paramref name="expected"/>, for failure messages.</summary>
    public string Diff(IndexState expected) =>
        $"{Describe(Achievements, expected.Achievements, "achievement")}; {Describe(Demands, expected.Demands, "demand")}";

    private static string Describe(IReadOnlyDictionary<string, string> actual, IReadOnlyDictionary<string, string> expected, string kind)
    {
        var missing = expected.Keys.Count(id => !actual.ContainsKey(id));
        var extra = actual.Keys.Count(id => !expected.ContainsKey(id));
        var changed = actual.Count(kv => expected.TryGetValue(kv.Key, out var hash) && hash != kv.Value);
        return $"{actual.Count} {kind}s ({expected.Count} expected): {missing} missing, {extra} unexpected, {changed} with other content";
    }

    private static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var hash) && hash == kv.Value);

    private static Dictionary<string, string> Hashes(string path, RecordKind kind)
    {
        using var directory = FSDirectory.Open(path);
        using var reader = IndexIntegrity.Open(directory, kind);
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var live = MultiFields.GetLiveDocs(reader);
        var fields = new HashSet<string> { IndexSchema.Id, IndexSchema.Hash };
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (live is null || live.Get(doc))
            {
                var stored = reader.Document(doc, fields);
                Assert.That(hashes.TryAdd(stored.Get(IndexSchema.Id), stored.Get(IndexSchema.Hash)), Is.True, "an id is indexed twice");
            }
        }

        return hashes;
    }
}
