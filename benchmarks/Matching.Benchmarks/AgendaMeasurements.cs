using System.Diagnostics;
using System.Globalization;
using Matching.Scheduling;
using Matching.Tests.Scheduling;

namespace Matching.Benchmarks;

/// <summary>The agenda's measurements (benchmarks/README.md, "Agenda: expected accepted meetings"): the new agenda
/// against the score-only one on simulated events with hidden relevance, what each part adds, and the solver on
/// generated events. They print tables and assert nothing, so they live here and not among the tests.</summary>
/// <remarks><c>dotnet run -c Release --project benchmarks/Matching.Benchmarks -- agenda [preferences|parts|solver]</c>
/// (no argument: all three). The simulated and generated events are the tests' own (linked source files).</remarks>
internal static class AgendaMeasurements
{
    private static readonly AgendaOptions Shape = new() { Slots = 8, Tables = 20, DefaultCapacity = 4, SolverDeterministicTime = 5 };

    public static int Run(string[] args)
    {
        var which = args.Length > 0 ? args[0] : "all";
        if (which is not ("all" or "preferences" or "parts" or "solver"))
        {
            Console.Error.WriteLine("usage: agenda [preferences|parts|solver]");
            return 2;
        }

        if (which is "all" or "preferences")
        {
            foreach (var mustShare in new[] { 0.1, 0.25 })
            {
                NewAgendaAgainstScoreOnly(mustShare);
            }
        }

        if (which is "all" or "parts")
        {
            foreach (var seed in new[] { 1, 11 })
            {
                Parts(seed);
            }
        }

        if (which is "all" or "solver")
        {
            foreach (var (seed, time, universities, enterprises, requests, slots, tables) in new[]
            {
                (1, 10.0, 120, 80, 1500, 10, 30), (1, 2.0, 120, 80, 1500, 10, 30), (2, 10.0, 120, 80, 2000, 12, 30),
                (3, 10.0, 120, 80, 2000, 8, 30), (4, 10.0, 120, 80, 2000, 8, 20),
            })
            {
                Solver(seed, time, universities, enterprises, requests, slots, tables);
            }
        }

        return 0;
    }

    private static void NewAgendaAgainstScoreOnly(double mustShare)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"must-meet share of strong interest: {mustShare}"));
        Console.WriteLine("| seed | pairs | stated choices | score-only: meetings / expected accepted / simulated accepted / vetoed held | P(accept) + preferences: meetings / expected / simulated / must-meets held / floor served | change in expected |");
        Console.WriteLine("|---|---|---|---|---|---|");
        double oldTotal = 0, newTotal = 0;
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
        {
            var simulated = SimulatedEvent.Create(seed, mustShare: mustShare);
            var options = Shape with { Preferences = simulated.Preferences };
            var old = AgendaPlanner.Plan(simulated.ScoreRequests, Shape);
            var @new = AgendaPlanner.Plan(simulated.TwoWayRequests, options);
            var (oldExpected, oldAccepted) = simulated.Score(old);
            var (newExpected, newAccepted) = simulated.Score(@new);
            var problems = AgendaChecker.Check(simulated.TwoWayRequests, options, @new);
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("the new agenda breaks a rule: " + string.Join("; ", problems));
            }

            var vetoed = old.Meetings.Count(m => simulated.Preferences.Any(p => p.Choice is Matching.Ingestion.PreferenceChoice.No or Matching.Ingestion.PreferenceChoice.AlreadyMet
                && ((p.Organization == m.University && p.Counterpart == m.Enterprise) || (p.Organization == m.Enterprise && p.Counterpart == m.University))));
            var floorOrganizations = simulated.TwoWayRequests.SelectMany(r => new[] { r.University, r.Enterprise }).Distinct().Count();
            var served = @new.Meetings.SelectMany(m => new[] { m.University, m.Enterprise }).Distinct().Count();
            oldTotal += oldExpected;
            newTotal += newExpected;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seed} | {simulated.ScoreRequests.Count} | {simulated.Preferences.Count} | {old.Meetings.Count} / {oldExpected:F1} / {oldAccepted} / {vetoed} | {@new.Meetings.Count} / {newExpected:F1} / {newAccepted} / {@new.MustMeetsStated - @new.MustMeetUnscheduled.Count} of {@new.MustMeetsStated} / {served} of {floorOrganizations} | {(newExpected / oldExpected) - 1:+0.0%;-0.0%} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean change in expected accepted meetings: {(newTotal / oldTotal) - 1:+0.0%;-0.0%}"));
        Console.WriteLine();
    }

    private static void Parts(int seed)
    {
        var simulated = seed == 11 ? SimulatedEvent.Create(seed: 11, achievements: 120, demands: 60, universities: 12, enterprises: 20) : SimulatedEvent.Create(seed, mustShare: 0.25);
        var shape = Shape with { SolverDeterministicTime = 2 };
        Console.WriteLine($"seed {seed}:");
        void Line(string name, Agenda a) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {a.Meetings.Count} meetings, expected {simulated.Score(a).Expected:F2}, accepted {simulated.Score(a).Accepted}"));
        Line("score only", AgendaPlanner.Plan(simulated.ScoreRequests, shape));
        Line("two-way p, no floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false }));
        Line("two-way p, floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape));
        Line("two-way p + prefs, no floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false, Preferences = simulated.Preferences }));
        Line("two-way p + prefs w/o must", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { FairnessFloor = false, Preferences = [.. simulated.Preferences.Where(p => p.Choice != Matching.Ingestion.PreferenceChoice.MustMeet)] }));
        Line("two-way p + prefs + floor", AgendaPlanner.Plan(simulated.TwoWayRequests, shape with { Preferences = simulated.Preferences }));
        Line("score + acceptance=score", AgendaPlanner.Plan([.. simulated.ScoreRequests.Select(r => r with { Acceptance = Math.Min(1, r.Score) })], shape with { FairnessFloor = false }));
    }

    private static void Solver(int seed, double time, int universities, int enterprises, int requests, int slots, int tables)
    {
        var generated = GeneratedEvent.Create(seed, universities, enterprises, requests, slots, tables, time);
        var problem = AgendaProblem.Build(generated.Requests, generated.Options);
        var watch = Stopwatch.StartNew();
        var agenda = AgendaPlanner.Plan(generated.Requests, generated.Options);
        watch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed} det {time} requests {requests} slots {slots} tables {tables}: candidates {problem.Candidates.Count}, "
            + $"variables {problem.Candidates.Sum(c => c.Slots.Length)}; meetings {agenda.Meetings.Count}, objective {agenda.Objective:F4}, "
            + $"greedy {agenda.GreedyObjective:F4}, bound {agenda.UpperBound:F4}, simple bound {problem.SimpleBound():F4}, "
            + $"status {agenda.Status}, {watch.Elapsed.TotalSeconds:F2} s"));
        var solved = CpSatAgenda.Solve(problem, GreedyAgenda.Assign(problem), time, seed: 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  solver alone: {solved.Status}, deterministic time {solved.DeterministicTime:F2}, wall {solved.WallTime:F2} s"));
        if (AgendaChecker.Check(generated.Requests, generated.Options, agenda).Count > 0)
        {
            throw new InvalidOperationException("the agenda breaks a rule");
        }
    }
}
