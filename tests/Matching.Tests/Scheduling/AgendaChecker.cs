using System.Globalization;
using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

/// <summary>Checks an agenda against the rules from scratch, sharing no code with the planner: a second reading of
/// the rules that catches a planner bug instead of repeating it. Returns every violation found (empty: valid).</summary>
/// <remarks>Rules: seats, slots, tables, availability, capacities and the exposure cap; each pair at most once and only
/// if requested, stated or kept; vetoed and already-met pairs never (unless kept); kept meetings exactly as confirmed;
/// each meeting's value recomputed from the documented formula; every must-meet held or reported with a reason the plan
/// bears out; no must-meet, and no meeting of a fairness-floor organisation without one, that could still be added as
/// the plan stands; no meeting that could move to an earlier slot as the plan stands.</remarks>
internal static class AgendaChecker
{
    public static IReadOnlyList<string> Check(IReadOnlyList<MeetingRequest> requests, AgendaOptions options, Agenda agenda)
    {
        var violations = new List<string>();
        void Fail(FormattableString text) => violations.Add(text.ToString(CultureInfo.InvariantCulture));

        // Stated choices, merged per (organisation, counterpart): already-met > must-meet > interested > no.
        var stated = new Dictionary<(string, string), PreferenceChoice>();
        foreach (var p in options.Preferences)
        {
            var key = (p.Organization, p.Counterpart);
            if (!stated.TryGetValue(key, out var old) || Strength(p.Choice) > Strength(old))
            {
                stated[key] = p.Choice;
            }
        }

        PreferenceChoice? ChoiceOf(string a, string b) => stated.TryGetValue((a, b), out var c) ? c : null;
        bool Vetoed(string a, string b) => ChoiceOf(a, b) is PreferenceChoice.No or PreferenceChoice.AlreadyMet
            || ChoiceOf(b, a) is PreferenceChoice.No or PreferenceChoice.AlreadyMet;

        // The pair's best requested score (and its probability), keyed by the two names in either order; stated
        // must-meet/interested pairs without a request are requested with score 0 and probability 0.
        var requested = new Dictionary<string, MeetingRequest>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var key = PairKey(request.University, request.Enterprise);
            if (!requested.TryGetValue(key, out var best) || request.Score > best.Score)
            {
                requested[key] = request;
            }
        }

        foreach (var p in options.Preferences.Where(p => p.Choice is PreferenceChoice.MustMeet or PreferenceChoice.Interested && p.Organization != p.Counterpart))
        {
            requested.TryAdd(PairKey(p.Organization, p.Counterpart), new MeetingRequest(p.Organization, p.Counterpart, 0) { Acceptance = 0 });
        }

        var byProbability = options.Preferences.Count > 0 || requests.Any(r => r.Acceptance is not null);
        double ValueOf(MeetingRequest r)
        {
            if (!byProbability)
            {
                return r.Score;
            }

            if (Vetoed(r.University, r.Enterprise))
            {
                return 0;
            }

            var p = Math.Min(1, Math.Max(0, r.Acceptance ?? Math.Min(1, r.Score)));
            double Side(PreferenceChoice? c) => c == PreferenceChoice.MustMeet ? 1
                : c == PreferenceChoice.Interested ? 0.8 + (0.2 * Math.Sqrt(p))
                : Math.Sqrt(Math.Max(p, 0.05));
            return Math.Round(Side(ChoiceOf(r.University, r.Enterprise)) * Side(ChoiceOf(r.Enterprise, r.University)), 6);
        }

        var listed = options.Capacities.ToDictionary(c => c.Organization, StringComparer.Ordinal);
        int CapacityOf(string org)
        {
            var capacity = listed.TryGetValue(org, out var entry) ? entry.Capacity : options.DefaultCapacity;
            return options.MaxCounterparts > 0 ? Math.Min(capacity, options.MaxCounterparts) : capacity;
        }

        bool Unavailable(string org, int slot) => listed.TryGetValue(org, out var entry) && entry.UnavailableSlots.Contains(slot);

        var seats = new HashSet<(int, int)>();
        var busy = new HashSet<(string, int)>();
        var meetingsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var tablesUsed = new Dictionary<int, int>();
        var pairsMet = new HashSet<string>(StringComparer.Ordinal);
        var keptKeys = options.Keep.Select(k => PairKey(k.University, k.Enterprise)).ToHashSet(StringComparer.Ordinal);
        var total = 0.0;

