using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Matching.Cluster;

/// <summary>Places a grain on the silo whose address (<see cref="SiloAddress.ToParsableString"/>) is the grain's key,
/// and nowhere else: when that silo is gone, the call fails instead of activating the grain on another silo.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class PinnedToSiloPlacement : PlacementStrategy
{
    internal static PinnedToSiloPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as <see cref="PinnedToSiloPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PinnedToSiloAttribute : PlacementAttribute
{
    /// <summary>Creates the attribute.</summary>
    public PinnedToSiloAttribute() : base(PinnedToSiloPlacement.Instance)
    {
    }
}

/// <summary>The director of <see cref="PinnedToSiloPlacement"/>.</summary>
internal sealed class PinnedToSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString() ?? "";
        SiloAddress wanted;
        try
        {
            wanted = SiloAddress.FromParsableString(key);
        }
        catch (FormatException)
        {
            throw new OrleansException($"replica grain key '{key}' is not a silo address");
        }

        if (!context.GetCompatibleSilos(target).Contains(wanted))
        {
            throw new SiloUnavailableException($"silo {key} is not an active silo of this cluster");
        }

        return Task.FromResult(wanted);
    }
}
