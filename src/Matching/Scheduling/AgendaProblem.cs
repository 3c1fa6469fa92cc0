using Matching.Ingestion;
namespace Matching.Scheduling;

/// <summary>A pair the model may schedule: its request, both organisations (indexes into
/// <see cref="AgendaProblem.Organizations"/>), its value (<see cref="PairValue"/>, or the score when planning by score),
/// its integer objective weight, whether it is a must-meet, and the slots both can meet in.</summary>
internal sealed record CandidatePair(MeetingRequest Request, int University, int Enterprise, double Value, long Weight, bool Must, int[] Slots);

/// <summary>Requests and options reduced to what both planners (greedy and CP-SAT) work on: one organisation index per
/// name, effective capacities, kept meetings taken out, and the candidate pairs, best first.</summary>
/// <remarks>
/// <para>Reduction steps, in order: duplicate requests for the same two organisations (in either orientation: a name on
/// both sides is one organisation) keep the highest score; pairs a side stated must-meet or interested in without a
/// request are added (score 0, model probability 0); pairs either side vetoed or marked already-met, pairs already
/// kept, pairs with value ≤ 0, an organisation meeting itself, an organisation with no capacity left, or no slot both
/// can attend are dropped; then each organisation keeps only its best <see cref="CandidatesPerCapacity"/> × capacity
/// pairs (must-meets always stay). A pair survives that cut when it is among the best of at least one of its two
/// organisations.</para>
/// <para><b>Objective.</b> Lexicographic: first the number of must-meets held, then the number of floor organisations
/// (those with a real, evidence-backed pair and no kept meeting) that get a meeting, then the sum of values. In CP-SAT
/// this is one weighted sum: a must-meet weighs more than every floor organisation and value together, a floor
/// organisation more than every value together.</para>
/// </remarks>
internal sealed class AgendaProblem
{
    /// <summary>How many candidate pairs per unit of capacity an organisation keeps.</summary>
    internal const int CandidatesPerCapacity = 3;

    /// <summary>Values are multiplied by this and rounded for CP-SAT's integer objective (less when the lexicographic
    /// weights would overflow, see <see cref="Scale"/>).</summary>
    internal const double DefaultScale = 10_000;

    private const double MaxWeightedTotal = 1e18;

    private readonly IReadOnlyList<MeetingRequest> _requests;
    private readonly Dictionary<MeetingRequest, double> _valueOf;

    private AgendaProblem(IReadOnlyList<MeetingRequest> requests, Dictionary<MeetingRequest, double> valueOf)
    {
        _requests = requests;
        _valueOf = valueOf;
    }

    public int Slots { get; private init; }

    public int Tables { get; private init; }

    /// <summary>Tables left per slot (index 1..Slots) once kept meetings are seated.</summary>
    public IReadOnlyList<int> TablesIn { get; private init; } = [];

    /// <summary>Every organisation named in a request, a preference or a kept meeting, in ordinal order.</summary>
    public IReadOnlyList<string> Organizations { get; private init; } = [];

    /// <summary>Per organisation: most further meetings it can have (capacity and exposure cap, less its kept meetings),
    /// already capped by the number of slots it can still attend.</summary>
    public IReadOnlyList<int> Capacity { get; private init; } = [];

    /// <summary>Per organisation and slot (1-based): whether it can meet then (available and not in a kept meeting).</summary>
    public bool[][] Available { get; private init; } = [];

    /// <summary>Per organisation: whether the fairness floor asks for one meeting for it.</summary>
    public IReadOnlyList<bool> Floor { get; private init; } = [];

    /// <summary>The pairs the planners may schedule, best first (value descending, then names).</summary>
    public IReadOnlyList<CandidatePair> Candidates { get; private init; } = [];

    /// <summary>The kept meetings, as they go into the agenda.</summary>
    public IReadOnlyList<Meeting> Kept { get; private init; } = [];

    /// <summary>Value units per objective unit: weight = max(1, round(value × Scale)).</summary>
    public double Scale { get; private init; }

    /// <summary>Objective weight of one floor organisation served (more than all value weights together).</summary>
    public long FloorWeight { get; private init; }

    /// <summary>Objective weight of one must-meet held (more than all floor and value weights together).</summary>
    public long MustWeight { get; private init; }

