using Matching.Ingestion;
namespace Matching.Cluster.Tests;

/// <summary>Real silo processes (<c>matching silo</c>) on a private Redis, and <c>matching match --cluster</c> against
/// them: outputs must equal a local run's byte for byte, also when a silo is killed mid-run or joins mid-run, and a
/// replica with another index or model must never be used. Each test uses its own cluster id on the one Redis.</summary>
[NonParallelizable]
public sealed class ClusterRunTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private RedisServer? _redis;
    private string _root = "";
    private string _index = "";
    private string _reference = "";

    private string Redis => _redis!.Url;

    [OneTimeSetUp]
    public void StartRedisAndBuildIndex()
    {
        _redis = RedisServer.Start();
        _root = Path.Combine(Path.GetTempPath(), "matching-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        // The silos' replica: built once with `matching index` from the sample event, as a user would.
        _index = Path.Combine(_root, "index");
        var index = Cli.Run("index", "-a", Sample("achievements.csv"), "-d", Sample("demands.csv"), "--index", _index);
        Assert.That(index.ExitCode, Is.Zero, index.Err);
        // The local run every cluster run must equal.
        _reference = Path.Combine(_root, "reference");
        var local = Cli.Run("match", "--out", _reference);
        Assert.That(local.ExitCode, Is.Zero, local.Err);
    }

    [OneTimeTearDown]
    public void StopRedis()
    {
        _redis?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Test]
    public void TwoSilos_MatchOverTheCluster_EqualsLocalRun()
    {
        // One silo on the memory-mapped index, one with the index re-built in memory: the same replica.
        using var a = StartSilo("equal", _index);
        using var b = StartSilo("equal", _index, "--in-memory");
        var output = Path.Combine(_root, "equal");

        var run = Cli.Run("match", "--out", output, "--cluster", Redis, "--cluster-id", "equal", "--batch-size", "8");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        AssertEqualsReference(output);
        Assert.That(run.Err, Does.Contain("on 2 silo(s)"), "both silos should have run batches");
    }

    [Test]
    public void SiloJoinsMidRunAndAnotherIsKilled_NoBatchLostOrDuplicated_EqualsLocalRun()
    {
        // Slow batches (300 ms each, 2 queries) so the run lasts long enough to join and kill silos during it.
        using var first = StartSilo("kill", _index, SiloFaults.Environment(delayMilliseconds: 300));
        var output = Path.Combine(_root, "kill");
        using var match = ChildProcess.Cli("match", "--out", output, "--cluster", Redis, "--cluster-id", "kill", "--batch-size", "2");
        first.WaitFor(s => s.Count("silo: batch ") >= 3, s_timeout, "the first silo runs batches");

        using var second = StartSilo("kill", _index, SiloFaults.Environment(delayMilliseconds: 300));
        second.WaitFor(s => s.Count("silo: batch ") >= 2, s_timeout, "the silo that joined mid-run takes work");
        first.Kill();

        var result = match.WaitForExit(s_timeout);
        TestContext.Out.WriteLine(result.Err);
        Assert.That(result.ExitCode, Is.Zero, result.Err);
        AssertEqualsReference(output);
        Assert.That(second.HasExited, Is.False);
    }

    [Test]
    public void ReplicaWithAnotherIndexOrModel_IsRefused_AndWithoutACompatibleSiloTheRunFails()
    {
        // Another index (same records, other analyzer: other terms and statistics) and another model (none).
        var smartcn = Path.Combine(_root, "index-smartcn");
        var build = Cli.Run("index", "-a", Sample("achievements.csv"), "-d", Sample("demands.csv"), "--index", smartcn, "--analyzer", "smartcn");
        Assert.That(build.ExitCode, Is.Zero, build.Err);
        using var otherIndex = StartSilo("mismatch", smartcn, "--analyzer", "smartcn");
        using var otherModel = StartSilo("mismatch", _index, "--model", "none");
        using var good = StartSilo("mismatch", _index);
        var output = Path.Combine(_root, "mismatch");

        var run = Cli.Run("match", "--out", output, "--cluster", Redis, "--cluster-id", "mismatch", "--batch-size", "8");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        AssertEqualsReference(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Err, Does.Contain("its index content hash"), run.Err);
            Assert.That(run.Err, Does.Contain("its model hash"), run.Err);
            Assert.That(run.Err, Does.Contain("on 1 silo(s)"), run.Err);
            Assert.That(otherIndex.Count("silo: batch "), Is.Zero, "a refused replica must get no batch");
            Assert.That(otherModel.Count("silo: batch "), Is.Zero, "a refused replica must get no batch");
        }

        good.Kill();
        var failed = Cli.Run("match", "--out", Path.Combine(_root, "mismatch-failed"), "--cluster", Redis, "--cluster-id", "mismatch", "--wait-for-silos", "3");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.ExitCode, Is.EqualTo(7), failed.Err);
            Assert.That(failed.Err, Does.Contain("no silo serving this run's replica"));
            Assert.That(Directory.Exists(Path.Combine(_root, "mismatch-failed")) && Directory.EnumerateFiles(Path.Combine(_root, "mismatch-failed")).Any(), Is.False, "a failed run writes nothing");
        }
    }

    [Test]
    public void BatchThatFailsTwiceThenSucceeds_IsRetried_EqualsLocalRun()
    {
        using var silo = StartSilo("flaky", _index, SiloFaults.Environment(failBatch: "demands:2:2"));
        var output = Path.Combine(_root, "flaky");

        var run = Cli.Run("match", "--out", output, "--cluster", Redis, "--cluster-id", "flaky", "--batch-size", "8");

        Assert.That(run.ExitCode, Is.Zero, run.Err);
        AssertEqualsReference(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Err, Does.Contain(SiloFaults.FailureMessage(QueryKind.Demands, 2)), "the injected failure happened");
            var demands = run.Err.Split('\n').Single(line => line.StartsWith("cluster: 60 demands in", StringComparison.Ordinal));
            Assert.That(demands, Does.Contain("8 batches on 1 silo(s)").And.Contain("; 2 re-sent;"), "batch #2 sent three times, every other batch once");
        }
    }

    [Test]
    public void BatchThatFailsEveryTime_TriedFourTimes_ThenTheRunFailsWithExitCode7NamingIt()
    {
        // Both silos fail demand batch #2 (D017 … D024 at 8 a batch) whenever they are given it: without a bound the
        // coordinator would re-send it forever. The run is a child process, so a regression ends in a failed wait.
        using var a = StartSilo("poison", _index, SiloFaults.Environment(failBatch: "demands:2"));
        using var b = StartSilo("poison", _index, SiloFaults.Environment(failBatch: "demands:2"));
        var output = Path.Combine(_root, "poison");
        using var match = ChildProcess.Cli("match", "--out", output, "--cluster", Redis, "--cluster-id", "poison", "--batch-size", "8");

        var result = match.WaitForExit(s_timeout);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(7), result.Err);
            Assert.That(result.Err, Does.Contain("error: batch #2 of the demands (8 queries, D017 … D024) failed 4 times, the last on silo S127.0.0.1:"));
            Assert.That(result.Err, Does.Contain($"InvalidOperationException: {SiloFaults.FailureMessage(QueryKind.Demands, 2)}; a batch is tried at most 4 times"));
            Assert.That(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), Is.False, "a failed run writes nothing");
            Assert.That(a.HasExited || b.HasExited, Is.False, "the silos stay up");
        }
    }

    [Test]
    public void NoRedis_FailsWithClusterExitCode()
    {
        var port = Cli.FreePort();
        var run = Cli.Run("match", "--out", Path.Combine(_root, "no-redis"), "--cluster", $"redis://127.0.0.1:{port}", "--wait-for-silos", "1");
        Assert.That(run.ExitCode, Is.EqualTo(7), run.Err);
        Assert.That(run.Err, Does.Contain("error:"));
    }

    private ChildProcess StartSilo(string clusterId, string index, params string[] extra) => StartSilo(clusterId, index, null, extra);

    /// <summary>A real <c>matching silo</c>; with <paramref name="faults"/> (<see cref="SiloFaults.Environment"/>) its batches
    /// are delayed or fail.</summary>
    private ChildProcess StartSilo(string clusterId, string index, IReadOnlyDictionary<string, string>? faults, params string[] extra)
    {
        var silo = ChildProcess.Cli(faults, ["silo", "--cluster", Redis, "--cluster-id", clusterId, "--index", index, "--threads", "1", .. extra]);
        silo.WaitFor(s => s.Err.Contains("silo ready:", StringComparison.Ordinal), s_timeout, "silo start");
        return silo;
    }

    private void AssertEqualsReference(string output)
    {
        var expected = Cli.Files(_reference);
        var actual = Cli.Files(output);
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, bytes) in expected)
            {
                Assert.That(actual[name], Is.EqualTo(bytes), $"{name} differs from the local run's");
            }
        }
    }

    private static string Sample(string file) => Path.Combine(SampleEvent.Directory, file);
}
