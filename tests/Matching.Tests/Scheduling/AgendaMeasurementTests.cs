using System.Diagnostics;
using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

[Explicit("measurement: prints objective, greedy, bound and time for generated events")]
public sealed class AgendaMeasurementTests
{
    [TestCase(1, 10.0, 120, 80, 1500, 10, 30)]
    [TestCase(1, 2.0, 120, 80, 1500, 10, 30)]
    [TestCase(2, 10.0, 120, 80, 2000, 12, 30)]
    [TestCase(3, 10.0, 120, 80, 2000, 8, 30)]
    [TestCase(4, 10.0, 120, 80, 2000, 8, 20)]
    public void Plan_GeneratedEvent_Reports(int seed, double time, int universities, int enterprises, int requests, int slots, int tables)
    {
        var generated = GeneratedEvent.Create(seed, universities, enterprises, requests, slots, tables, time);
        var problem = AgendaProblem.Build(generated.Requests, generated.Options);
        var watch = Stopwatch.StartNew();
        var agenda = AgendaPlanner.Plan(generated.Requests, generated.Options);
        watch.Stop();
        TestContext.Out.WriteLine(
            $"seed {seed} det {time} requests {requests} slots {slots} tables {tables}: candidates {problem.Candidates.Count}, "
            + $"variables {problem.Candidates.Sum(c => c.Slots.Length)}; meetings {agenda.Meetings.Count}, objective {agenda.Objective:F4}, "
            + $"greedy {agenda.GreedyObjective:F4}, bound {agenda.UpperBound:F4}, simple bound {problem.SimpleBound():F4}, "
            + $"status {agenda.Status}, {watch.Elapsed.TotalSeconds:F2} s");
        var solved = CpSatAgenda.Solve(problem, GreedyAgenda.Assign(problem), time, seed: 1);
        TestContext.Out.WriteLine($"  solver alone: {solved.Status}, deterministic time {solved.DeterministicTime:F2}, wall {solved.WallTime:F2} s");
        Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, agenda), Is.Empty);
    }
}
