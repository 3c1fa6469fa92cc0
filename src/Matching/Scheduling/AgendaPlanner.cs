using System.Globalization;
using Matching.Ingestion;

namespace Matching.Scheduling;

/// <summary>Plans the meetings of a matchmaking event: which requested university–enterprise pairs meet, in which
/// slot and at which table, so that the expected number of accepted meetings (the sum of <see cref="PairValue"/>'s
/// P(accept)) is as high as possible — or, for a plain score list with no probabilities and no preferences, the total
/// score.</summary>
/// <remarks>
/// <para><b>Preferences, caps, floor, kept meetings.</b> Vetoed and already-met pairs are never scheduled; must-meets
/// come first, then one meeting for every organisation with a real pair (<see cref="AgendaOptions.FairnessFloor"/>),
/// then value (see <see cref="AgendaProblem"/>); <see cref="AgendaOptions.MaxCounterparts"/> caps every organisation;
/// <see cref="AgendaOptions.Keep"/> meetings stay at their slot and table. Must-meets not held are listed with a reason
/// in <see cref="Agenda.MustMeetUnscheduled"/>. Whatever still fits after solving is added and meetings move to earlier
/// free slots, so an early slot is never left empty while a later meeting could move into it.</para>
/// <para><b>Rules.</b> A pair meets at most once (a name on both sides is one organisation, so A–B and B–A are the same
/// pair); an organisation is in at most one meeting per slot, in at most its capacity of meetings
/// (<see cref="AgendaOptions.DefaultCapacity"/> unless listed), and never in a slot it is unavailable in; a slot holds
/// at most <see cref="AgendaOptions.Tables"/> meetings, seated at tables 1, 2, … by descending score, then names.</para>
/// <para><b>Requests.</b> Duplicate requests for the same pair keep the highest score. A request with score ≤ 0, an
/// organisation paired with itself, an organisation with capacity 0, or a pair with no slot both can attend is never
/// scheduled.</para>
/// <para><b>Model size.</b> Before solving, each organisation keeps only its best 3 × capacity feasible pairs (a pair
/// stays when it is among the best of either organisation), so the model holds at most Σ 3 × capacity pairs: an event
/// of 200 organisations, 2,000 requests and 8–12 slots solves within the default budget. This cut is a heuristic; the
/// greedy plan, the objective and the upper bound all refer to the reduced model, not to the full request list.</para>
/// <para><b>When demand exceeds the room.</b> When there are more worthwhile pairs than slots × tables, or than the
/// organisations' capacities and availability allow, the plan keeps the set with the highest total score and leaves
/// the rest in <see cref="Agenda.Unscheduled"/>, best first, together with the pairs that could never be scheduled.
/// Nothing is dropped silently: every distinct requested pair is either in <see cref="Agenda.Meetings"/> or in
/// <see cref="Agenda.Unscheduled"/>.</para>
/// <para><b>Solver.</b> Google OR-Tools CP-SAT, started from the greedy plan (best pair first, earliest feasible slot)
/// as a hint, with one worker, <see cref="AgendaOptions.Seed"/> and a budget of
/// <see cref="AgendaOptions.SolverDeterministicTime"/> deterministic time units only, so the same input gives the same
/// agenda on any machine. When slots are interchangeable (no unavailable slots, no kept meetings, as many tables in
/// every slot) the solver chooses pairs only and the slots follow from a balanced edge colouring (see
/// <see cref="CpSatAgenda"/>). Scores enter the solver multiplied by 10,000 and rounded; the reported objective is the sum
/// of the chosen meetings' original scores, and the bound is the solver's, divided back (exact up to that rounding,
/// at most 0.00005 per meeting), never below the objective. When the solver finds no plan, or one worse than greedy,
/// the greedy plan is returned with status GREEDY.</para>
/// </remarks>
public static class AgendaPlanner
{
    /// <summary>The status when the solver proved the plan optimal (for the reduced model).</summary>
    public const string Optimal = "OPTIMAL";

