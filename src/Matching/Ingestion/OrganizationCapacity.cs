namespace Matching.Ingestion;

/// <summary>How many meetings an organisation can staff and when it cannot meet.</summary>
/// <param name="Organization">The organisation's name as in the inputs.</param>
/// <param name="Capacity">Most meetings over the whole event.</param>
/// <param name="UnavailableSlots">1-based slots in which it cannot meet.</param>
public sealed record OrganizationCapacity(string Organization, int Capacity, IReadOnlySet<int> UnavailableSlots);
