using Matching.Scheduling;

namespace Matching.Reporting;

/// <summary>One organisation's meetings in slot order, for the per-organisation agenda tables.</summary>
internal sealed record OrganizationSchedule(string Organization, bool IsUniversity, IReadOnlyList<Meeting> Meetings)
{
    /// <summary>Universities first, then enterprises, each by name (ordinal, so the order never depends on the
    /// machine's collation data).</summary>
    public static IReadOnlyList<OrganizationSchedule> From(IEnumerable<Meeting> meetings)
    {
        var list = meetings.ToList();
        return [
            .. Group(list, m => m.University, isUniversity: true),
            .. Group(list, m => m.Enterprise, isUniversity: false),
        ];
    }

    private static IEnumerable<OrganizationSchedule> Group(List<Meeting> meetings, Func<Meeting, string> key, bool isUniversity) =>
        meetings.GroupBy(key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new OrganizationSchedule(g.Key, isUniversity, [.. g.OrderBy(m => m.Slot).ThenBy(m => m.Table)]));
}
