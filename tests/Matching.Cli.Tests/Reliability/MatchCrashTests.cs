using System.Text.RegularExpressions;

namespace Matching.Cli.Tests.Reliability;

// The two kill tests spend most of their time waiting on one mostly single-threaded child each, so on two cores
// they run side by side (with each other only: NUnit never overlaps them with non-parallelizable tests).
/// <summary>SIGKILL a child <c>matching match --out DIR</c> again and again, most often while it writes: DIR must
/// always hold one complete set of outputs, the previous or the new, byte for byte, and never a mix or a cut file.</summary>
[Parallelizable(ParallelScope.Self)]
public sealed partial class MatchCrashTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [Test]
    public void Match_KilledWhileMatchingAndWhileWriting_OutputFolderHoldsOneCompleteSet()
    {
        using var temp = new TempDir();
        var output = temp["out"];
        var reference = temp["reference"];
        // The sample event (no inputs given); top 10 before, top 5 after, so every output file differs between the sets.
        string[] Run(string folder, int topK) => ["match", "--out", folder, "--top-k", topK.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var first = Cli.Run(Run(output, 10));
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Err);
        var previous = Outputs(output);

        // The new set, run in-process (the final child run must reproduce it byte for byte), timing its write phase.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var referenceRun = Task.Run(() => Cli.Run(Run(reference, 5)));
        TimeSpan? writeStart = null;
        while (!referenceRun.IsCompleted)
        {
            if (writeStart is null && System.IO.Directory.Exists(reference) && System.IO.Directory.EnumerateFiles(reference).Any())
            {
                writeStart = clock.Elapsed;
            }

            Thread.Sleep(1);
        }

        Assert.That(referenceRun.Result.ExitCode, Is.EqualTo(0), referenceRun.Result.Err);
        // A child writes at least as slowly as this warmed-up process.
        var writing = clock.Elapsed - (writeStart ?? clock.Elapsed);
        var next = Outputs(reference);
        Assert.That(next.Keys, Is.EquivalentTo(previous.Keys));
        var differing = next.Keys.Count(name => !next[name].AsSpan().SequenceEqual(previous[name]));
        // Pairs, agenda and the needs-manual-matching list rest on strong matches only, which top 5 and top 10 share; the
        // match tables, run and report differ, and a mix of those would show.
        Assert.That(differing, Is.GreaterThanOrEqualTo(next.Count - 5), "the two sets must differ for a mix to show");

        var random = new Random(20261129);
        var early = TimeSpan.FromSeconds(0.3 + (1.2 * random.NextDouble()));
        var kills = new List<(string Name, bool Writing, Func<ChildProcess, HashSet<string>, bool> Reached)>
        {
            ($"starting or matching, {early.TotalSeconds:F2} s in", false, (child, _) => child.Elapsed >= early),
        };
        for (var i = 0; i < 4; i++)
        {
            var delay = writing * (0.9 * random.NextDouble());
            DateTime? started = null;
            kills.Add(($"writing, {delay.TotalMilliseconds:F0} ms after the first temporary file", true, (_, before) =>
            {
                if (started is null && Hidden(output).Except(before).Any())
                {
                    started = DateTime.UtcNow;
                }

                return started is { } s && DateTime.UtcNow - s >= delay;
            }));
        }

        foreach (var (name, writingPhase, reached) in kills)
        {
            var hiddenBefore = Hidden(output);
            using var child = ChildProcess.Cli(Run(output, 5));
            var placed = child.WaitUntil(() => reached(child, hiddenBefore), s_timeout);
            var killed = child.Kill();
            Assert.That(placed && killed, Is.True, $"kill '{name}' was not placed (child ended first: {!killed}): {child.Err}");

            // Where the kill landed: a run writes every output to a temporary named after its process and renames them
            // all at the end, so the killed child's temporaries in the folder show it died after it began writing and
            // before its renames; none show it died before writing.
            var leftByChild = Hidden(output).Except(hiddenBefore).Count(f => Temporary().Match(f) is { Success: true } m && m.Groups["pid"].Value == child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var now = Outputs(output);
            var isPrevious = Same(now, previous);
            var isNext = Same(now, next);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(isPrevious || isNext, Is.True,
                    $"after kill '{name}' at {child.Elapsed.TotalSeconds:F2} s: {Describe(now, previous, "previous")}; {Describe(now, next, "new")}");
                Assert.That(isPrevious, Is.True, $"kill '{name}' landed after the renames: not in the phase it claims");
                if (writingPhase)
                {
                    Assert.That(leftByChild, Is.GreaterThan(0), $"kill '{name}' left no temporary of its run: it landed before the writing began");
                }
                else
                {
                    Assert.That(leftByChild, Is.Zero, $"kill '{name}' left {leftByChild} temporaries of its run: it landed while writing");
                }
            }

            AssertOnlyHiddenTemporaries(output, previous.Keys);
            TestContext.Out.WriteLine($"kill '{name}' at {child.Elapsed.TotalSeconds:F2} s: previous set complete; " +
                $"{leftByChild} temporaries of the killed run and {Hidden(output).Count} in all in the folder");
        }

        using var last = ChildProcess.Cli(Run(output, 5));
        var completed = last.WaitForExit(s_timeout);

        Assert.That(completed.ExitCode, Is.EqualTo(0), completed.Err);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Same(Outputs(output), next), Is.True, "a complete run after the kills writes the new set, byte for byte");
            AssertOnlyHiddenTemporaries(output, previous.Keys);
        }

        TestContext.Out.WriteLine($"{Hidden(output).Count} temporaries left by killed runs remain");
    }

    /// <summary>The visible files: what a user or script reads.</summary>
    private static Dictionary<string, byte[]> Outputs(string folder) =>
        System.IO.Directory.EnumerateFiles(folder)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes, StringComparer.Ordinal);

    private static HashSet<string> Hidden(string folder) =>
        [.. System.IO.Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Where(n => n.StartsWith('.'))];

    /// <summary>Leftovers of killed runs are allowed only as hidden <c>.NAME.PID.GUID.tmp</c> files, never under an output's name.</summary>
    private static void AssertOnlyHiddenTemporaries(string folder, IEnumerable<string> outputNames)
    {
        var names = outputNames.ToHashSet(StringComparer.Ordinal);
        foreach (var file in Hidden(folder))
        {
            var match = Temporary().Match(file);
            Assert.That(match.Success && names.Contains(match.Groups["name"].Value), Is.True, $"unexpected file '{file}' in the output folder");
        }

        Assert.That(System.IO.Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.')), Is.EquivalentTo(names));
    }

    private static bool Same(Dictionary<string, byte[]> actual, Dictionary<string, byte[]> expected) =>
        actual.Count == expected.Count && expected.All(kv => actual.TryGetValue(kv.Key, out var bytes) && bytes.AsSpan().SequenceEqual(kv.Value));

    private static string Describe(Dictionary<string, byte[]> actual, Dictionary<string, byte[]> expected, string set) =>
        $"differs from the {set} set in [{string.Join(", ", expected.Keys.Where(k => !actual.TryGetValue(k, out var b) || !b.AsSpan().SequenceEqual(expected[k])).Order(StringComparer.Ordinal))}]";

    [GeneratedRegex(@"^\.(?<name>.+)\.(?<pid>\d+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Temporary();
}