        foreach (var m in agenda.Meetings)
        {
            total += m.Value;
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

            tablesUsed[m.Slot] = tablesUsed.GetValueOrDefault(m.Slot) + 1;
            if (m.University == m.Enterprise)
            {
                Fail($"{m}: an organisation meets itself");
            }

            var key = PairKey(m.University, m.Enterprise);
            if (!pairsMet.Add(key))
            {
                Fail($"{m}: the pair meets more than once");
            }

            var isKept = keptKeys.Contains(key);
            if (m.Kept != isKept)
            {
                Fail($"{m}: marked kept = {m.Kept}, but the pair {(isKept ? "is" : "is not")} a confirmed meeting");
            }

            if (!isKept && Vetoed(m.University, m.Enterprise))
            {
                Fail($"{m}: a vetoed or already-met pair is scheduled");
            }

            if (!requested.TryGetValue(key, out var best))
            {
                if (!isKept)
                {
                    Fail($"{m}: the pair was never requested");
                }
            }
            else
            {
                if (m.Score != best.Score)
                {
                    Fail($"{m}: score differs from the best requested score {best.Score}");
                }

                var value = ValueOf(best);
                if (Math.Abs(m.Value - value) > 1e-9)
                {
                    Fail($"{m}: value {m.Value} differs from the formula's {value}");
                }

                if (value <= 0 && !isKept)
                {
                    Fail($"{m}: a pair with value ≤ 0 is scheduled");
                }
            }

            foreach (var org in new[] { m.University, m.Enterprise }.Distinct())
            {
                if (!busy.Add((org, m.Slot)))
                {
                    Fail($"{m}: {org} has two meetings in slot {m.Slot}");
                }

                if (Unavailable(org, m.Slot))
                {
                    Fail($"{m}: {org} is unavailable in slot {m.Slot}");
                }

                meetingsOf[org] = meetingsOf.GetValueOrDefault(org) + 1;
            }
        }

        foreach (var (org, count) in meetingsOf)
        {
            var capacity = listed.TryGetValue(org, out var entry) ? entry.Capacity : options.DefaultCapacity;
            if (count > capacity)
            {
                Fail($"{org} has {count} meetings, capacity {capacity}");
            }

            if (options.MaxCounterparts > 0 && count > options.MaxCounterparts)
            {
                Fail($"{org} has {count} meetings, over the exposure cap {options.MaxCounterparts}");
            }
        }

        foreach (var kept in options.Keep)
        {
            if (!agenda.Meetings.Any(m => m.Kept && m.Slot == kept.Slot && m.Table == kept.Table && m.University == kept.University && m.Enterprise == kept.Enterprise))
            {
                Fail($"kept meeting {kept} is not in the agenda as confirmed");
            }
        }

