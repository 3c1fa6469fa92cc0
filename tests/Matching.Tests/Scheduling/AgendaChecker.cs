using System.Globalization;
using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

/// <summary>Checks an agenda against the rules from scratch, sharing no code with the planner: a second reading of
/// the rules that catches a planner bug instead of repeating it. Returns every violation found (empty: valid).</summary>
internal static class AgendaChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<MeetingRequest> requests, AgendaOptions options, Agenda agenda)
    {
        var violations = new List<string>();
        void Fail(FormattableString text) => violations.Add(text.ToString(CultureInfo.InvariantCulture));

        // The pair's best requested score, keyed by the two names in either order.
        var requested = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var key = PairKey(request.University, request.Enterprise);
            requested[key] = requested.TryGetValue(key, out var score) ? Math.Max(score, request.Score) : request.Score;
        }

        var capacityOf = options.Capacities.ToDictionary(c => c.Organization, c => c.Capacity, StringComparer.Ordinal);
        var unavailableOf = options.Capacities.ToDictionary(c => c.Organization, c => c.UnavailableSlots, StringComparer.Ordinal);
        var seats = new HashSet<(int, int)>();
        var busy = new HashSet<(string, int)>();
        var meetingsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairsMet = new HashSet<string>(StringComparer.Ordinal);
        var total = 0.0;

        foreach (var m in agenda.Meetings)
        {
            total += m.Score;
            if (m.Slot < 1 || m.Slot > options.Slots)
            {
                Fail($"{m}: slot outside 1..{options.Slots}");
            }

            if (m.Table < 1 || m.Table > options.Tables)
            {
                Fail($"{m}: table outside 1..{options.Tables}");
            }

            if (!seats.Add((m.Slot, m.Table)))
            {
                Fail($"{m}: table {m.Table} used twice in slot {m.Slot}");
            }

            if (m.University == m.Enterprise)
            {
                Fail($"{m}: an organisation meets itself");
            }

            var key = PairKey(m.University, m.Enterprise);
            if (!pairsMet.Add(key))
            {
                Fail($"{m}: the pair meets more than once");
            }

            if (!requested.TryGetValue(key, out var best))
            {
                Fail($"{m}: the pair was never requested");
            }
            else if (m.Score != best)
            {
                Fail($"{m}: score differs from the best requested score {best}");
            }

            if (m.Score <= 0)
            {
                Fail($"{m}: a pair with score ≤ 0 is scheduled");
            }

            foreach (var org in new[] { m.University, m.Enterprise }.Distinct())
            {
                if (!busy.Add((org, m.Slot)))
                {
                    Fail($"{m}: {org} has two meetings in slot {m.Slot}");
                }

                if (unavailableOf.TryGetValue(org, out var unavailable) && unavailable.Contains(m.Slot))
                {
                    Fail($"{m}: {org} is unavailable in slot {m.Slot}");
                }

                meetingsOf[org] = meetingsOf.GetValueOrDefault(org) + 1;
            }
        }

        foreach (var (org, count) in meetingsOf)
        {
            var capacity = capacityOf.TryGetValue(org, out var listed) ? listed : options.DefaultCapacity;
            if (count > capacity)
            {
                Fail($"{org} has {count} meetings, capacity {capacity}");
            }
        }

        if (Math.Abs(total - agenda.Objective) > 1e-9 * Math.Max(1, Math.Abs(total)))
        {
            Fail($"objective {agenda.Objective} is not the sum of the meetings' scores {total}");
        }

        // Every distinct requested pair is either met or listed as unscheduled, once, and the list is best first.
        var unscheduled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in agenda.Unscheduled)
        {
            var key = PairKey(request.University, request.Enterprise);
            if (pairsMet.Contains(key) || !unscheduled.Add(key))
            {
                Fail($"{request}: listed as unscheduled twice, or also scheduled");
            }
        }

        if (pairsMet.Count + unscheduled.Count != requested.Count)
        {
            Fail($"{requested.Count} distinct pairs requested, {pairsMet.Count} met and {unscheduled.Count} unscheduled");
        }

        for (var i = 1; i < agenda.Unscheduled.Count; i++)
        {
            if (agenda.Unscheduled[i].Score > agenda.Unscheduled[i - 1].Score)
            {
                Fail($"unscheduled not best first at {i}: {agenda.Unscheduled[i]}");
            }
        }

        return violations;
    }

    private static string PairKey(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a + "\u0001" + b : b + "\u0001" + a;
}
