using Matching.Ingestion;
namespace Matching.Scheduling;

/// <summary>A pair the model may schedule: its request, both organisations (indexes into
/// <see cref="AgendaProblem.Organizations"/>), its integer objective weight and the slots both can meet in.</summary>
internal sealed record CandidatePair(MeetingRequest Request, int University, int Enterprise, long Weight, int[] Slots);

/// <summary>Requests and options reduced to what both planners (greedy and CP-SAT) work on: one organisation index per
/// name, effective capacities, and the candidate pairs, best first.</summary>
/// <remarks>
/// <para>Reduction steps, in order: duplicate requests for the same two organisations (in either orientation: a name on
/// both sides is one organisation) keep the highest score; pairs with score ≤ 0, an organisation meeting itself, an
/// organisation with no capacity, or no slot both can attend are dropped; then each organisation keeps only its best
/// <see cref="CandidatesPerCapacity"/> × capacity pairs. A pair survives that cut when it is among the best of at least
/// one of its two organisations, so the model holds at most Σ 3 × capacity pairs however many requests there are.</para>
/// <para>The cut is a heuristic: a pair beyond both organisations' cut is never scheduled even if an optimal plan of
/// the full request list would use it. Greedy plan, solver objective and upper bound all refer to the reduced model.</para>
/// </remarks>
internal sealed class AgendaProblem
{
    /// <summary>How many candidate pairs per unit of capacity an organisation keeps.</summary>
    internal const int CandidatesPerCapacity = 3;

    /// <summary>Scores are multiplied by this and rounded for CP-SAT's integer objective (unless the sum would get too
    /// large for exact integer arithmetic, see <see cref="Scale"/>).</summary>
    internal const double DefaultScale = 10_000;

    private const double MaxScaledSum = 1e15;

    private readonly IReadOnlyList<MeetingRequest> _requests;

    private AgendaProblem(
        int slots,
        int tables,
        IReadOnlyList<string> organizations,
        IReadOnlyList<int> capacity,
        IReadOnlyList<CandidatePair> candidates,
        IReadOnlyList<MeetingRequest> requests,
        double scale)
    {
        Slots = slots;
        Tables = tables;
        Organizations = organizations;
        Capacity = capacity;
        Candidates = candidates;
        _requests = requests;
        Scale = scale;
    }

    public int Slots { get; }

    public int Tables { get; }

    /// <summary>Every organisation named in a request, in ordinal order.</summary>
    public IReadOnlyList<string> Organizations { get; }

    /// <summary>Per organisation: most meetings it can have, already capped by the number of slots it can attend.</summary>
    public IReadOnlyList<int> Capacity { get; }

    /// <summary>The pairs the planners may schedule, best first (score descending, then names).</summary>
    public IReadOnlyList<CandidatePair> Candidates { get; }

    /// <summary>Score units per objective unit: weight = max(1, round(score × Scale)).</summary>
    public double Scale { get; }