    /// <summary>The status when the solver's plan is the best it found within the budget, not proven optimal.</summary>
    public const string Feasible = "FEASIBLE";

    /// <summary>The status when the greedy plan is returned: the solver found nothing better, or was not run
    /// (<see cref="AgendaOptions.SolverDeterministicTime"/> = 0).</summary>
    public const string Greedy = "GREEDY";

    private const int MaxRequestProblems = 10;

    /// <summary>Plans the agenda.</summary>
    /// <param name="requests">Pairs worth meeting, with their scores; order does not matter.</param>
    /// <param name="options">Slots, tables, capacities and solver budget.</param>
    /// <exception cref="ArgumentException">The options or requests are invalid; the message lists every problem.</exception>
    public static Agenda Plan(IReadOnlyList<MeetingRequest> requests, AgendaOptions options)
    {
        Validate(requests, options);
        var problem = AgendaProblem.Build(requests, options);
        var greedy = GreedyAgenda.Assign(problem);
        var greedyObjective = problem.Objective(greedy);
        var chosen = greedy;
        var status = Greedy;
        var bound = problem.SimpleBound();

        if (problem.Candidates.Count == 0)
        {
            status = Optimal;
        }
        else if (options.SolverDeterministicTime > 0)
        {
            var result = CpSatAgenda.Solve(problem, greedy, options.SolverDeterministicTime, options.Seed);
            if (result.SlotOf is { } solved)
            {
                // The solver's plan, finished like greedy's: whatever still fits is added, meetings move to earlier free slots.
                GreedyAgenda.Finish(problem, solved);
                var rank = problem.Rank(solved);
                if (rank.CompareTo(problem.Rank(greedy)) >= 0)
                {
                    chosen = solved;
                    status = result.Status;
                }

                // For plans that hold as many must-meets and floor organisations as the chosen one, the value is bounded
                // by what the solver's bound leaves after those terms.
                var held = problem.Rank(chosen);
                var left = result.Bound - (held.Must * (double)problem.MustWeight) - (held.Floor * (double)problem.FloorWeight);
                bound = Math.Min(bound, problem.Kept.Sum(k => k.Value) + (left / problem.Scale));
            }
        }

        var objective = problem.Objective(chosen);
        return new Agenda(
            problem.ToMeetings(chosen),
            objective,
            greedyObjective,
            Math.Max(bound, objective),
            status,
            problem.Unscheduled(chosen))
        {
            MustMeetUnscheduled = problem.MustMeetMisses(chosen),
            MustMeetsStated = problem.MustMeets.Count,
            SlotTimes = options.SlotTimes(),
        };
    }

