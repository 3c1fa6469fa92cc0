using Matching.Aggregation;
using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>The batch part of an event run: every demand (and, unless turned off, every achievement) as a query,
/// the event's hard filters applied, strengths computed and each list cut to its top k with matched terms.</summary>
/// <remarks>Queries go to the runner a block at a time. With a ranker or a strength calibration, a strength depends
/// only on its own pair (and its list), so each block is cut to its top k at once and memory holds k candidates a
/// query, not the whole depth (the demands' full lists are kept only for the report's cards). Uncalibrated BM25
/// strengths are relative to the best BM25 score of the whole run, so then the lists wait until every query is done. Each result lands in its input slot: the
/// output order never depends on threads, blocks or machines. With <see cref="ReverseLists.Derived"/> the achievements
/// are not queries: their lists are inverted from the demands' (see <see cref="Derive"/>).</remarks>
internal sealed class EventBatch
{
    /// <summary>Queries handed to the runner at a time.</summary>
    private const int QueryBlock = 4096;

    private readonly MatchingEngine _engine;
    private readonly EventOptions _options;
    private readonly int _topK;
    private readonly bool _keepDemandLists;
    private readonly Direction<Demand> _demands;
    private readonly Direction<Achievement> _achievements;
    private double _bestBm25;

    private EventBatch(MatchingEngine engine, EventOptions options, int topK, bool keepDemandLists, IReadOnlyList<Demand> demands, IReadOnlyList<Achievement> achievementQueries)
    {
        _engine = engine;
        _options = options;
        _topK = topK;
        _keepDemandLists = keepDemandLists;
        _demands = new Direction<Demand>(demands, d => d.Id);
        _achievements = new Direction<Achievement>(achievementQueries, a => a.Id);
    }

    /// <summary>Every demand's top k, in input order.</summary>
    public IReadOnlyList<QueryMatches> DemandMatches => _demands.Matches;

    /// <summary>Every achievement query's top k, in input order (empty when achievements were not queries).</summary>
    public IReadOnlyList<QueryMatches> AchievementMatches => _achievements.Matches;

    /// <summary>Strength of every demand → achievement recommendation.</summary>
    public Dictionary<(string DemandId, string AchievementId), double> Strengths { get; } = [];

    /// <summary>Strength of every achievement → demand recommendation, keyed (demand id, achievement id); empty when
    /// achievements were not queries.</summary>
    public Dictionary<(string DemandId, string AchievementId), double> ReverseStrengths { get; } = [];

    /// <summary>The key a demand's list is ordered by where it differs from the strength (a soft-preference bonus
    /// applied); elsewhere the key is the strength.</summary>
    public Dictionary<(string DemandId, string AchievementId), double> Keys { get; } = [];

    /// <summary>Demand i's filtered candidate list before the top-k cut (kept only when the report is built).</summary>
    public IReadOnlyList<Candidate> DemandList(int i) => _demands.Lists[i]!;

    /// <summary>Runs the batch.</summary>
    public static EventBatch Run(
        MatchingEngine engine,
        IReadOnlyList<Demand> demands,
        IReadOnlyList<Achievement> achievements,
        EventOptions options,
        int topK,
        EventRunOptions run)
    {
        var achievementQueries = run.AchievementQueries ? achievements : [];
        var derived = run.AchievementQueries && run.Reverse == ReverseLists.Derived;
        var batch = new EventBatch(engine, options, topK, run.WithReport, demands, achievementQueries);
        var demandById = demands.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var achievementById = achievements.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.Threads > 0 ? run.Threads : Environment.ProcessorCount };
        var runner = run.Runner ?? new LocalQueryRunner(run.Threads);
        var depth = Math.Max(topK, EventPlanner.FilterDepth);
        // Derived reverse lists invert the demands' whole reranked lists: the demands are ranked that deep (the
        // reranker orders the same BM25 candidates, with the same features, either way, so their first `depth` are
        // today's lists). Without a ranker a list's calibration features depend on its length: it stays as deep.
        var rankDepth = derived && engine.Ranker is not null ? Math.Max(depth, engine.RerankDepth) : depth;
        var inverted = derived ? new ReverseEntry[demands.Count][] : null;
        var achievementIndex = derived ? IndexOf(achievements) : null;
        var total = demands.Count + achievementQueries.Count;
        var done = 0;
        void Tick() => run.Progress?.Report(new BatchProgress(Interlocked.Increment(ref done), total));

