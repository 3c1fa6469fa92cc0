using Matching.Aggregation;
using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>The batch part of an event run: every demand (and, unless turned off, every achievement) as a query,
/// the event's hard filters applied, strengths computed and each list cut to its top k with matched terms.</summary>
/// <remarks>Queries go to the runner a block at a time. With a ranker or a strength calibration, a strength depends
/// only on its own pair (and its list), so each block is cut to its top k at once and memory holds k candidates a
/// query, not the whole depth (the demands' full lists are kept only for the report's cards). Uncalibrated BM25
/// strengths are relative to the best BM25 score of the whole run, so then the lists wait until every query is done. Each result lands in its input slot: the
/// output order never depends on threads, blocks or machines.</remarks>
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
        var batch = new EventBatch(engine, options, topK, run.WithReport, demands, achievementQueries);
        var demandById = demands.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var achievementById = achievements.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.Threads > 0 ? run.Threads : Environment.ProcessorCount };
        var runner = run.Runner ?? new LocalQueryRunner(run.Threads);
        var depth = Math.Max(topK, EventPlanner.FilterDepth);
        var total = demands.Count + achievementQueries.Count;
        var done = 0;
        void Tick() => run.Progress?.Report(new BatchProgress(Interlocked.Increment(ref done), total));

        var reranked = engine.IsReranking;
        Func<Demand, Candidate, (double, double)> demandStrength = (d, c) => batch.StrengthOf(d, achievementById[c.Id], c);
        Func<Achievement, Candidate, (double, double)> achievementStrength = (a, c) => batch.StrengthOf(demandById[c.Id], a, c);
        batch._demands.Run(
            block => runner.RankDemands(engine, block, depth, Tick),
            (d, c) => achievementById.TryGetValue(c.Id, out var a) && PairAggregator.Allows(d, a, options.HardFilters),
            reranked || engine.IsCalibrated ? i => batch.FinishDemand(i, demandStrength) : null,
            parallel);
        batch._achievements.Run(
            block => runner.RankAchievements(engine, block, depth, Tick),
            (a, c) => demandById.TryGetValue(c.Id, out var d) && PairAggregator.Allows(d, a, options.HardFilters),
            reranked || engine.IsCalibrated ? i => batch.FinishAchievement(i, achievementStrength) : null,
            parallel);

        if (!reranked && !engine.IsCalibrated)
        {
            batch._bestBm25 = batch._demands.Lists.SelectMany(l => l!).Concat(batch._achievements.Lists.SelectMany(l => l!))
                .Select(c => c.Score).DefaultIfEmpty(0).Max();
            Parallel.For(0, demands.Count, parallel, i => batch.FinishDemand(i, demandStrength));
            Parallel.For(0, achievementQueries.Count, parallel, i => batch.FinishAchievement(i, achievementStrength));
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
                batch.ReverseStrengths[(candidate.Id, achievementQueries[i].Id)] = strength;
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
            ParallelOptions parallel)
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
                    Lists[offset + j] = [.. ranked[j].Where(c => keep(query, c))];
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