    /// <summary>Whether values are P(accept) (requests carry probabilities or preferences were given) rather than scores.</summary>
    public bool ByAcceptance { get; private init; }

    /// <summary>Every must-meet stated: asking organisation, counterpart, and whether a side vetoed the pair.</summary>
    public IReadOnlyList<(string Organization, string Counterpart, bool Vetoed)> MustMeets { get; private init; } = [];

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

    /// <summary>The unordered key of two names.</summary>
    public static (string, string) PairKey(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    /// <summary>Builds the model input; <paramref name="requests"/> and <paramref name="options"/> must be valid
    /// (see <see cref="AgendaPlanner.Validate"/>).</summary>
    public static AgendaProblem Build(IReadOnlyList<MeetingRequest> requests, AgendaOptions options)
    {
        var byAcceptance = options.Preferences.Count > 0 || requests.Any(r => r.Acceptance is not null);
        var choices = Choices(options.Preferences);
        var unique = Deduplicate(requests);
        AddStatedPairs(unique, options.Preferences, choices);

        PreferenceChoice? ChoiceOf(string organization, string counterpart) =>
            choices.TryGetValue((organization, counterpart), out var c) ? c : null;
        bool Excluded(string a, string b) =>
            ChoiceOf(a, b) is PreferenceChoice.No or PreferenceChoice.AlreadyMet || ChoiceOf(b, a) is PreferenceChoice.No or PreferenceChoice.AlreadyMet;

        var valueOf = new Dictionary<MeetingRequest, double>(ReferenceEqualityComparer.Instance);
        foreach (var request in unique)
        {
            valueOf[request] = !byAcceptance ? request.Score
                : Excluded(request.University, request.Enterprise) ? 0
                : Math.Round(PairValue.Of(request.Acceptance ?? Math.Min(1, request.Score), ChoiceOf(request.University, request.Enterprise), ChoiceOf(request.Enterprise, request.University)), 6);
        }

        unique.Sort((a, b) => valueOf[b].CompareTo(valueOf[a]) is var c && c != 0 ? c : BestFirst(a, b));

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var request in unique)
        {
            names.Add(request.University);
            names.Add(request.Enterprise);
        }

        foreach (var kept in options.Keep)
        {
            names.Add(kept.University);
            names.Add(kept.Enterprise);
        }

        var organizations = names.ToArray();
        var index = new Dictionary<string, int>(organizations.Length, StringComparer.Ordinal);
        for (var i = 0; i < organizations.Length; i++)
        {
            index[organizations[i]] = i;
        }

        // Kept meetings: their organisations are busy in their slots and use capacity, their tables are taken.
        var keptCount = new int[organizations.Length];
        var keptBusy = new HashSet<(int, int)>();
        var tablesIn = new int[options.Slots + 1];
        Array.Fill(tablesIn, options.Tables);
        tablesIn[0] = 0;
        var keptPairs = new HashSet<(string, string)>();
        var keptMeetings = new List<Meeting>();
        var requestOf = unique.GroupBy(r => PairKey(r.University, r.Enterprise)).ToDictionary(g => g.Key, g => g.First());
        foreach (var kept in options.Keep)
        {
            var (u, e) = (index[kept.University], index[kept.Enterprise]);
            keptCount[u]++;
            keptCount[e]++;
            keptBusy.Add((u, kept.Slot));
            keptBusy.Add((e, kept.Slot));
            tablesIn[kept.Slot]--;
            keptPairs.Add(PairKey(kept.University, kept.Enterprise));
            var request = requestOf.GetValueOrDefault(PairKey(kept.University, kept.Enterprise));
            keptMeetings.Add(new Meeting(kept.Slot, kept.Table, kept.University, kept.Enterprise, request?.Score ?? 0)
            {
                Value = request is null ? 0 : valueOf[request],
                Kept = true,
            });
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
                available[org][slot] = (entry is null || !entry.UnavailableSlots.Contains(slot)) && !keptBusy.Contains((org, slot));
                free += available[org][slot] ? 1 : 0;
            }

            var limit = entry?.Capacity ?? options.DefaultCapacity;
            if (options.MaxCounterparts > 0)
            {
                limit = Math.Min(limit, options.MaxCounterparts);
            }

            // One meeting per slot at most, so a capacity above the free slots is never reached.
            capacity[org] = Math.Max(0, Math.Min(limit - keptCount[org], free));
        }