    /// <summary>Checks options and requests once and throws one <see cref="ArgumentException"/> listing every problem.</summary>
    internal static void Validate(IReadOnlyList<MeetingRequest> requests, AgendaOptions options)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Slots < 1)
        {
            problems.Add(Invariant($"Slots must be at least 1 (was {options.Slots})"));
        }

        if (options.Tables < 1)
        {
            problems.Add(Invariant($"Tables must be at least 1 (was {options.Tables})"));
        }

        if (options.DefaultCapacity < 0)
        {
            problems.Add(Invariant($"DefaultCapacity must be 0 or more (was {options.DefaultCapacity})"));
        }

        if (!double.IsFinite(options.SolverDeterministicTime) || options.SolverDeterministicTime < 0)
        {
            problems.Add(Invariant($"SolverDeterministicTime must be a finite number, 0 or more (was {options.SolverDeterministicTime})"));
        }

        if (options.MaxCounterparts < 0)
        {
            problems.Add(Invariant($"MaxCounterparts must be 0 (no cap) or more (was {options.MaxCounterparts})"));
        }

        if (options.TimeProblem() is { } time)
        {
            problems.Add(time);
        }

        if (options.Preferences is null || options.Preferences.Any(p => p is null || string.IsNullOrWhiteSpace(p.Organization) || string.IsNullOrWhiteSpace(p.Counterpart)))
        {
            problems.Add("Preferences must not be null or name an empty organisation");
        }

        if (options.Keep is null)
        {
            problems.Add("Keep must not be null");
        }
        else
        {
            ValidateKeep(options, problems);
        }

        if (options.Capacities is null)
        {
            problems.Add("Capacities must not be null");
        }
        else
        {
            ValidateCapacities(options, problems);
        }

        var requestProblems = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var problem = RequestProblem(requests[i]);
            if (problem is not null && ++requestProblems <= MaxRequestProblems)
            {
                problems.Add(Invariant($"requests[{i}]: {problem}"));
            }
        }

        if (requestProblems > MaxRequestProblems)
        {
            problems.Add(Invariant($"and {requestProblems - MaxRequestProblems} more invalid requests"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Cannot plan the agenda: " + string.Join("; ", problems) + ".");
        }
    }

    private static void ValidateCapacities(AgendaOptions options, List<string> problems)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Capacities.Count; i++)
        {
            var entry = options.Capacities[i];
            if (entry is null)
            {
                problems.Add(Invariant($"Capacities[{i}] is null"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Organization))
            {
                problems.Add(Invariant($"Capacities[{i}]: empty organisation name"));
                continue;
            }

            if (!first.TryAdd(entry.Organization, i))
            {
                problems.Add(Invariant($"Capacities[{i}]: '{entry.Organization}' is already listed at Capacities[{first[entry.Organization]}]"));
            }

            if (entry.Capacity < 0)
            {
                problems.Add(Invariant($"capacity of '{entry.Organization}' must be 0 or more (was {entry.Capacity})"));
            }

            if (entry.UnavailableSlots is null)
            {
                problems.Add(Invariant($"unavailable slots of '{entry.Organization}' must not be null"));
            }
            else if (options.Slots >= 1)
            {
                var outside = entry.UnavailableSlots.Where(s => s < 1 || s > options.Slots).Order().ToArray();
                if (outside.Length > 0)
                {
                    problems.Add(Invariant($"unavailable slots of '{entry.Organization}' must be within 1..{options.Slots} (was {string.Join(", ", outside)})"));
                }
            }
        }
    }

    private static void ValidateKeep(AgendaOptions options, List<string> problems)
    {
        var seats = new HashSet<(int, int)>();
        var busy = new HashSet<(string, int)>();
        for (var i = 0; i < options.Keep.Count; i++)
        {
            var kept = options.Keep[i];
            if (kept is null || string.IsNullOrWhiteSpace(kept.University) || string.IsNullOrWhiteSpace(kept.Enterprise) || kept.University == kept.Enterprise)
            {
                problems.Add(Invariant($"Keep[{i}]: null, an empty name, or an organisation meeting itself"));
                continue;
            }

            if (kept.Slot < 1 || kept.Slot > options.Slots || kept.Table < 1 || kept.Table > options.Tables)
            {
                problems.Add(Invariant($"Keep[{i}]: slot {kept.Slot} or table {kept.Table} outside 1..{options.Slots} × 1..{options.Tables}"));
            }
            else if (!seats.Add((kept.Slot, kept.Table)))
            {
                problems.Add(Invariant($"Keep[{i}]: table {kept.Table} of slot {kept.Slot} is taken twice"));
            }

            if (!busy.Add((kept.University, kept.Slot)) || !busy.Add((kept.Enterprise, kept.Slot)))
            {
                problems.Add(Invariant($"Keep[{i}]: an organisation has two kept meetings in slot {kept.Slot}"));
            }
        }
    }

    private static string? RequestProblem(MeetingRequest? request) => request switch
    {
        null => "null",
        _ when string.IsNullOrWhiteSpace(request.University) => "empty university",
        _ when string.IsNullOrWhiteSpace(request.Enterprise) => "empty enterprise",
        _ when !double.IsFinite(request.Score) => Invariant($"score must be a finite number (was {request.Score})"),
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
