using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

public sealed class GreedyAgendaTests
{
    [Test]
    public void Plan_OneTablePerSlot_BestPairTakesTheEarliestSlotItCanAttend()
    {
        MeetingRequest[] requests = [new("高校A", "企业X", 3), new("高校B", "企业Y", 2), new("高校C", "企业Z", 1)];
        var options = new AgendaOptions { Slots = 3, Tables = 1, Capacities = [new("高校A", 4, new HashSet<int> { 1 })] };

        var meetings = GreedyAgenda.Plan(requests, options);

        Assert.That(meetings, Is.EqualTo(new[]
        {
            new Meeting(1, 1, "高校B", "企业Y", 2),
            new Meeting(2, 1, "高校A", "企业X", 3),
            new Meeting(3, 1, "高校C", "企业Z", 1),
        }));
    }

    [Test]
    public void Plan_BestPairBlocksTwoOthers_TakesTheBestPairAnyway()
    {
        MeetingRequest[] requests = [new("高校A", "企业X", 10), new("高校A", "企业Y", 9), new("高校B", "企业X", 9)];
        var options = new AgendaOptions { Slots = 1 };

        var meetings = GreedyAgenda.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(meetings, Is.EqualTo(new[] { new Meeting(1, 1, "高校A", "企业X", 10) }));
            Assert.That(AgendaChecker.Check(requests, options, new Agenda(meetings, 10, 10, 10, AgendaPlanner.Greedy, [requests[1], requests[2]])), Is.Empty);
        }
    }

    [Test]
    public void Plan_GeneratedEvent_PassesTheChecker()
    {
        var generated = GeneratedEvent.Create(seed: 5);

        var meetings = GreedyAgenda.Plan(generated.Requests, generated.Options);
        var greedyOnly = new AgendaOptions
        {
            Slots = generated.Options.Slots,
            Tables = generated.Options.Tables,
            Capacities = generated.Options.Capacities,
            SolverDeterministicTime = 0,
        };
        var agenda = AgendaPlanner.Plan(generated.Requests, greedyOnly);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(agenda.Meetings, Is.EqualTo(meetings));
            Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, agenda), Is.Empty);
        }
    }

    [Test]
    public void Plan_InvalidOptions_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => GreedyAgenda.Plan([], new AgendaOptions { Tables = 0 }));

        Assert.That(error.Message, Is.EqualTo("Cannot plan the agenda: Tables must be at least 1 (was 0)."));
    }
}