        var feasible = new List<(MeetingRequest Request, int University, int Enterprise, bool Must, int[] Slots)>();
        foreach (var request in unique)
        {
            var u = index[request.University];
            var e = index[request.Enterprise];
            if (valueOf[request] <= 0 || u == e || capacity[u] == 0 || capacity[e] == 0 || keptPairs.Contains(PairKey(request.University, request.Enterprise)))
            {
                continue;
            }

            var slots = Enumerable.Range(1, options.Slots).Where(s => available[u][s] && available[e][s] && tablesIn[s] > 0).ToArray();
            if (slots.Length > 0)
            {
                var must = ChoiceOf(request.University, request.Enterprise) == PreferenceChoice.MustMeet
                    || ChoiceOf(request.Enterprise, request.University) == PreferenceChoice.MustMeet;
                feasible.Add((request, u, e, must, slots));
            }
        }

        // Rank among all feasible pairs of the organisation, best first, whether or not the pair is kept.
        var seen = new int[organizations.Length];
        var kept2 = new List<(MeetingRequest Request, int University, int Enterprise, bool Must, int[] Slots)>();
        foreach (var pair in feasible)
        {
            if (pair.Must
                || seen[pair.University] < CandidatesPerCapacity * capacity[pair.University]
                || seen[pair.Enterprise] < CandidatesPerCapacity * capacity[pair.Enterprise])
            {
                kept2.Add(pair);
            }

            seen[pair.University]++;
            seen[pair.Enterprise]++;
        }

        // The floor: organisations with a real (evidence-backed) pair among the candidates and no kept meeting.
        var floor = new bool[organizations.Length];
        // A plain score list (no probabilities, no preferences) is planned by score alone, as before the floor existed.
        if (options.FairnessFloor && byAcceptance)
        {
            foreach (var pair in kept2.Where(p => IsReal(p.Request)))
            {
                floor[pair.University] = keptCount[pair.University] == 0;
                floor[pair.Enterprise] = keptCount[pair.Enterprise] == 0;
            }
        }

        var floorCount = floor.Count(f => f);
        var mustCount = kept2.Count(p => p.Must);
        var sum = kept2.Sum(p => valueOf[p.Request]);
        var room = MaxWeightedTotal / ((floorCount + 1.0) * (mustCount + 1.0));
        var scale = sum * DefaultScale > room ? Math.Max(1, room / Math.Max(sum, 1)) : DefaultScale;
        var candidates = kept2
            .Select(p => new CandidatePair(p.Request, p.University, p.Enterprise, valueOf[p.Request], Math.Max(1L, (long)Math.Round(valueOf[p.Request] * scale)), p.Must, p.Slots))
            .ToArray();
        var floorWeight = candidates.Sum(c => c.Weight) + 1;
        var mustWeight = floorWeight * (floorCount + 1);

        var mustMeets = new List<(string, string, bool)>();
        var mustSeen = new HashSet<(string, string)>();
        foreach (var p in options.Preferences.Where(p => p.Choice == PreferenceChoice.MustMeet))
        {
            if (mustSeen.Add(PairKey(p.Organization, p.Counterpart)))
            {
                mustMeets.Add((p.Organization, p.Counterpart, Excluded(p.Organization, p.Counterpart)));
            }
        }

