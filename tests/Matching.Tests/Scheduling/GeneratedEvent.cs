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
