using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

/// <summary>The new agenda (P(accept) from both directions and both sides' choices, vetoes, must-meets, fairness floor)
/// against the score-only agenda (the old objective: the sum of one-sided pair scores), on simulated events with hidden
/// relevance (<see cref="SimulatedEvent"/>). The tables of benchmarks/README.md are printed by
/// <c>benchmarks/Matching.Benchmarks agenda</c>.</summary>
public sealed class PreferenceMeasurementTests
{
    private static readonly AgendaOptions Shape = new() { Slots = 8, Tables = 20, DefaultCapacity = 4, SolverDeterministicTime = 5 };

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