        return new AgendaProblem(unique, valueOf)
        {
            Slots = options.Slots,
            Tables = options.Tables,
            TablesIn = tablesIn,
            Organizations = organizations,
            Capacity = capacity,
            Available = available,
            Floor = floor,
            Candidates = candidates,
            Kept = keptMeetings,
            Scale = scale,
            FloorWeight = floorWeight,
            MustWeight = mustWeight,
            ByAcceptance = byAcceptance,
            MustMeets = mustMeets,
        };
    }

    /// <summary>Whether any slot suits any candidate pair: every pair can meet in every slot, every slot has as many
    /// tables left, and no organisation is both a university and an enterprise among the candidates (so the meetings form
    /// a bipartite graph). Then which pairs meet is the whole problem: any choice within the capacities and
    /// slots × tables fits the slots (<see cref="EdgeColoring"/>).</summary>
    public bool SlotsInterchangeable
    {
        get
        {
            var universities = Candidates.Select(c => c.University).ToHashSet();
            return Candidates.All(c => c.Slots.Length == Slots)
                && TablesIn.Skip(1).All(t => t == TablesIn[1])
                && !Candidates.Any(c => universities.Contains(c.Enterprise));
        }
    }

    /// <summary>Whether a request comes from the model's evidence (not only from a stated preference).</summary>
    public static bool IsReal(MeetingRequest request) => request.Acceptance is { } p ? p > 0 : request.Score > 0;

    /// <summary>Sum of the values of the kept meetings and of the scheduled candidates (<paramref name="slotOf"/>[i] &gt; 0),
    /// added in a fixed order so that equal plans give bit-identical sums.</summary>
    public double Objective(IReadOnlyList<int> slotOf)
    {
        var sum = Kept.Sum(k => k.Value);
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (slotOf[i] > 0)
            {
                sum += Candidates[i].Value;
            }
        }

        return sum;
    }

    /// <summary>The lexicographic objective: must-meets held, floor organisations served, total weight.</summary>
    public (int Must, int Floor, long Weight) Rank(IReadOnlyList<int> slotOf)
    {
        var must = 0;
        long weight = 0;
        var served = new bool[Organizations.Count];
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (slotOf[i] > 0)
            {
                must += Candidates[i].Must ? 1 : 0;
                weight += Candidates[i].Weight;
                served[Candidates[i].University] = true;
                served[Candidates[i].Enterprise] = true;
            }
        }

        return (must, Enumerable.Range(0, served.Length).Count(o => served[o] && Floor[o]), weight);
    }

    /// <summary>A bound no plan of this model can exceed, without a solver: the kept meetings' values plus the best
    /// values that fit into min(tables left, half the total capacity) meetings.</summary>
    public double SimpleBound()
    {
        var fit = Math.Min(TablesIn.Sum(t => (long)t), Capacity.Sum(c => (long)c) / 2);
        return Kept.Sum(k => k.Value) + Candidates.Take((int)Math.Min(fit, Candidates.Count)).Sum(c => c.Value);
    }

    /// <summary>Turns a slot per candidate (0: not scheduled) into meetings ordered by slot, then table: kept meetings
    /// at their tables, the others at the free tables 1, 2, … by descending value, then score, then names.</summary>
    public IReadOnlyList<Meeting> ToMeetings(IReadOnlyList<int> slotOf)
    {
        var meetings = new List<Meeting>();
        foreach (var slot in Enumerable.Range(1, Slots))
        {
            var kept = Kept.Where(k => k.Slot == slot).ToList();
            var taken = kept.Select(k => k.Table).ToHashSet();
            var inSlot = Enumerable.Range(0, Candidates.Count)
                .Where(i => slotOf[i] == slot)
                .Select(i => Candidates[i])
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Request, Comparer<MeetingRequest>.Create(BestFirst))
                .ToList();
            var table = 0;
            foreach (var c in inSlot)
            {
                do
                {
                    table++;
                }
                while (taken.Contains(table));

                kept.Add(new Meeting(slot, table, c.Request.University, c.Request.Enterprise, c.Request.Score) { Value = c.Value });
            }

            meetings.AddRange(kept.OrderBy(m => m.Table));
        }

        return meetings;
    }

    /// <summary>Every distinct requested (or stated) pair that is neither scheduled nor kept, best first (value, then
    /// score and names): pairs the planner chose not to schedule, and pairs the reduction dropped.</summary>
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

        var kept = Kept.Select(k => PairKey(k.University, k.Enterprise)).ToHashSet();
        return _requests.Where(r => !scheduled.Contains(r) && !kept.Contains(PairKey(r.University, r.Enterprise))).ToArray();
    }

    /// <summary>The must-meets the plan does not hold, with the reason: vetoed, then capacity, then no common slot, then
    /// no table, judged on the final plan.</summary>
    public IReadOnlyList<MustMeetMiss> MustMeetMisses(IReadOnlyList<int> slotOf)
    {
        var held = Kept.Select(k => PairKey(k.University, k.Enterprise)).ToHashSet();
        var used = new int[Organizations.Count];
        var busy = new HashSet<(int, int)>();
        var tables = new int[Slots + 1];
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (slotOf[i] > 0)
            {
                var c = Candidates[i];
                held.Add(PairKey(c.Request.University, c.Request.Enterprise));
                used[c.University]++;
                used[c.Enterprise]++;
                busy.Add((c.University, slotOf[i]));
                busy.Add((c.Enterprise, slotOf[i]));
                tables[slotOf[i]]++;
            }
        }

        var index = Organizations.Select((o, i) => (o, i)).ToDictionary(x => x.o, x => x.i, StringComparer.Ordinal);
        var misses = new List<MustMeetMiss>();
        foreach (var (organization, counterpart, vetoed) in MustMeets)
        {
            if (held.Contains(PairKey(organization, counterpart)))
            {
                continue;
            }

            string reason;
            if (vetoed || organization == counterpart)
            {
                reason = MustMeetReasons.Vetoed;
            }
            else
            {
                var (a, b) = (index[organization], index[counterpart]);
                var common = Enumerable.Range(1, Slots).Where(s => Available[a][s] && Available[b][s]).ToList();
                reason = used[a] >= Capacity[a] || used[b] >= Capacity[b] ? MustMeetReasons.Capacity
                    : common.TrueForAll(s => busy.Contains((a, s)) || busy.Contains((b, s))) ? MustMeetReasons.NoCommonSlot
                    : MustMeetReasons.NoTable;
            }

            misses.Add(new MustMeetMiss(organization, counterpart, reason));
        }

        return misses;
    }

    /// <summary>The merged choice per (organisation, counterpart): already-met over must-meet over interested over no.</summary>
    private static Dictionary<(string, string), PreferenceChoice> Choices(IReadOnlyList<StatedPreference> preferences)
    {
        static int Precedence(PreferenceChoice c) => c switch
        {
            PreferenceChoice.AlreadyMet => 3,
            PreferenceChoice.MustMeet => 2,
            PreferenceChoice.Interested => 1,
            _ => 0,
        };

        var choices = new Dictionary<(string, string), PreferenceChoice>();
        foreach (var p in preferences)
        {
            var key = (p.Organization, p.Counterpart);
            if (!choices.TryGetValue(key, out var existing) || Precedence(p.Choice) > Precedence(existing))
            {
                choices[key] = p.Choice;
            }
        }

        return choices;
    }

    /// <summary>Adds a request (score 0, model probability 0) for every pair a side wants to meet that no request names:
    /// the stating organisation is the university unless the requests name it only as an enterprise or its counterpart
    /// only as a university.</summary>
    private static void AddStatedPairs(List<MeetingRequest> unique, IReadOnlyList<StatedPreference> preferences, Dictionary<(string, string), PreferenceChoice> choices)
    {
        var known = unique.Select(r => PairKey(r.University, r.Enterprise)).ToHashSet();
        var universities = unique.Select(r => r.University).ToHashSet(StringComparer.Ordinal);
        var enterprises = unique.Select(r => r.Enterprise).ToHashSet(StringComparer.Ordinal);
        foreach (var p in preferences)
        {
            if (choices[(p.Organization, p.Counterpart)] is not (PreferenceChoice.MustMeet or PreferenceChoice.Interested)
                || p.Organization == p.Counterpart
                || !known.Add(PairKey(p.Organization, p.Counterpart)))
            {
                continue;
            }

            var swap = (enterprises.Contains(p.Organization) && !universities.Contains(p.Organization))
                || (universities.Contains(p.Counterpart) && !enterprises.Contains(p.Counterpart));
            unique.Add(swap
                ? new MeetingRequest(p.Counterpart, p.Organization, 0) { Acceptance = 0 }
                : new MeetingRequest(p.Organization, p.Counterpart, 0) { Acceptance = 0 });
        }
    }

    /// <summary>One request per unordered pair of names, the highest score (the first given on ties).</summary>
    private static List<MeetingRequest> Deduplicate(IReadOnlyList<MeetingRequest> requests)
    {
        var best = new Dictionary<(string, string), MeetingRequest>();
        foreach (var request in requests)
        {
            var key = PairKey(request.University, request.Enterprise);
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
