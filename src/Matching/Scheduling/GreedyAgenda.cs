using Matching.Ingestion;
namespace Matching.Scheduling;

/// <summary>The baseline plan and the solver's starting point: must-meets first, then one meeting for each floor
/// organisation, then the best pairs; each into the earliest slot where both organisations are free and available and
/// a table is left. The same fill and an early-slot compaction also finish the solver's plan.</summary>
/// <remarks>Greedy is fast and never breaks a rule, but an early choice can block better ones: taking the single best
/// pair A–X can leave both A–Y and B–X out although together they score more, and putting a pair into its earliest
/// slot can take the only slot another pair had.</remarks>
internal static class GreedyAgenda
{
    /// <summary>Plans greedily on the same reduced model the solver uses (see <see cref="AgendaProblem"/>).</summary>
    public static IReadOnlyList<Meeting> Plan(IReadOnlyList<MeetingRequest> requests, AgendaOptions options)
    {
        AgendaPlanner.Validate(requests, options);
        var problem = AgendaProblem.Build(requests, options);
        return problem.ToMeetings(Assign(problem));
    }

    /// <summary>The slot per candidate of <paramref name="problem"/> (0: not scheduled).</summary>
    internal static int[] Assign(AgendaProblem problem)
    {
        var slotOf = new int[problem.Candidates.Count];
        Finish(problem, slotOf);
        return slotOf;
    }

    /// <summary>Adds to <paramref name="slotOf"/> whatever still fits (must-meets, then floor organisations, then the best
    /// pairs) and moves meetings to earlier slots while one is free for both, until neither changes anything: then no
    /// must-meet or floor organisation's pair could be added as the plan stands, and no meeting could move earlier.</summary>
    internal static void Finish(AgendaProblem problem, int[] slotOf)
    {
        while (Fill(problem, slotOf) | Compact(problem, slotOf))
        {
        }
    }

    /// <summary>Three passes over the candidates, best first, each adding a pair to its earliest free slot: must-meets;
    /// pairs of a floor organisation with no meeting yet; every pair. Returns whether anything was added.</summary>
    private static bool Fill(AgendaProblem problem, int[] slotOf)
    {
        var state = new State(problem, slotOf);
        var added = false;
        var bestFirst = Enumerable.Range(0, problem.Candidates.Count).ToArray();
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var i in pass == 1 ? FloorOrder(problem) : bestFirst)
            {
                var pair = problem.Candidates[i];
                if (slotOf[i] > 0
                    || (pass == 0 && !pair.Must)
                    || (pass == 1 && !((problem.Floor[pair.University] && state.Used[pair.University] == 0)
                                       || (problem.Floor[pair.Enterprise] && state.Used[pair.Enterprise] == 0)))
                    || state.Used[pair.University] >= problem.Capacity[pair.University]
                    || state.Used[pair.Enterprise] >= problem.Capacity[pair.Enterprise])
                {
                    continue;
                }

                foreach (var slot in pair.Slots)
                {
                    if (state.Free(pair, slot))
                    {
                        state.Place(i, slot);
                        added = true;
                        break;
                    }
                }
            }
        }

        return added;
    }

    /// <summary>The floor pass's order: pairs of the organisations with the fewest candidate pairs first (they have the
    /// least choice), then best first, so that an organisation with many options does not take the only partner of one
    /// with few.</summary>
    private static IEnumerable<int> FloorOrder(AgendaProblem problem)
    {
        var degree = new int[problem.Organizations.Count];
        foreach (var pair in problem.Candidates)
        {
            degree[pair.University]++;
            degree[pair.Enterprise]++;
        }

        int Key(CandidatePair pair) => Math.Min(
            problem.Floor[pair.University] ? degree[pair.University] : int.MaxValue,
            problem.Floor[pair.Enterprise] ? degree[pair.Enterprise] : int.MaxValue);

        return Enumerable.Range(0, problem.Candidates.Count).OrderBy(i => Key(problem.Candidates[i])).ThenBy(i => i);
    }

    /// <summary>Moves each meeting, latest first, to the earliest slot before its own in which both organisations are
    /// free and a table is left. Returns whether anything moved.</summary>
    private static bool Compact(AgendaProblem problem, int[] slotOf)
    {
        var state = new State(problem, slotOf);
        var moved = false;
        var order = Enumerable.Range(0, slotOf.Length).Where(i => slotOf[i] > 1).OrderByDescending(i => slotOf[i]).ThenBy(i => i).ToArray();
        foreach (var i in order)
        {
            var pair = problem.Candidates[i];
            foreach (var slot in pair.Slots)
            {
                if (slot >= slotOf[i])
                {
                    break;
                }

                if (state.Free(pair, slot))
                {
                    state.Remove(i);
                    state.Place(i, slot);
                    moved = true;
                    break;
                }
            }
        }

        return moved;
    }

    /// <summary>Who is busy when, meetings per organisation and tables per slot, for a plan being changed.</summary>
    private sealed class State
    {
        private readonly AgendaProblem _problem;
        private readonly int[] _slotOf;
        private readonly bool[,] _busy;
        private readonly int[] _tables;

        public State(AgendaProblem problem, int[] slotOf)
        {
            _problem = problem;
            _slotOf = slotOf;
            _busy = new bool[problem.Organizations.Count, problem.Slots + 1];
            _tables = new int[problem.Slots + 1];
            Used = new int[problem.Organizations.Count];
            for (var i = 0; i < slotOf.Length; i++)
            {
                if (slotOf[i] > 0)
                {
                    Mark(i, slotOf[i], true);
                }
            }
        }

        public int[] Used { get; }

        public bool Free(CandidatePair pair, int slot) =>
            _tables[slot] < _problem.TablesIn[slot] && !_busy[pair.University, slot] && !_busy[pair.Enterprise, slot];

        public void Place(int i, int slot)
        {
            _slotOf[i] = slot;
            Mark(i, slot, true);
        }

        public void Remove(int i)
        {
            Mark(i, _slotOf[i], false);
            _slotOf[i] = 0;
        }

        private void Mark(int i, int slot, bool on)
        {
            var pair = _problem.Candidates[i];
            var delta = on ? 1 : -1;
            _busy[pair.University, slot] = on;
            _busy[pair.Enterprise, slot] = on;
            _tables[slot] += delta;
            Used[pair.University] += delta;
            Used[pair.Enterprise] += delta;
        }
    }
}
