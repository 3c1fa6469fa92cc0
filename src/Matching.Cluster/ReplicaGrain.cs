using Orleans;
using Orleans.Concurrency;
using Orleans.GrainDirectory;
using Orleans.Runtime;

namespace Matching.Cluster;

/// <summary>The per-silo worker: pinned to the silo its key names, reentrant so that several batches of one run are
/// in flight at once (each runs on the thread pool, not on the grain's turn).</summary>
[PinnedToSilo]
[Reentrant]
[GrainDirectory(Directory)]
internal sealed class ReplicaGrain(ReplicaService replica, ILocalSiloDetails silo) : Grain, IReplicaGrain
{
    /// <summary>The grain directory (in Redis) that locates replica grains.</summary>
    public const string Directory = "matching-replicas";

    public Task<ReplicaIdentity> Describe()
    {
        CheckHome();
        return Task.FromResult(replica.Identity);
    }

    /// <summary>Test seam, null in the product: awaited before every batch. The cluster tests set it in their silo
    /// processes (from a .NET startup hook, through InternalsVisibleTo) to delay batches or make them fail.</summary>
    internal static Func<BatchRequest, Task>? BeforeBatch { get; set; }

    public async Task<BatchResult> Rank(BatchRequest request)
    {
        CheckHome();
        if (BeforeBatch is { } hook)
        {
            await hook(request);
        }

        return await replica.RunAsync(request, this.GetPrimaryKeyString());
    }

    /// <summary>The placement director guarantees it; a grain that finds itself elsewhere would serve another
    /// silo's identity, so it refuses to.</summary>
    private void CheckHome()
    {
        var home = this.GetPrimaryKeyString();
        if (silo.SiloAddress.ToParsableString() != home)
        {
            throw new InvalidOperationException($"replica grain {home} activated on {silo.SiloAddress.ToParsableString()}");
        }
    }
}