        if (Math.Abs(total - agenda.Objective) > 1e-9 * Math.Max(1, Math.Abs(total)))
        {
            Fail($"objective {agenda.Objective} is not the sum of the meetings' values {total}");
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

        var requestedMet = pairsMet.Count(requested.ContainsKey);
        if (requestedMet + unscheduled.Count != requested.Count)
        {
            Fail($"{requested.Count} distinct pairs requested, {requestedMet} met and {unscheduled.Count} unscheduled");
        }

        for (var i = 1; i < agenda.Unscheduled.Count; i++)
        {
            if (ValueOf(agenda.Unscheduled[i]) > ValueOf(agenda.Unscheduled[i - 1]))
            {
                Fail($"unscheduled not best first at {i}: {agenda.Unscheduled[i]}");
            }
        }

        // Could the pair a–b still be added as the plan stands? The slot it would take, or 0.
        int Addable(string a, string b)
        {
            if (a == b || pairsMet.Contains(PairKey(a, b)) || Vetoed(a, b)
                || meetingsOf.GetValueOrDefault(a) >= CapacityOf(a) || meetingsOf.GetValueOrDefault(b) >= CapacityOf(b))
            {
                return 0;
            }

            for (var slot = 1; slot <= options.Slots; slot++)
            {
                if (tablesUsed.GetValueOrDefault(slot) < options.Tables && !Unavailable(a, slot) && !Unavailable(b, slot)
                    && !busy.Contains((a, slot)) && !busy.Contains((b, slot)))
                {
                    return slot;
                }
            }

            return 0;
        }

        // Must-meets: held, or reported with a reason the plan bears out; never addable.
        var misses = agenda.MustMeetUnscheduled.ToDictionary(m => PairKey(m.Organization, m.Counterpart), StringComparer.Ordinal);
        var mustKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in options.Preferences.Where(p => p.Choice == PreferenceChoice.MustMeet))
        {
            var key = PairKey(p.Organization, p.Counterpart);
            if (!mustKeys.Add(key))
            {
                continue;
            }

            var (a, b) = (p.Organization, p.Counterpart);
            if (pairsMet.Contains(key))
            {
                if (misses.ContainsKey(key))
                {
                    Fail($"must-meet {a}–{b} is held but reported as unscheduled");
                }

                continue;
            }

            if (!misses.TryGetValue(key, out var miss))
            {
                Fail($"must-meet {a}–{b} is neither held nor reported");
                continue;
            }

            if (Vetoed(a, b) != (miss.Reason == MustMeetReasons.Vetoed))
            {
                Fail($"must-meet {a}–{b}: reason {miss.Reason}, but vetoed is {Vetoed(a, b)}");
            }

            if (!Vetoed(a, b) && Addable(a, b) is var slot && slot > 0)
            {
                Fail($"must-meet {a}–{b} could still be added in slot {slot}");
            }

            var full = meetingsOf.GetValueOrDefault(a) >= CapacityOf(a) || meetingsOf.GetValueOrDefault(b) >= CapacityOf(b);
            var commonFree = Enumerable.Range(1, options.Slots).Any(s => !Unavailable(a, s) && !Unavailable(b, s) && !busy.Contains((a, s)) && !busy.Contains((b, s)));
            var expected = Vetoed(a, b) ? MustMeetReasons.Vetoed : full ? MustMeetReasons.Capacity : !commonFree ? MustMeetReasons.NoCommonSlot : MustMeetReasons.NoTable;
            if (miss.Reason != expected)
            {
                Fail($"must-meet {a}–{b}: reason {miss.Reason}, the plan says {expected}");
            }
        }

        if (agenda.MustMeetUnscheduled.Count != agenda.MustMeetUnscheduled.Select(m => PairKey(m.Organization, m.Counterpart)).Distinct().Count()
            || agenda.MustMeetUnscheduled.Any(m => !mustKeys.Contains(PairKey(m.Organization, m.Counterpart))))
        {
            Fail($"must-meet report lists a pair twice or one nobody stated");
        }

        // Fairness floor: an organisation with a real (evidence-backed) pair and no meeting has no pair left to add.
        if (options.FairnessFloor && byProbability)
        {
            foreach (var r in requested.Values.Where(r => r.Acceptance is { } p ? p > 0 : r.Score > 0))
            {
                foreach (var org in new[] { r.University, r.Enterprise })
                {
                    if (meetingsOf.GetValueOrDefault(org) > 0)
                    {
                        continue;
                    }

                    foreach (var other in requested.Values.Where(o => (o.University == org || o.Enterprise == org) && ValueOf(o) > 0))
                    {
                        var counterpart = other.University == org ? other.Enterprise : other.University;
                        if (Addable(org, counterpart) is var slot && slot > 0)
                        {
                            Fail($"fairness floor: {org} has a strong match but no meeting, and {org}–{counterpart} fits in slot {slot}");
                            break;
                        }
                    }
                }
            }
        }

        // Early slots: no planned meeting could move to an earlier slot as the plan stands.
        foreach (var m in agenda.Meetings.Where(m => !m.Kept))
        {
            for (var slot = 1; slot < m.Slot; slot++)
            {
                if (tablesUsed.GetValueOrDefault(slot) < options.Tables && !Unavailable(m.University, slot) && !Unavailable(m.Enterprise, slot)
                    && !busy.Contains((m.University, slot)) && !busy.Contains((m.Enterprise, slot)))
                {
                    Fail($"{m}: could move to the earlier slot {slot}");
                    break;
                }
            }
        }

        return violations;
    }

    private static int Strength(PreferenceChoice c) => c switch
    {
        PreferenceChoice.AlreadyMet => 3,
        PreferenceChoice.MustMeet => 2,
        PreferenceChoice.Interested => 1,
        _ => 0,
    };

    private static string PairKey(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? a + "\u0001" + b : b + "\u0001" + a;
}
