using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

/// <summary>A random but reproducible event: organisations with capacities 1–6, some unavailable slots, and
/// distinct university–enterprise requests with scores in (0, 1].</summary>
internal sealed record GeneratedEvent(IReadOnlyList<MeetingRequest> Requests, AgendaOptions Options)
{
    public static GeneratedEvent Create(
        int seed, int universities = 120, int enterprises = 80, int requests = 1500, int slots = 10, int tables = 30,
        double deterministicTime = 10)
    {
        var random = new Random(seed);
        var universityNames = Enumerable.Range(1, universities).Select(i => $"大学{i:D3}").ToArray();
        var enterpriseNames = Enumerable.Range(1, enterprises).Select(i => $"企业{i:D3}").ToArray();
        var capacities = universityNames.Concat(enterpriseNames)
            .Select(name => new OrganizationCapacity(name, random.Next(1, 7), Unavailable(random, slots)))
            .ToArray();

        var pairs = new HashSet<(int, int)>();
        var list = new List<MeetingRequest>(requests);
        while (list.Count < requests)
        {
            // Popular organisations (low indexes) get more requests, as real events have a few sought-after partners.
            var u = (int)(universities * Math.Pow(random.NextDouble(), 1.5));
            var e = (int)(enterprises * Math.Pow(random.NextDouble(), 1.5));
            if (pairs.Add((u, e)))
            {
                var score = Math.Round(0.05 + (0.95 * random.NextDouble()), 6);
                list.Add(new MeetingRequest(universityNames[u], enterpriseNames[e], score));
            }
        }

        var options = new AgendaOptions
        {
            Slots = slots,
            Tables = tables,
            Capacities = capacities,
            SolverDeterministicTime = deterministicTime,
        };
        return new GeneratedEvent(list, options);
    }

    /// <summary>A generated event with two-way probabilities on every request and both sides' stated choices: about a
    /// tenth of the pairs get a choice from one side (must-meet, interested, no or already-met), some a choice about a
    /// pair with no request; an exposure cap of <paramref name="maxCounterparts"/> and a few confirmed meetings kept.</summary>
    public static GeneratedEvent WithPreferences(
        int seed, int universities = 60, int enterprises = 40, int requests = 600, int slots = 8, int tables = 20,
        int maxCounterparts = 4, int kept = 5, double deterministicTime = 2)
    {
        var basic = Create(seed, universities, enterprises, requests, slots, tables, deterministicTime);
        var random = new Random(seed + 1000);
        var withProbability = basic.Requests.Select(r => r with { Acceptance = Math.Round(random.NextDouble(), 6) }).ToArray();
        var choices = new[] { PreferenceChoice.MustMeet, PreferenceChoice.Interested, PreferenceChoice.Interested, PreferenceChoice.No, PreferenceChoice.AlreadyMet };
        var preferences = new List<StatedPreference>();
        foreach (var r in withProbability.Where(_ => random.NextDouble() < 0.1))
        {
            var fromUniversity = random.NextDouble() < 0.5;
            preferences.Add(new StatedPreference(fromUniversity ? r.University : r.Enterprise, fromUniversity ? r.Enterprise : r.University, choices[random.Next(choices.Length)]));
        }

        for (var i = 0; i < universities / 10; i++)
        {
            preferences.Add(new StatedPreference($"企业{random.Next(1, enterprises + 1):D3}", $"大学{random.Next(1, universities + 1):D3}",
                random.NextDouble() < 0.5 ? PreferenceChoice.MustMeet : PreferenceChoice.Interested));
        }

        // Confirmed meetings: distinct organisations in slot order, each at a new table, within capacity and availability.
        var capacityOf = basic.Options.Capacities.ToDictionary(c => c.Organization);
        var confirmed = new List<ConfirmedMeeting>();
        var used = new HashSet<string>();
        foreach (var r in withProbability)
        {
            if (confirmed.Count == kept)
            {
                break;
            }

            var slot = confirmed.Count % slots + 1;
            if (used.Contains(r.University) || used.Contains(r.Enterprise)
                || capacityOf[r.University].Capacity == 0 || capacityOf[r.Enterprise].Capacity == 0
                || capacityOf[r.University].UnavailableSlots.Contains(slot) || capacityOf[r.Enterprise].UnavailableSlots.Contains(slot))
            {
                continue;
            }

            used.Add(r.University);
            used.Add(r.Enterprise);
            confirmed.Add(new ConfirmedMeeting(slot, confirmed.Count / slots + 1, r.University, r.Enterprise));
        }

        return new GeneratedEvent(withProbability, basic.Options with { Preferences = preferences, MaxCounterparts = maxCounterparts, Keep = confirmed });
    }

    private static HashSet<int> Unavailable(Random random, int slots)
    {
        var unavailable = new HashSet<int>();
        if (random.NextDouble() < 0.3)
        {
            var count = random.Next(1, 4);
            while (unavailable.Count < count)
            {
                unavailable.Add(random.Next(1, slots + 1));
            }
        }

        return unavailable;
    }
}