    /// <summary>Orders requests best first: score descending, then university and enterprise names (ordinal).</summary>
    public static int BestFirst(MeetingRequest a, MeetingRequest b)
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byUniversity = string.CompareOrdinal(a.University, b.University);
        return byUniversity != 0 ? byUniversity : string.CompareOrdinal(a.Enterprise, b.Enterprise);
    }

    /// <summary>Builds the model input; <paramref name="requests"/> and <paramref name="options"/> must be valid
    /// (see <see cref="AgendaPlanner.Validate"/>).</summary>
    public static AgendaProblem Build(IReadOnlyList<MeetingRequest> requests, AgendaOptions options)
    {
        var unique = Deduplicate(requests);

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var request in unique)
        {
            names.Add(request.University);
            names.Add(request.Enterprise);
        }

        var organizations = names.ToArray();
        var index = new Dictionary<string, int>(organizations.Length, StringComparer.Ordinal);
        for (var i = 0; i < organizations.Length; i++)
        {
            index[organizations[i]] = i;
        }

        var listed = options.Capacities.ToDictionary(c => c.Organization, StringComparer.Ordinal);
        var available = new bool[organizations.Length][];
        var capacity = new int[organizations.Length];
        for (var org = 0; org < organizations.Length; org++)
        {
            var entry = listed.GetValueOrDefault(organizations[org]);
            available[org] = new bool[options.Slots + 1];
            var free = 0;
            for (var slot = 1; slot <= options.Slots; slot++)
            {
                available[org][slot] = entry is null || !entry.UnavailableSlots.Contains(slot);
                free += available[org][slot] ? 1 : 0;
            }

            // One meeting per slot at most, so a capacity above the free slots is never reached.
            capacity[org] = Math.Min(entry?.Capacity ?? options.DefaultCapacity, free);
        }

        var feasible = new List<(MeetingRequest Request, int University, int Enterprise, int[] Slots)>();
        foreach (var request in unique)
        {
            var u = index[request.University];
            var e = index[request.Enterprise];
            if (request.Score <= 0 || u == e || capacity[u] == 0 || capacity[e] == 0)
            {
                continue;
            }

            var slots = Enumerable.Range(1, options.Slots).Where(s => available[u][s] && available[e][s]).ToArray();
            if (slots.Length > 0)
            {
                feasible.Add((request, u, e, slots));
            }
        }

        // Rank among all feasible pairs of the organisation, best first, whether or not the pair is kept.
        var seen = new int[organizations.Length];
        var kept = new List<(MeetingRequest Request, int University, int Enterprise, int[] Slots)>();
        foreach (var pair in feasible)
        {
            if (seen[pair.University] < CandidatesPerCapacity * capacity[pair.University]
                || seen[pair.Enterprise] < CandidatesPerCapacity * capacity[pair.Enterprise])
            {
                kept.Add(pair);
            }

            seen[pair.University]++;
            seen[pair.Enterprise]++;
        }

        var sum = kept.Sum(p => p.Request.Score);
        var scale = sum * DefaultScale > MaxScaledSum ? MaxScaledSum / sum : DefaultScale;
        var candidates = kept
            .Select(p => new CandidatePair(p.Request, p.University, p.Enterprise, Math.Max(1L, (long)Math.Round(p.Request.Score * scale)), p.Slots))
            .ToArray();
        return new AgendaProblem(options.Slots, options.Tables, organizations, capacity, candidates, unique, scale);
    }

    /// <summary>Sum of the scores of the scheduled candidates (<paramref name="slotOf"/>[i] &gt; 0), in original units,
    /// added in candidate order so that equal plans give bit-identical sums.</summary>
    public double Objective(IReadOnlyList<int> slotOf)
    {
        var sum = 0.0;
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (slotOf[i] > 0)
            {
                sum += Candidates[i].Request.Score;
            }
        }

        return sum;
    }

    /// <summary>A bound no plan of this model can exceed, without a solver: the best scores that fit into
    /// min(slots × tables, half the total capacity) meetings.</summary>
    public double SimpleBound()
    {
        var fit = Math.Min((long)Slots * Tables, Capacity.Sum(c => (long)c) / 2);
        return Candidates.Take((int)Math.Min(fit, Candidates.Count)).Sum(c => c.Request.Score);
    }

    /// <summary>Turns a slot per candidate (0: not scheduled) into meetings ordered by slot, then table. Within a slot
    /// tables go 1, 2, … by descending score, then university and enterprise names.</summary>
    public IReadOnlyList<Meeting> ToMeetings(IReadOnlyList<int> slotOf)
    {
        var meetings = new List<Meeting>();
        foreach (var slot in Enumerable.Range(1, Slots))
        {
            var inSlot = Enumerable.Range(0, Candidates.Count)
                .Where(i => slotOf[i] == slot)
                .Select(i => Candidates[i].Request)
                .ToList();
            inSlot.Sort(BestFirst);
            meetings.AddRange(inSlot.Select((r, t) => new Meeting(slot, t + 1, r.University, r.Enterprise, r.Score)));
        }

        return meetings;
    }

    /// <summary>Every distinct requested pair that is not scheduled, best first: pairs the planner chose not to
    /// schedule, and pairs the reduction dropped (no capacity, no common slot, score ≤ 0, beyond the cut).</summary>
    public IReadOnlyList<MeetingRequest> Unscheduled(IReadOnlyList<int> slotOf)
    {
        var scheduled = new HashSet<MeetingRequest>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (slotOf[i] > 0)
            {
                scheduled.Add(Candidates[i].Request);
            }
        }

        return _requests.Where(r => !scheduled.Contains(r)).ToArray();
    }

    /// <summary>One request per unordered pair of names, the highest score (the first given on ties), best first.</summary>
    private static List<MeetingRequest> Deduplicate(IReadOnlyList<MeetingRequest> requests)
    {
        var best = new Dictionary<(string, string), MeetingRequest>();
        foreach (var request in requests)
        {
            var key = string.CompareOrdinal(request.University, request.Enterprise) <= 0
                ? (request.University, request.Enterprise)
                : (request.Enterprise, request.University);
            if (!best.TryGetValue(key, out var kept) || request.Score > kept.Score)
            {
                best[key] = request;
            }
        }

        var unique = best.Values.ToList();
        unique.Sort(BestFirst);
        return unique;
    }
}