        var reranked = engine.IsReranking;
        Func<Demand, Candidate, (double, double)> demandStrength = (d, c) => batch.StrengthOf(d, achievementById[c.Id], c);
        Func<Achievement, Candidate, (double, double)> achievementStrength = (a, c) => batch.StrengthOf(demandById[c.Id], a, c);
        batch._demands.Run(
            block => runner.RankDemands(engine, block, rankDepth, Tick),
            (d, c) => achievementById.TryGetValue(c.Id, out var a) && PairAggregator.Allows(d, a, options.HardFilters),
            reranked || engine.IsCalibrated ? i => batch.FinishDemand(i, demandStrength) : null,
            parallel,
            depth,
            inverted is null ? null : (i, full) => inverted[i] = Entries(full, achievementIndex!));
        if (!derived)
        {
            batch._achievements.Run(
                block => runner.RankAchievements(engine, block, depth, Tick),
                (a, c) => demandById.TryGetValue(c.Id, out var d) && PairAggregator.Allows(d, a, options.HardFilters),
                reranked || engine.IsCalibrated ? i => batch.FinishAchievement(i, achievementStrength) : null,
                parallel,
                depth,
                null);
        }

        if (!reranked && !engine.IsCalibrated)
        {
            batch._bestBm25 = batch._demands.Lists.SelectMany(l => l!).Concat(batch._achievements.Lists.SelectMany(l => l ?? []))
                .Select(c => c.Score).DefaultIfEmpty(0).Max();
            Parallel.For(0, demands.Count, parallel, i => batch.FinishDemand(i, demandStrength));
            if (!derived)
            {
                Parallel.For(0, achievementQueries.Count, parallel, i => batch.FinishAchievement(i, achievementStrength));
            }
        }

        if (inverted is not null)
        {
            batch.Derive(inverted, Tick, parallel);
        }

        for (var i = 0; i < demands.Count; i++)
        {
            foreach (var (candidate, strength, key) in batch._demands.Tops[i])
            {
                batch.Strengths[(demands[i].Id, candidate.Id)] = strength;
                if (key != strength)
                {
                    batch.Keys[(demands[i].Id, candidate.Id)] = key;
                }
            }
        }

        for (var i = 0; i < achievementQueries.Count; i++)
        {
            foreach (var (candidate, strength, _) in batch._achievements.Tops[i])
            {
                // Derived, a pair's two strengths are one number: a weak one is never looked up (a pair is evidence
                // only when a strength reaches the threshold), and at 1M achievements there are millions of them.
                if (!derived || strength >= options.StrongMatch)
                {
                    batch.ReverseStrengths[(candidate.Id, achievementQueries[i].Id)] = strength;
                }
            }
        }

