using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

public sealed class AgendaPlannerTests
{
    private static readonly IReadOnlySet<int> Always = new HashSet<int>();

    [Test]
    public void Plan_BestPairBlocksTwoOthers_SolverFindsTheBetterPair()
    {
        // Greedy takes 高校A–企业X (10) and then neither 高校A–企业Y nor 高校B–企业X fits: 10 against 18.
        MeetingRequest[] requests = [new("高校A", "企业X", 10), new("高校A", "企业Y", 9), new("高校B", "企业X", 9)];
        var options = new AgendaOptions { Slots = 1, Tables = 5 };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings, Is.EqualTo(new[]
            {
                new Meeting(1, 1, "高校A", "企业Y", 9),
                new Meeting(1, 2, "高校B", "企业X", 9),
            }));
            Assert.That(agenda.Objective, Is.EqualTo(18));
            Assert.That(agenda.GreedyObjective, Is.EqualTo(10));
            Assert.That(agenda.UpperBound, Is.EqualTo(18).Within(1e-6));
            Assert.That(agenda.Status, Is.EqualTo(AgendaPlanner.Optimal));
            Assert.That(agenda.Unscheduled, Is.EqualTo(new[] { requests[0] }));
        }
    }

    [Test]
    public void Plan_EarliestSlotIsTheOnlySlotOfOthers_SolverMovesTheBestPairLater()
    {
        // 企业Y and 高校B can only meet in slot 1; greedy puts 高校A–企业X there and loses both of their meetings.
        MeetingRequest[] requests = [new("高校A", "企业X", 10), new("高校B", "企业X", 9), new("高校A", "企业Y", 8)];
        var options = new AgendaOptions
        {
            Slots = 2,
            Tables = 5,
            Capacities = [new("高校B", 4, new HashSet<int> { 2 }), new("企业Y", 4, new HashSet<int> { 2 })],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings, Is.EqualTo(new[]
            {
                new Meeting(1, 1, "高校B", "企业X", 9),
                new Meeting(1, 2, "高校A", "企业Y", 8),
                new Meeting(2, 1, "高校A", "企业X", 10),
            }));
            Assert.That(agenda.Objective, Is.EqualTo(27));
            Assert.That(agenda.GreedyObjective, Is.EqualTo(10));
            Assert.That(agenda.Status, Is.EqualTo(AgendaPlanner.Optimal));
            Assert.That(agenda.Unscheduled, Is.Empty);
        }
    }

    [Test]
    public void Plan_MorePairsThanSlotsTimesTables_KeepsTheBestAndListsTheRestBestFirst()
    {
        // Six pairs of distinct organisations, room for four.
        var requests = Enumerable.Range(1, 6).Select(i => new MeetingRequest($"高校{i}", $"企业{i}", 7 - i)).ToArray();
        var options = new AgendaOptions { Slots = 2, Tables = 2 };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => m.Score), Is.EquivalentTo(new double[] { 6, 5, 4, 3 }));
            Assert.That(agenda.Meetings.Select(m => (m.Slot, m.Table)), Is.EqualTo(new[] { (1, 1), (1, 2), (2, 1), (2, 2) }));
            Assert.That(agenda.Meetings.GroupBy(m => m.Slot).Select(slot => slot.Select(m => m.Score)), Has.All.Ordered.Descending,
                "table 1 holds the slot's better meeting");
            Assert.That(agenda.Objective, Is.EqualTo(18));
            Assert.That(agenda.UpperBound, Is.EqualTo(18).Within(1e-6));
            Assert.That(agenda.Unscheduled, Is.EqualTo(new[] { requests[4], requests[5] }));
        }
    }

    [Test]
    public void Plan_TablesPerSlot_SeatsByDescendingScore()
    {
        MeetingRequest[] requests = [new("高校1", "企业1", 1), new("高校2", "企业2", 3), new("高校3", "企业3", 2)];

        var agenda = AgendaPlanner.Plan(requests, new AgendaOptions { Slots = 1, Tables = 3 });

        Assert.That(agenda.Meetings, Is.EqualTo(new[]
        {
            new Meeting(1, 1, "高校2", "企业2", 3),
            new Meeting(1, 2, "高校3", "企业3", 2),
            new Meeting(1, 3, "高校1", "企业1", 1),
        }));
    }

    [Test]
    public void Plan_CapacityBinds_LeavesTheWeakerPairsOfThePopularOrganisationUnscheduled()
    {
        var requests = Enumerable.Range(1, 5).Select(i => new MeetingRequest("热门高校", $"企业{i}", i)).ToArray();
        var options = new AgendaOptions { Slots = 8, Tables = 10, Capacities = [new("热门高校", 2, Always)] };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => m.Enterprise), Is.EquivalentTo(new[] { "企业5", "企业4" }));
            Assert.That(agenda.Unscheduled, Is.EqualTo(new[] { requests[2], requests[1], requests[0] }));
        }
    }

    [Test]
    public void Plan_DuplicateRequestsInEitherOrientation_KeepTheHighestScore()
    {
        MeetingRequest[] requests = [new("高校A", "企业X", 0.3), new("高校A", "企业X", 0.9), new("企业X", "高校A", 0.5)];

        var agenda = AgendaPlanner.Plan(requests, new AgendaOptions { Slots = 1 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(agenda.Meetings, Is.EqualTo(new[] { new Meeting(1, 1, "高校A", "企业X", 0.9) }));
            Assert.That(agenda.Unscheduled, Is.Empty);
        }
    }

    [Test]
    public void Plan_NameOnBothSides_IsOneOrganisation()
    {
        // 研究院 is an enterprise in one request and a university in another: with one slot it can take only one,
        // and it never meets itself.
        MeetingRequest[] requests = [new("高校A", "研究院", 5), new("研究院", "企业X", 4), new("研究院", "研究院", 9)];
        var options = new AgendaOptions { Slots = 1, Tables = 5 };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings, Is.EqualTo(new[] { new Meeting(1, 1, "高校A", "研究院", 5) }));
            Assert.That(agenda.Unscheduled, Is.EqualTo(new[] { requests[2], requests[1] }));
        }
    }

    [Test]
    public void Plan_ScoreNotPositiveNoCapacityOrNoCommonSlot_NeverScheduled()
    {
        MeetingRequest[] requests =
        [
            new("高校A", "企业X", 0.8),
            new("高校B", "企业Y", 0),
            new("高校C", "企业Z", -1),
            new("无空高校", "企业X", 0.7),
            new("上午高校", "下午企业", 0.6),
        ];
        var options = new AgendaOptions
        {
            Slots = 2,
            Capacities =
            [
                new("无空高校", 0, Always),
                new("上午高校", 2, new HashSet<int> { 2 }),
                new("下午企业", 2, new HashSet<int> { 1 }),
            ],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => (m.University, m.Enterprise, m.Score)), Is.EqualTo(new[] { ("高校A", "企业X", 0.8) }));
            Assert.That(agenda.Unscheduled, Is.EqualTo(new[] { requests[3], requests[4], requests[1], requests[2] }));
        }
    }

    [Test]
    public void Plan_NoRequests_EmptyOptimalAgenda()
    {
        var agenda = AgendaPlanner.Plan([], new AgendaOptions());

        Assert.That(agenda, Is.EqualTo(new Agenda([], 0, 0, 0, AgendaPlanner.Optimal, [])).Using<Agenda>(SameAgenda));
    }

    [Test]
    public void Plan_ZeroSolverTime_ReturnsTheGreedyPlan()
    {
        MeetingRequest[] requests = [new("高校A", "企业X", 10), new("高校A", "企业Y", 9), new("高校B", "企业X", 9)];

        var agenda = AgendaPlanner.Plan(requests, new AgendaOptions { Slots = 1, SolverDeterministicTime = 0 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(agenda.Status, Is.EqualTo(AgendaPlanner.Greedy));
            Assert.That(agenda.Meetings, Is.EqualTo(new[] { new Meeting(1, 1, "高校A", "企业X", 10) }));
            Assert.That(agenda.Objective, Is.EqualTo(agenda.GreedyObjective));
            Assert.That(agenda.UpperBound, Is.EqualTo(19), "without the solver the bound is the best scores that fit");
        }
    }

    [Test]
    public void Plan_InvalidOptions_OneMessageListsEveryProblem()
    {
        var options = new AgendaOptions
        {
            Slots = 3,
            Tables = 0,
            DefaultCapacity = -1,
            SolverDeterministicTime = double.NaN,
            Capacities =
            [
                new("高校A", -2, new HashSet<int> { 0, 4, 2 }),
                new("高校A", 1, Always),
            ],
        };
        MeetingRequest[] requests = [new("高校A", "", 1), new("高校B", "企业X", double.PositiveInfinity)];

        var error = Assert.Throws<ArgumentException>(() => AgendaPlanner.Plan(requests, options));

        Assert.That(error.Message, Is.EqualTo(
            "Cannot plan the agenda: Tables must be at least 1 (was 0); DefaultCapacity must be 0 or more (was -1); "
            + "SolverDeterministicTime must be a finite number, 0 or more (was NaN); "
            + "capacity of '高校A' must be 0 or more (was -2); unavailable slots of '高校A' must be within 1..3 (was 0, 4); "
            + "Capacities[1]: '高校A' is already listed at Capacities[0]; "
            + "requests[0]: empty enterprise; requests[1]: score must be a finite number (was Infinity)."));
    }

    [Test]
    public void Plan_ZeroSlots_Rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => AgendaPlanner.Plan([], new AgendaOptions { Slots = 0 }));

        Assert.That(error.Message, Is.EqualTo("Cannot plan the agenda: Slots must be at least 1 (was 0)."));
    }

    [Test]
    public void Plan_GeneratedEvent_ValidAtLeastGreedyWithinBoundAndRepeatable()
    {
        // 200 organisations (120 universities, 80 enterprises), 1,500 requests, 10 slots × 30 tables, capacities 1–6.
        var generated = GeneratedEvent.Create(seed: 1);

        var agenda = AgendaPlanner.Plan(generated.Requests, generated.Options);
        var again = AgendaPlanner.Plan(generated.Requests, generated.Options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, agenda), Is.Empty);
            Assert.That(agenda.Meetings, Is.Not.Empty);
            Assert.That(agenda.Objective, Is.GreaterThanOrEqualTo(agenda.GreedyObjective));
            Assert.That(agenda.Objective, Is.LessThanOrEqualTo(agenda.UpperBound + 1e-6));
            Assert.That(agenda.Status, Is.AnyOf(AgendaPlanner.Optimal, AgendaPlanner.Feasible));
            Assert.That(again, Is.EqualTo(agenda).Using<Agenda>(SameAgenda), "the same input gives the same agenda");
        }
    }

    [TestCase(2, 2000, 12, 30)]
    [TestCase(3, 2000, 8, 20)]
    public void Plan_LargerGeneratedEvents_ValidAtLeastGreedyWithinBound(int seed, int requests, int slots, int tables)
    {
        var generated = GeneratedEvent.Create(seed, requests: requests, slots: slots, tables: tables, deterministicTime: 3);

        var agenda = AgendaPlanner.Plan(generated.Requests, generated.Options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, agenda), Is.Empty);
            Assert.That(agenda.Objective, Is.GreaterThanOrEqualTo(agenda.GreedyObjective));
            Assert.That(agenda.Objective, Is.LessThanOrEqualTo(agenda.UpperBound + 1e-6));
        }
    }

    private static bool SameAgenda(Agenda a, Agenda b) =>
        a.Meetings.SequenceEqual(b.Meetings)
        && a.Objective.Equals(b.Objective)
        && a.GreedyObjective.Equals(b.GreedyObjective)
        && a.UpperBound.Equals(b.UpperBound)
        && a.Status == b.Status
        && a.Unscheduled.SequenceEqual(b.Unscheduled);
}
