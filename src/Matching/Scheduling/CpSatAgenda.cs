using System.Globalization;
using Google.OrTools.Sat;

namespace Matching.Scheduling;

/// <summary>What CP-SAT returned: a slot per candidate (null without a solution), its status, the proven bound on the
/// weighted objective (integer units: must-meets, floor organisations and value weights together), and the effort spent.</summary>
internal sealed record CpSatResult(int[]? SlotOf, string Status, double Bound, double DeterministicTime, double WallTime);

/// <summary>Solves an <see cref="AgendaProblem"/> exactly (or as well as the time budget allows) with CP-SAT.</summary>
/// <remarks>
/// <para>Model: one Boolean per (candidate pair, slot both can attend); a pair meets at most once; an organisation is
/// in at most one meeting per slot and at most its capacity in total; a slot holds at most <c>Tables</c> meetings.
/// Tables are not variables: any set of meetings that fits the count per slot can be seated, and seating is done
/// afterwards, deterministically. A Boolean per floor organisation (see <see cref="AgendaProblem.Floor"/>) may be true
/// only when the organisation has a meeting. The objective is one weighted sum, lexicographic by its weights: each
/// must-meet held <see cref="AgendaProblem.MustWeight"/>, each floor organisation served
/// <see cref="AgendaProblem.FloorWeight"/>, and each meeting its value × <see cref="AgendaProblem.Scale"/>, rounded,
/// at least 1.</para>
/// <para><b>When slots are interchangeable</b> (<see cref="AgendaProblem.SlotsInterchangeable"/>: every candidate pair can
/// meet in every slot, every slot has as many tables, no organisation on both sides) the model has one Boolean per pair
/// instead: at most its capacity per organisation, at most slots × tables in all. Any such choice fits the slots
/// (<see cref="EdgeColoring"/>), so this smaller model has the same optimum, without the slots' symmetry that keeps the
/// per-slot model from proving it (a 154-pair event: proven optimal in well under a second instead of 25 s for a
/// feasible plan); the chosen meetings are then put into slots by <see cref="EdgeColoring"/>.</para>
/// <para>Determinism: one worker, a fixed seed and a limit in deterministic time only (never wall time), so the same
/// input gives the same plan on any machine, however loaded.</para>
/// </remarks>
internal static class CpSatAgenda
{
    /// <param name="problem">The reduced model.</param>
    /// <param name="hint">The greedy plan's slot per candidate, the solver's starting point.</param>
    /// <param name="deterministicTime">The solver's budget in deterministic time units.</param>
    /// <param name="seed">The solver's random seed.</param>
    /// <param name="perSlot">Use the per-slot model even where slots are interchangeable (tests compare the two).</param>
    public static CpSatResult Solve(AgendaProblem problem, IReadOnlyList<int> hint, double deterministicTime, int seed, bool perSlot = false)
    {
        var model = new CpModel();
        var bySelection = !perSlot && problem.SlotsInterchangeable;
        var variables = new BoolVar[problem.Candidates.Count][];
        var byOrganizationSlot = new List<BoolVar>?[problem.Organizations.Count, problem.Slots + 1];
        var byOrganization = new List<BoolVar>[problem.Organizations.Count];
        var bySlot = new List<BoolVar>[problem.Slots + 1];
        var allVariables = new List<BoolVar>();
        var weights = new List<long>();

        for (var i = 0; i < problem.Candidates.Count; i++)
        {
            var pair = problem.Candidates[i];
            // Chosen or not (slot 0 stands for "some slot") when slots are interchangeable; else one Boolean per slot.
            int[] slots = bySelection ? [0] : pair.Slots;
            variables[i] = new BoolVar[slots.Length];
            for (var k = 0; k < slots.Length; k++)
            {
                var slot = slots[k];
                var x = model.NewBoolVar($"p{i}s{slot}");
                variables[i][k] = x;
                allVariables.Add(x);
                weights.Add(pair.Weight + (pair.Must ? problem.MustWeight : 0));
                foreach (var org in (ReadOnlySpan<int>)[pair.University, pair.Enterprise])
                {
                    (byOrganizationSlot[org, slot] ??= []).Add(x);
                    (byOrganization[org] ??= []).Add(x);
                }

                (bySlot[slot] ??= []).Add(x);
                model.AddHint(x, bySelection ? hint[i] > 0 : hint[i] == slot);
            }

            if (variables[i].Length > 1)
            {
                model.AddAtMostOne(variables[i]);
            }
        }

        for (var org = 0; org < problem.Organizations.Count; org++)
        {
            var slotsUsed = 0;
            for (var slot = 1; slot <= problem.Slots; slot++)
            {
                if (byOrganizationSlot[org, slot] is { } meetings)
                {
                    slotsUsed++;
                    if (meetings.Count > 1)
                    {
                        model.AddAtMostOne(meetings);
                    }
                }
            }

            // With at most one meeting per slot, capacity only binds below the number of slots the organisation has pairs in.
            if (byOrganization[org] is { } all && problem.Capacity[org] < (bySelection ? all.Count : slotsUsed))
            {
                model.Add(LinearExpr.Sum(all) <= problem.Capacity[org]);
            }
        }

        for (var slot = 1; slot <= problem.Slots; slot++)
        {
            if (bySlot[slot] is { } meetings && meetings.Count > problem.TablesIn[slot])
            {
                model.Add(LinearExpr.Sum(meetings) <= problem.TablesIn[slot]);
            }
        }

        var room = problem.TablesIn.Sum();
        if (bySelection && bySlot[0] is { } chosen && chosen.Count > room)
        {
            model.Add(LinearExpr.Sum(chosen) <= room);
        }

        // Fairness floor: served[org] can be true only when the organisation has a meeting.
        for (var org = 0; org < problem.Organizations.Count; org++)
        {
            if (problem.Floor[org] && byOrganization[org] is { } all)
            {
                var y = model.NewBoolVar($"floor{org}");
                model.Add(LinearExpr.Sum(all) >= y);
                model.AddHint(y, problem.Candidates.Where((c, i) => hint[i] > 0 && (c.University == org || c.Enterprise == org)).Any());
                allVariables.Add(y);
                weights.Add(problem.FloorWeight);
            }
        }

        model.Maximize(LinearExpr.WeightedSum(allVariables, weights));

        using var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"num_workers:1,random_seed:{seed},max_deterministic_time:{deterministicTime:R},log_search_progress:false"),
        };
        var status = solver.Solve(model);
        var response = solver.Response;
        var found = status is CpSolverStatus.Optimal or CpSolverStatus.Feasible;
        var bound = found ? solver.BestObjectiveBound : double.PositiveInfinity;
        if (!found)
        {
            return new CpSatResult(null, status.ToString().ToUpperInvariant(), bound, response?.DeterministicTime ?? 0, response?.WallTime ?? 0);
        }

        if (bySelection)
        {
            var edges = problem.Candidates.Select(c => (c.University, c.Enterprise)).ToArray();
            var picked = variables.Select(v => solver.BooleanValue(v[0])).ToArray();
            return new CpSatResult(EdgeColoring.Color(problem.Organizations.Count, edges, picked, problem.Slots),
                status == CpSolverStatus.Optimal ? "OPTIMAL" : "FEASIBLE", bound, response?.DeterministicTime ?? 0, response?.WallTime ?? 0);
        }

        var slotOf = new int[problem.Candidates.Count];
        for (var i = 0; i < problem.Candidates.Count; i++)
        {
            for (var k = 0; k < variables[i].Length; k++)
            {
                if (solver.BooleanValue(variables[i][k]))
                {
                    slotOf[i] = problem.Candidates[i].Slots[k];
                }
            }
        }

        return new CpSatResult(slotOf, status == CpSolverStatus.Optimal ? "OPTIMAL" : "FEASIBLE", bound, response?.DeterministicTime ?? 0, response?.WallTime ?? 0);
    }
}