        return batch;
    }

    /// <summary>Every recommendation both ways as pair evidence: the demands' top k, then the achievements'.</summary>
    public IEnumerable<(Demand Demand, Achievement Achievement, int Rank, double Strength)> Evidence(
        IReadOnlyDictionary<string, Demand> demandById,
        IReadOnlyDictionary<string, Achievement> achievementById)
    {
        var forward = _demands.Matches.SelectMany(q => q.Candidates.Select(c =>
            (demandById[q.QueryId], achievementById[c.Id], c.Rank, Strengths[(q.QueryId, c.Id)])));
        var reverse = _achievements.Queries.SelectMany((a, i) => _achievements.Tops[i].Select(t =>
            (demandById[t.Candidate.Id], a, t.Candidate.Rank, t.Strength)));
        return forward.Concat(reverse);
    }

    /// <summary>A recommendation's strength — the calibrated probability when the engine has one — and the key its
    /// list is ordered by: the strength plus the soft preferences' bonus (which reorders close calls but is not
    /// evidence of a match, so it never makes a pair strong).</summary>
    private (double Strength, double Key) StrengthOf(Demand d, Achievement a, Candidate c)
    {
        var strength = c.Probability ?? PairAggregator.Strength(c.Score, _engine.IsReranking, _bestBm25);
        return (strength, strength + PairAggregator.Bonus(d, a, _options.SoftPreferences, _options.HostRegion));
    }

    /// <summary>An achievement's position in the input, by id.</summary>
    private static Dictionary<string, int> IndexOf(IReadOnlyList<Achievement> achievements)
    {
        var index = new Dictionary<string, int>(achievements.Count, StringComparer.Ordinal);
        for (var i = 0; i < achievements.Count; i++)
        {
            index.TryAdd(achievements[i].Id, i);
        }

        return index;
    }

    /// <summary>A demand's filtered full list kept compactly for the inversion: no strings, no candidate objects
    /// (10M entries at 1M achievements × 100k demands).</summary>
    private static ReverseEntry[] Entries(List<Candidate> full, Dictionary<string, int> achievementIndex)
    {
        var entries = new ReverseEntry[full.Count];
        for (var j = 0; j < full.Count; j++)
        {
            var c = full[j];
            entries[j] = new ReverseEntry(achievementIndex[c.Id], c.Score, c.Probability ?? double.NaN);
        }

        return entries;
    }

    /// <summary>Every achievement's list from the demands' lists that hold it: by key (strength plus bonus, as the
    /// demand computed them), ties by ranker score, then by the demand's input order; top k with matched terms.</summary>
    private void Derive(ReverseEntry[][] lists, Action tick, ParallelOptions parallel)
    {
        var count = _achievements.Queries.Count;
        var starts = new int[count + 1];
        foreach (var list in lists)
        {
            foreach (var entry in list)
            {
                starts[entry.Achievement + 1]++;
            }
        }

        for (var a = 0; a < count; a++)
        {
            starts[a + 1] += starts[a];
        }

        // The demands in input order, so each achievement's slice lists them in input order too.
        var demandOf = new int[starts[count]];
        var slotOf = new int[starts[count]];
        var next = (int[])starts.Clone();
        for (var d = 0; d < lists.Length; d++)
        {
            for (var s = 0; s < lists[d].Length; s++)
            {
                var at = next[lists[d][s].Achievement]++;
                demandOf[at] = d;
                slotOf[at] = s;
            }
        }

        var demands = _demands.Queries;
        var demandTerms = _engine.DemandTerms is { } lookup ? new PreloadedTerms(lookup, demands, parallel) : null;
        Parallel.For(0, count, parallel, a =>
        {
            var achievement = _achievements.Queries[a];
            var ranked = new List<(int Demand, ReverseEntry Entry, double Strength, double Key)>(starts[a + 1] - starts[a]);
            for (var at = starts[a]; at < starts[a + 1]; at++)
            {
                var entry = lists[demandOf[at]][slotOf[at]];
                var strength = double.IsNaN(entry.Probability) ? PairAggregator.Strength(entry.Score, _engine.IsReranking, _bestBm25) : entry.Probability;
                var bonus = PairAggregator.Bonus(demands[demandOf[at]], achievement, _options.SoftPreferences, _options.HostRegion);
                ranked.Add((demandOf[at], entry, strength, strength + bonus));
            }

            var top = ranked
                .OrderByDescending(x => x.Key)
                .ThenByDescending(x => x.Entry.Score)
                .ThenBy(x => x.Demand)
                .Take(_topK)
                .ToList();
            IReadOnlyList<Candidate> candidates = top.Select((x, rank) => new Candidate(demands[x.Demand].Id, rank + 1, x.Entry.Score, [])
            {
                Probability = double.IsNaN(x.Entry.Probability) ? null : x.Entry.Probability,
            }).ToList();
            if (candidates.Count > 0)
            {
                candidates = _engine.WithMatchedTerms(achievement, candidates, demandTerms);
            }

            // The tops hold the written candidates themselves: one object per recommendation, not two.
            var tops = new List<(Candidate, double, double)>(candidates.Count);
            for (var r = 0; r < candidates.Count; r++)
            {
                tops.Add((candidates[r], top[r].Strength, top[r].Key));
            }

            _achievements.Tops[a] = tops;
            _achievements.Matches[a] = new QueryMatches(achievement.Id, candidates);
            tick();
        });
    }

    private void FinishDemand(int i, Func<Demand, Candidate, (double, double)> strength)
    {
        var demand = _demands.Queries[i];
        _demands.Finish(i, c => strength(demand, c), _topK, top => _engine.WithMatchedTerms(demand, top), keepList: _keepDemandLists);
    }

    private void FinishAchievement(int i, Func<Achievement, Candidate, (double, double)> strength)
    {
        var achievement = _achievements.Queries[i];
        _achievements.Finish(i, c => strength(achievement, c), _topK, top => _engine.WithMatchedTerms(achievement, top), keepList: false);
    }

    /// <summary>One pair of a demand's full list: the achievement's input position, the ranker (or BM25) score and the
    /// calibrated probability (NaN: none). 24 bytes; the bonus is computed again when the lists are derived.</summary>
    private readonly record struct ReverseEntry(int Achievement, double Score, double Probability);

    /// <summary>Every demand's profile terms read once: the derived lists look up each demand about as many times as it
    /// retrieved achievements, in achievement order — from a store with a bounded cache, a read (≈ 50 µs) per lookup
    /// once the demands outnumber the cache.</summary>
    private sealed class PreloadedTerms : ITermLookup
    {
        private readonly ITermLookup _lookup;
        private readonly Dictionary<string, int[]?> _terms;

        public PreloadedTerms(ITermLookup lookup, IReadOnlyList<Demand> demands, ParallelOptions parallel)
        {
            _lookup = lookup;
            var terms = new int[]?[demands.Count];
            Parallel.For(0, demands.Count, parallel, i => terms[i] = lookup.TermsOf(demands[i].Id));
            _terms = new Dictionary<string, int[]?>(demands.Count, StringComparer.Ordinal);
            for (var i = 0; i < demands.Count; i++)
            {
                _terms.TryAdd(demands[i].Id, terms[i]);
            }
        }

        public int Id(string term) => _lookup.Id(term);

        public int[]? TermsOf(string recordId) => _terms.TryGetValue(recordId, out var terms) ? terms : _lookup.TermsOf(recordId);
    }

    /// <summary>The state of one direction's queries: filtered lists, top k with strengths, and the written matches.</summary>
    private sealed class Direction<TQuery>(IReadOnlyList<TQuery> queries, Func<TQuery, string> idOf)
    {
        public IReadOnlyList<TQuery> Queries { get; } = queries;

        public List<Candidate>?[] Lists { get; } = new List<Candidate>?[queries.Count];

        public List<(Candidate Candidate, double Strength, double Key)>[] Tops { get; } = new List<(Candidate, double, double)>[queries.Count];

        public QueryMatches[] Matches { get; } = new QueryMatches[queries.Count];

        public void Run(
            Func<IReadOnlyList<TQuery>, IReadOnlyList<IReadOnlyList<Candidate>>> rank,
            Func<TQuery, Candidate, bool> keep,
            Action<int>? finish,
            ParallelOptions parallel,
            int depth,
            Action<int, List<Candidate>>? full)
        {
            for (var start = 0; start < Queries.Count; start += QueryBlock)
            {
                var count = Math.Min(QueryBlock, Queries.Count - start);
                var block = new List<TQuery>(count);
                for (var i = 0; i < count; i++)
                {
                    block.Add(Queries[start + i]);
                }

                var ranked = rank(block);
                var offset = start;
                Parallel.For(0, block.Count, parallel, j =>
                {
                    var query = block[j];
                    if (full is null)
                    {
                        Lists[offset + j] = [.. ranked[j].Where(c => keep(query, c))];
                    }
                    else
                    {
                        // Ranked deeper than the query's own list: its list is the first `depth`, as without.
                        var all = new List<Candidate>(ranked[j].Count);
                        var own = new List<Candidate>(Math.Min(depth, ranked[j].Count));
                        for (var r = 0; r < ranked[j].Count; r++)
                        {
                            var c = ranked[j][r];
                            if (keep(query, c))
                            {
                                all.Add(c);
                                if (r < depth)
                                {
                                    own.Add(c);
                                }
                            }
                        }

                        Lists[offset + j] = own;
                        full(offset + j, all);
                    }

                    finish?.Invoke(offset + j);
                });
            }
        }

        /// <summary>Keeps the top k by strength with bonuses (ties: the ranker's order), ranks renumbered, with matched terms.</summary>
        public void Finish(int i, Func<Candidate, (double Strength, double Key)> strength, int topK, Func<IReadOnlyList<Candidate>, IReadOnlyList<Candidate>> withTerms, bool keepList)
        {
            Tops[i] = [.. Lists[i]!
                .Select((c, index) => (Candidate: c, Value: strength(c), Index: index))
                .Select(x => (x.Candidate, Strength: x.Value.Strength, Key: x.Value.Key, x.Index))
                .OrderByDescending(x => x.Key)
                .ThenBy(x => x.Index)
                .Take(topK)
                .Select((x, rank) => (x.Candidate with { Rank = rank + 1 }, x.Strength, x.Key))];
            Matches[i] = new QueryMatches(idOf(Queries[i]), withTerms([.. Tops[i].Select(x => x.Candidate)]));
            if (!keepList)
            {
                Lists[i] = null;
            }
        }
    }
}
