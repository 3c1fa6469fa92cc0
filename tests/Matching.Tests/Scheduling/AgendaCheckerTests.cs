using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Scheduling;

/// <summary>The checker must catch broken agendas, or the planner tests that rely on it prove nothing.</summary>
public sealed class AgendaCheckerTests
{
    private static readonly MeetingRequest[] Requests = [new("高校A", "企业X", 0.9), new("高校B", "企业X", 0.5), new("高校B", "企业Y", 0.4)];

    private static readonly AgendaOptions Options = new()
    {
        Slots = 2,
        Tables = 1,
        Capacities = [new("高校B", 1, new HashSet<int> { 2 })],
    };

    [Test]
    public void Check_ValidAgenda_NoViolations()
    {
        var agenda = new Agenda([new(1, 1, "高校B", "企业X", 0.5), new(2, 1, "高校A", "企业X", 0.9)], 1.4, 1.4, 1.4, "OPTIMAL", [Requests[2]]);

        Assert.That(AgendaChecker.Check(Requests, Options, agenda), Is.Empty);
    }

    [Test]
    public void Check_BrokenAgenda_ReportsEveryRule()
    {
        Meeting[] meetings =
        [
            new(1, 1, "高校A", "企业X", 0.9),
            new(1, 1, "高校B", "企业X", 0.5),
            new(2, 2, "高校B", "企业Y", 0.45),
            new(3, 1, "高校A", "企业X", 0.9),
            new(1, 0, "高校C", "企业Z", 0.3),
            new(2, 1, "高校A", "企业Y", 0.2),
        ];
        var agenda = new Agenda(meetings, 99, 0, 99, "OPTIMAL", [Requests[0]]);

        var violations = AgendaChecker.Check(Requests, Options, agenda);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(violations, Has.Some.Contains("table 1 used twice in slot 1"));
            Assert.That(violations, Has.Some.Contains("企业X has two meetings in slot 1"));
            Assert.That(violations, Has.Some.Contains("table outside 1..1"));
            Assert.That(violations, Has.Some.Contains("slot outside 1..2"));
            Assert.That(violations, Has.Some.Contains("高校B is unavailable in slot 2"));
            Assert.That(violations, Has.Some.Contains("高校B has 2 meetings, capacity 1"));
            Assert.That(violations, Has.Some.Contains("the pair meets more than once"));
            Assert.That(violations, Has.Some.Contains("the pair was never requested"));
            Assert.That(violations, Has.Some.Contains("the pair was never requested").And.Contains("高校A"));
            Assert.That(violations, Has.Some.Contains("score differs from the best requested score 0.4"));
            Assert.That(violations, Has.Some.Contains("is not the sum of the meetings' values"));
            Assert.That(violations, Has.Some.Contains("listed as unscheduled twice, or also scheduled"));
        }
    }
}
