using System.Globalization;
using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

/// <summary>The new agenda (P(accept) from both directions and both sides' choices, vetoes, must-meets, fairness floor)
/// against the score-only agenda (the old objective: the sum of one-sided pair scores), on simulated events with hidden
/// relevance (<see cref="SimulatedEvent"/>).</summary>
public sealed class PreferenceMeasurementTests
{
    private static readonly AgendaOptions Shape = new() { Slots = 8, Tables = 20, DefaultCapacity = 4, SolverDeterministicTime = 5 };

    [Explicit("measurement: prints expected and simulated accepted meetings of both agendas for several seeds (benchmarks/README.md)")]
    [TestCase(0.1)]
    [TestCase(0.25)]
    public void Measure_NewAgendaAgainstScoreOnly_PrintsTable(double mustShare)
    {
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"must-meet share of strong interest: {mustShare}"));
        TestContext.Out.WriteLine("| seed | pairs | stated choices | score-only: meetings / expected accepted / simulated accepted / vetoed held | P(accept) + preferences: meetings / expected / simulated / must-meets held / floor served | change in expected |");
        TestContext.Out.WriteLine("|---|---|---|---|---|---|");
        double oldTotal = 0, newTotal = 0;
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            var simulated = SimulatedEvent.Create(seed, mustShare: mustShare);
            var (old, @new, options) = PlanBoth(simulated);
            var (oldExpected, oldAccepted) = simulated.Score(old);
            var (newExpected, newAccepted) = simulated.Score(@new);
            Assert.That(AgendaChecker.Check(simulated.TwoWayRequests, options, @new), Is.Empty);
            var vetoed = old.Meetings.Count(m => simulated.Preferences.Any(p => p.Choice is Matching.Ingestion.PreferenceChoice.No or Matching.Ingestion.PreferenceChoice.AlreadyMet
                && ((p.Organization == m.University && p.Counterpart == m.Enterprise) || (p.Organization == m.Enterprise && p.Counterpart == m.University))));
            var floorOrganizations = simulated.TwoWayRequests.SelectMany(r => new[] { r.University, r.Enterprise }).Distinct().Count();
            var served = @new.Meetings.SelectMany(m => new[] { m.University, m.Enterprise }).Distinct().Count();
            oldTotal += oldExpected;
            newTotal += newExpected;
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seed} | {simulated.ScoreRequests.Count} | {simulated.Preferences.Count} | {old.Meetings.Count} / {oldExpected:F1} / {oldAccepted} / {vetoed} | {@new.Meetings.Count} / {newExpected:F1} / {newAccepted} / {@new.MustMeetsStated - @new.MustMeetUnscheduled.Count} of {@new.MustMeetsStated} / {served} of {floorOrganizations} | {(newExpected / oldExpected) - 1:+0.0%;-0.0%} |"));
        }

        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean change in expected accepted meetings: {(newTotal / oldTotal) - 1:+0.0%;-0.0%}"));
    }

    [Explicit("measurement: what each part adds")]
    [TestCase(1)]
    [TestCase(11)]
    public void Measure_Parts(int seed)
    {
        var simulated = seed == 11 ? SimulatedEvent.Create(seed: 11, achievements: 120, demands: 60, universities: 12, enterprises: 20) : SimulatedEvent.Create(seed, mustShare: 0.25);
        var shape = Shape with { SolverDeterministicTime = 2 };
        void Line(string name, Agenda a) => TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {a.Meetings.Count} meetings, expected {simulated.Score(a).Expected:F2}, accepted {simulated.Score(a).Accepted}"));
        Line("score only", AgendaPlanner.Plan(simulated.ScoreRequests, shape));
        Line("two-way p, no floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false }));
        Line("two-way p, floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape));
        Line("two-way p + prefs, no floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false, Preferences = simulated.Preferences }));
        Line("two-way p + prefs w/o must", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false, Preferences = [.. simulated.Preferences.Where(p => p.Choice != Matching.Ingestion.PreferenceChoice.MustMeet)] }));
        Line("two-way p + prefs + floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { Preferences = simulated.Preferences }));
        Line("score + acceptance=score", AgendaPlanner.Plan([.. simulated.ScoreRequests.Select(r => r with { Acceptance = Math.Min(1, r.Score) })], shape with { FairnessFloor = false }));
    }

    [Test]
    public void Plan_SimulatedEvent_NewAgendaExpectsMoreAcceptedMeetingsThanScoreOnly()
    {
        var simulated = SimulatedEvent.Create(seed: 11, achievements: 120, demands: 60, universities: 12, enterprises: 20);
        var (old, @new, options) = PlanBoth(simulated, deterministicTime: 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(simulated.TwoWayRequests, options, @new), Is.Empty);
            Assert.That(simulated.Score(@new).Expected, Is.GreaterThan(simulated.Score(old).Expected));
        }
    }

    private static (Agenda Old, Agenda New, AgendaOptions Options) PlanBoth(SimulatedEvent simulated, double deterministicTime = 5)
    {
        var options = Shape with { SolverDeterministicTime = deterministicTime, Preferences = simulated.Preferences };
        var old = AgendaPlanner.Plan(simulated.ScoreRequests, Shape with { SolverDeterministicTime = deterministicTime });
        var @new = AgendaPlanner.Plan(simulated.TwoWayRequests, options);
        return (old, @new, options);
    }
}
