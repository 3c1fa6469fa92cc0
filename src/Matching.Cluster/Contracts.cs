using Orleans;
using Orleans.Concurrency;

namespace Matching.Cluster;

/// <summary>What a replica serves: the content hash of its indexes (both kinds, analyzer, index format, retrieval
/// settings) and of its ranker. Two replicas with the same <see cref="Key"/> give identical results.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplicaIdentity(
    [property: Id(0)] string IndexHash,
    [property: Id(1)] string ModelHash,
    [property: Id(2)] int Achievements,
    [property: Id(3)] int Demands)
{
    /// <summary>Index and model hash together: what must be equal.</summary>
    public string Key => IndexHash + "/" + ModelHash;

    /// <summary>Short form for logs.</summary>
    public override string ToString() =>
        $"index {IndexHash[..Math.Min(16, IndexHash.Length)]} ({Achievements} achievements, {Demands} demands), model {ModelHash[..Math.Min(16, ModelHash.Length)]}";
}

/// <summary>Which way a batch's queries go.</summary>
public enum QueryKind
{
    /// <summary>Demands as queries, achievements ranked.</summary>
    Demands,

    /// <summary>Achievements as queries, demands ranked.</summary>
    Achievements,
}

/// <summary>One batch of queries: the records as JSON (exactly what the coordinator holds), the depth, and the
/// replica identity the coordinator's run uses (a replica with another one refuses the batch).</summary>
[GenerateSerializer, Immutable]
public sealed record BatchRequest(
    [property: Id(0)] QueryKind Kind,
    [property: Id(1)] string ExpectedReplica,
    [property: Id(2)] int Depth,
    [property: Id(3)] string[] Queries,
    [property: Id(4)] int Batch);

/// <summary>One query's ranked list (ids, ranks, scores and, when the replica's engine is calibrated, probabilities;
/// matched terms are added by the coordinator).</summary>
[GenerateSerializer, Immutable]
public sealed record RankedList(
    [property: Id(0)] string[] Ids,
    [property: Id(1)] int[] Ranks,
    [property: Id(2)] double[] Scores,
    [property: Id(3)] double[]? Probabilities = null);

/// <summary>A batch's answer: one list per query in request order, and the identity of the replica that ran it
/// (the coordinator checks it again). <see cref="Refused"/> is set when the replica's identity differs.</summary>
[GenerateSerializer, Immutable]
public sealed record BatchResult(
    [property: Id(0)] string Replica,
    [property: Id(1)] string Silo,
    [property: Id(2)] RankedList[] Lists,
    [property: Id(3)] bool Refused,
    [property: Id(4)] double Milliseconds);

/// <summary>The per-silo worker. Its key is the address of the silo it lives on (see <see cref="PinnedToSiloAttribute"/>):
/// the coordinator addresses each silo's replica explicitly.</summary>
public interface IReplicaGrain : IGrainWithStringKey
{
    /// <summary>The replica this silo serves.</summary>
    Task<ReplicaIdentity> Describe();

    /// <summary>Runs one batch with the same code path as a local run (<c>MatchingEngine.RankDemand</c>/<c>RankAchievement</c>).</summary>
    Task<BatchResult> Rank(BatchRequest request);
}
