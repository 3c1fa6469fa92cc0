using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

public sealed class EdgeColoringTests
{
    [Test]
    public void Color_NoColourFreeAtBothEnds_SwapsAlongTheAlternatingPath()
    {
        // Universities 0–1, enterprises 2–4. After 0–2 (1), 0–3 (2), 1–4 (1), edge 1–3 finds colour 2 free at 1 but taken at
        // 3: the 2/1 path 3–0–2 is swapped (0–3 becomes 1, 0–2 becomes 2) and 1–3 takes colour 2.
        (int, int)[] edges = [(0, 2), (0, 3), (1, 4), (1, 3)];

        var colors = EdgeColoring.Color(5, edges, [true, true, true, true], 2);

        Assert.That(colors, Is.EqualTo(new[] { 2, 1, 1, 2 }));
    }

    [TestCase(1, 3)]
    [TestCase(2, 5)]
    [TestCase(3, 8)]
    [TestCase(4, 12)]
    public void Color_RandomBipartiteGraphs_ProperBalancedAndRepeatable(int seed, int colors)
    {
        var random = new Random(seed);
        const int universities = 30, enterprises = 20;
        var degree = new int[universities + enterprises];
        var edges = new List<(int, int)>();
        var seen = new HashSet<(int, int)>();
        for (var attempt = 0; attempt < 2000; attempt++)
        {
            // Skewed: low indexes are popular, so some vertices reach the colour count.
            var u = (int)(universities * Math.Pow(random.NextDouble(), 2));
            var e = universities + (int)(enterprises * Math.Pow(random.NextDouble(), 2));
            if (degree[u] < colors && degree[e] < colors && seen.Add((u, e)))
            {
                edges.Add((u, e));
                degree[u]++;
                degree[e]++;
            }
        }

        var chosen = edges.Select((_, i) => i % 7 != 3).ToArray();
        var result = EdgeColoring.Color(degree.Length, edges, chosen, colors);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(degree.Max(), Is.EqualTo(colors), "the test reaches the limit");
            for (var i = 0; i < edges.Count; i++)
            {
                Assert.That(result[i], chosen[i] ? Is.InRange(1, colors) : Is.Zero, $"edge {i}");
            }

            var clashes = edges.Select((edge, i) => (edge, i)).Where(x => chosen[x.i])
                .SelectMany(x => new[] { (x.edge.Item1, result[x.i]), (x.edge.Item2, result[x.i]) })
                .GroupBy(v => v).Count(g => g.Count() > 1);
            Assert.That(clashes, Is.Zero, "no vertex has two edges of one colour");
            var sizes = Enumerable.Range(1, colors).Select(c => result.Count(x => x == c)).ToArray();
            Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(1), string.Join(",", sizes));
            Assert.That(EdgeColoring.Color(degree.Length, edges, chosen, colors), Is.EqualTo(result));
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Solve_SlotsInterchangeable_ChoosingPairsReachesThePerSlotOptimum(int seed)
    {
        // Small events with every organisation available in every slot: the pair-choice model and the per-slot model,
        // both solved to optimality, must agree on the best objective (König / de Werra: any choice within capacities
        // and slots × tables fits the slots).
        var random = new Random(seed);
        var requests = new List<MeetingRequest>();
        var pairs = new HashSet<(int, int)>();
        while (requests.Count < 40)
        {
            var (u, e) = (random.Next(8), random.Next(7));
            if (pairs.Add((u, e)))
            {
                requests.Add(new MeetingRequest($"大學{u}", $"企業{e}", Math.Round(0.05 + (0.95 * random.NextDouble()), 4)));
            }
        }

        var options = new AgendaOptions
        {
            Slots = 3,
            Tables = 4,
            Capacities = [.. Enumerable.Range(0, 8).Select(u => new OrganizationCapacity($"大學{u}", 1 + random.Next(3), new HashSet<int>()))],
            SolverDeterministicTime = 100,
        };
        var problem = AgendaProblem.Build(requests, options);
        var greedy = GreedyAgenda.Assign(problem);

        var byPair = CpSatAgenda.Solve(problem, greedy, 100, seed: 1);
        var bySlot = CpSatAgenda.Solve(problem, greedy, 100, seed: 1, perSlot: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(problem.SlotsInterchangeable, Is.True);
            Assert.That((byPair.Status, bySlot.Status), Is.EqualTo(("OPTIMAL", "OPTIMAL")));
            Assert.That(problem.Rank(byPair.SlotOf!), Is.EqualTo(problem.Rank(bySlot.SlotOf!)));
            Assert.That(byPair.Bound, Is.EqualTo(bySlot.Bound));
            var agenda = AgendaPlanner.Plan(requests, options);
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Status, Is.EqualTo(AgendaPlanner.Optimal));
        }
    }

    [Test]
    public void SlotsInterchangeable_UnavailableSlotOrNameOnBothSides_False()
    {
        MeetingRequest[] requests = [new("清华大学", "宁德时代", 0.9), new("南开大学", "宁德时代", 0.8)];
        var open = AgendaProblem.Build(requests, new AgendaOptions { Slots = 4 });
        var busy = AgendaProblem.Build(requests, new AgendaOptions { Slots = 4, Capacities = [new("南开大学", 4, new HashSet<int> { 2 })] });
        var bothSides = AgendaProblem.Build([.. requests, new("宁德时代", "比亚迪", 0.7)], new AgendaOptions { Slots = 4 });

        Assert.That((open.SlotsInterchangeable, busy.SlotsInterchangeable, bothSides.SlotsInterchangeable), Is.EqualTo((true, false, false)));
    }
}
