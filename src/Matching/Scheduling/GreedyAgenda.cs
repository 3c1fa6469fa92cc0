using Matching.Ingestion;
namespace Matching.Scheduling;

/// <summary>The baseline plan and the solver's starting point: best pair first, each into the earliest slot where
/// both organisations are free and available and a table is left.</summary>
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
        var left = problem.Capacity.ToArray();
        var busy = new bool[problem.Organizations.Count, problem.Slots + 1];
        var tablesUsed = new int[problem.Slots + 1];
        for (var i = 0; i < problem.Candidates.Count; i++)
        {
            var pair = problem.Candidates[i];
            if (left[pair.University] == 0 || left[pair.Enterprise] == 0)
            {
                continue;
            }

            foreach (var slot in pair.Slots)
            {
                if (tablesUsed[slot] < problem.Tables && !busy[pair.University, slot] && !busy[pair.Enterprise, slot])
                {
                    slotOf[i] = slot;
                    tablesUsed[slot]++;
                    busy[pair.University, slot] = true;
                    busy[pair.Enterprise, slot] = true;
                    left[pair.University]--;
                    left[pair.Enterprise]--;
                    break;
                }
            }
        }

        return slotOf;
    }
}
