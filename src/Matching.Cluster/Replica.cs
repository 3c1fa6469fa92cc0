using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Matching.Engine;
using Matching.Retrieval;

namespace Matching.Cluster;

/// <summary>Query records on the wire: the coordinator's records as JSON, read back into the same records on the silo.</summary>
internal static class RecordJson
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(Demand demand) => JsonSerializer.Serialize(demand, s_json);

    public static string Write(Achievement achievement) => JsonSerializer.Serialize(achievement, s_json);

    public static Demand ReadDemand(string json) =>
        JsonSerializer.Deserialize<Demand>(json, s_json) ?? throw new InvalidOperationException("empty demand in a batch");

    public static Achievement ReadAchievement(string json) =>
        JsonSerializer.Deserialize<Achievement>(json, s_json) ?? throw new InvalidOperationException("empty achievement in a batch");
}

/// <summary>How replica identities are computed: the same way on the coordinator and on every silo.</summary>
public static class Replicas
{
    /// <summary>The model hash of "no model" (BM25 order).</summary>
    public const string NoModel = "none";

    /// <summary>The identity of an engine: its indexes' content hash and the hash of the model file it reranks with.</summary>
    /// <param name="engine">The engine (in memory or opened from an index folder).</param>
    /// <param name="modelPath">The model file the engine's ranker was loaded from; null for BM25 order.</param>
    public static ReplicaIdentity Of(MatchingEngine engine, string? modelPath)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new ReplicaIdentity(engine.ContentHash(), ModelHash(modelPath), engine.AchievementCount, engine.DemandCount);
    }

    /// <summary>SHA-256 of the model file's bytes (models are written deterministically), or <see cref="NoModel"/>.</summary>
    public static string ModelHash(string? modelPath)
    {
        if (modelPath is null)
        {
            return NoModel;
        }

        using var stream = File.OpenRead(modelPath);
        return Convert.ToHexString(SHA256.HashData(stream))[..32].ToLowerInvariant();
    }

    /// <summary>Why two identities differ, in words.</summary>
    public static string Difference(ReplicaIdentity expected, ReplicaIdentity actual)
    {
        var parts = new List<string>();
        if (expected.IndexHash != actual.IndexHash)
        {
            parts.Add($"its index content hash {Short(actual.IndexHash)} ({actual.Achievements} achievements, {actual.Demands} demands) differs from this run's {Short(expected.IndexHash)} ({expected.Achievements} achievements, {expected.Demands} demands)");
        }

        if (expected.ModelHash != actual.ModelHash)
        {
            parts.Add($"its model hash {Short(actual.ModelHash)} differs from this run's {Short(expected.ModelHash)}");
        }

        return string.Join("; ", parts);
    }

    internal static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;
}

/// <summary>A silo's replica: its own read-only engine over its index copy, its identity, and the batch work.</summary>
public sealed class ReplicaService : IDisposable
{
    private readonly MatchingEngine _engine;
    private readonly LocalQueryRunner _runner;
    private readonly Action<string> _log;
    private int _batches;

    /// <summary>Wraps an opened engine.</summary>
    /// <param name="engine">The silo's engine (owned: disposed with the service).</param>
    /// <param name="identity">Its identity (<see cref="Replicas.Of"/>).</param>
    /// <param name="threads">Query threads per batch; 0 uses every core.</param>
    /// <param name="log">Where a line per batch goes.</param>
    public ReplicaService(MatchingEngine engine, ReplicaIdentity identity, int threads, Action<string> log)
    {
        _engine = engine;
        Identity = identity;
        _runner = new LocalQueryRunner(threads);
        _log = log;
    }

    /// <summary>What this replica serves.</summary>
    public ReplicaIdentity Identity { get; }

    /// <summary>Runs a batch (on the caller's thread) with the local runner: the code path of <c>matching match</c>.</summary>
    public async Task<BatchResult> RunAsync(BatchRequest request, string silo)
    {
        if (request.ExpectedReplica != Identity.Key)
        {
            _log($"refused batch {request.Batch}: the run expects replica {request.ExpectedReplica}, this silo serves {Identity.Key}");
            return new BatchResult(Identity.Key, silo, [], Refused: true, 0);
        }

        var clock = Stopwatch.StartNew();
        var lists = await Task.Run(() => request.Kind == QueryKind.Demands
            ? _runner.RankDemands(_engine, [.. request.Queries.Select(RecordJson.ReadDemand)], request.Depth, null)
            : _runner.RankAchievements(_engine, [.. request.Queries.Select(RecordJson.ReadAchievement)], request.Depth, null)).ConfigureAwait(false);
        var result = new BatchResult(Identity.Key, silo, [.. lists.Select(ToWire)], Refused: false, clock.Elapsed.TotalMilliseconds);
        var n = Interlocked.Increment(ref _batches);
        _log(FormattableString.Invariant($"batch {request.Batch} ({request.Kind.ToString().ToLowerInvariant()}, {request.Queries.Length} queries) done in {clock.Elapsed.TotalMilliseconds:0} ms; {n} batches served"));
        return result;
    }

    internal static RankedList ToWire(IReadOnlyList<Candidate> list) =>
        new([.. list.Select(c => c.Id)], [.. list.Select(c => c.Rank)], [.. list.Select(c => c.Score)],
            list.Count > 0 && list.All(c => c.Probability is not null) ? [.. list.Select(c => c.Probability!.Value)] : null);

    internal static IReadOnlyList<Candidate> FromWire(RankedList list)
    {
        var candidates = new Candidate[list.Ids.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            candidates[i] = new Candidate(list.Ids[i], list.Ranks[i], list.Scores[i], []) { Probability = list.Probabilities?[i] };
        }

        return candidates;
    }

    /// <inheritdoc />
    public void Dispose() => _engine.Dispose();
}
