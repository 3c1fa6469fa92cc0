using Matching.Aggregation;
using Matching.Features;
using Matching.Ranking;
using Matching.Reporting;
using Matching.Retrieval;
using Matching.Scheduling;

namespace Matching.Engine;

/// <summary>Everything a matching run produces for an event.</summary>
/// <param name="Matches">Recommendations both ways, after the event's hard filters and preferences.</param>
/// <param name="Report">The report model (pairs, cards with explanations, summary, agenda).</param>
/// <param name="Strengths">Strength (0–1, bonuses included) of every demand → achievement recommendation, by (demand, achievement).</param>
/// <param name="Reranked">Whether a learned ranker ordered the results.</param>
public sealed record EventResult(
    BatchMatches Matches,
    EventReport Report,
    IReadOnlyDictionary<(string DemandId, string AchievementId), double> Strengths,
    bool Reranked)
{
    /// <summary>Whether achievements were run as queries too (see <see cref="EventRunOptions.AchievementQueries"/>).</summary>
    public bool AchievementQueries { get; init; } = true;
}

/// <summary>How a batch run uses the machine.</summary>
public sealed record EventRunOptions
{
    /// <summary>Query threads; 0 (the default) uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>Told after every query (demands, then achievements).</summary>
    public IProgress<BatchProgress>? Progress { get; init; }

    /// <summary>Whether to build the report's demand cards (snippets, contributions). Default true; large batches
    /// that only want the tables turn it off.</summary>
    public bool WithReport { get; init; } = true;

    /// <summary>Who runs the queries (retrieval, features, reranking): null (the default) runs them on this
    /// machine with <see cref="Threads"/> threads; a cluster runner spreads them over machines.</summary>
    public IQueryRunner? Runner { get; init; }

    /// <summary>Whether every achievement is also run as a query (recommendations per achievement). Default true.
    /// Off, only demands are queries: no achievement→demand table is written, and pairs rest on the demands'
    /// recommendations alone — for batches with far more achievements than demands.</summary>
    public bool AchievementQueries { get; init; } = true;
}

/// <summary>Queries done of a batch.</summary>
/// <param name="Done">Queries answered.</param>
/// <param name="Total">Queries in the batch.</param>
public sealed record BatchProgress(int Done, int Total);

/// <summary>Runs an event: recommendations both ways under the event's rules, university–enterprise pairs,
/// explanations and the meeting agenda.</summary>
public static class EventPlanner
{
    /// <summary>Candidates considered per query before the hard filters cut and the top k is taken.</summary>
    public const int FilterDepth = 50;

    /// <summary>Queries handed to the runner at a time.</summary>
    private const int QueryBlock = 4096;

    private static List<T> Slice<T>(IReadOnlyList<T> items, int start)
    {
        var count = Math.Min(QueryBlock, items.Count - start);
        var slice = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            slice.Add(items[start + i]);
        }

        return slice;
    }

    /// <summary>Plans the event.</summary>
    /// <param name="engine">An engine over the event's records (with a ranker for reranked results).</param>
    /// <param name="demands">The demands, in the order the outputs list them.</param>
    /// <param name="achievements">The achievements, in the order the outputs list them.</param>
    /// <param name="options">The event's rules.</param>
    /// <param name="topK">Recommendations kept per demand and per achievement.</param>
    /// <param name="capacities">Per-organisation capacities and unavailable slots for the agenda.</param>
    /// <param name="run">Threads, progress and whether to build the report's cards (null: defaults).</param>
    public static EventResult Plan(
        MatchingEngine engine,
        IReadOnlyList<Demand> demands,
        IReadOnlyList<Achievement> achievements,
        EventOptions options,
        int topK = 10,
        IReadOnlyList<OrganizationCapacity>? capacities = null,
        EventRunOptions? run = null)
    {
        run ??= new EventRunOptions();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = run.Threads > 0 ? run.Threads : Environment.ProcessorCount };
        var done = 0;
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        var demandById = demands.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var achievementById = achievements.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var reranked = engine.IsReranking;
        var depth = Math.Max(topK, FilterDepth);
        var runner = run.Runner ?? new LocalQueryRunner(run.Threads);
        var achievementQueries = run.AchievementQueries ? achievements : [];
        var total = demands.Count + achievementQueries.Count;
        void Tick()
        {
            var n = Interlocked.Increment(ref done);
            run.Progress?.Report(new BatchProgress(n, total));
        }

        // Queries go to the runner a block at a time. With a ranker, a strength depends only on its own pair, so
        // each block is cut to its top k at once and memory holds k candidates a query, not the whole depth (the
        // demands' full lists are kept only for the report's cards). BM25 strengths are relative to the best BM25
        // score of the whole run, so without a ranker the lists wait until every query is done. Each result lands
        // in its input slot: the output order never depends on threads, blocks or machines.
        var demandLists = new List<Candidate>?[demands.Count];
        var demandTops = new List<(Candidate Candidate, double Strength)>[demands.Count];
        var demandMatchArray = new QueryMatches[demands.Count];
        var achievementLists = new List<Candidate>?[achievementQueries.Count];
        var achievementTops = new List<(Candidate Candidate, double Strength)>[achievementQueries.Count];
        var achievementMatchArray = new QueryMatches[achievementQueries.Count];
        var bestBm25 = 0.0;
        double StrengthOf(Demand d, Achievement a, double score) =>
            Math.Min(1, PairAggregator.Strength(score, reranked, bestBm25) + PairAggregator.Bonus(d, a, options));

        void FinishDemand(int i)
        {
            var demand = demands[i];
            demandTops[i] = Reorder(demandLists[i]!, c => StrengthOf(demand, achievementById[c.Id], c.Score), topK);
            demandMatchArray[i] = new QueryMatches(demand.Id, engine.WithMatchedTerms(demand, [.. demandTops[i].Select(x => x.Candidate)]));
            if (!run.WithReport)
            {
                demandLists[i] = null;
            }
        }

        void FinishAchievement(int i)
        {
            var achievement = achievementQueries[i];
            achievementTops[i] = Reorder(achievementLists[i]!, c => StrengthOf(demandById[c.Id], achievement, c.Score), topK);
            achievementMatchArray[i] = new QueryMatches(achievement.Id, engine.WithMatchedTerms(achievement, [.. achievementTops[i].Select(x => x.Candidate)]));
            achievementLists[i] = null;
        }

        for (var start = 0; start < demands.Count; start += QueryBlock)
        {
            var block = Slice(demands, start);
            var ranked = runner.RankDemands(engine, block, depth, Tick);
            Parallel.For(0, block.Count, parallel, j =>
            {
                var d = block[j];
                demandLists[start + j] = [.. ranked[j].Where(c => achievementById.TryGetValue(c.Id, out var a) && PairAggregator.Allows(d, a, options))];
                if (reranked)
                {
                    FinishDemand(start + j);
                }
            });
        }

        for (var start = 0; start < achievementQueries.Count; start += QueryBlock)
        {
            var block = Slice(achievementQueries, start);
            var ranked = runner.RankAchievements(engine, block, depth, Tick);
            Parallel.For(0, block.Count, parallel, j =>
            {
                var a = block[j];
                achievementLists[start + j] = [.. ranked[j].Where(c => demandById.TryGetValue(c.Id, out var d) && PairAggregator.Allows(d, a, options))];
                if (reranked)
                {
                    FinishAchievement(start + j);
                }
            });
        }

        if (!reranked)
        {
            bestBm25 = demandLists.SelectMany(l => l!).Concat(achievementLists.SelectMany(l => l!)).Select(c => c.Score).DefaultIfEmpty(0).Max();
            Parallel.For(0, demands.Count, parallel, FinishDemand);
            Parallel.For(0, achievementQueries.Count, parallel, FinishAchievement);
        }

        var strengths = new Dictionary<(string, string), double>();
        for (var i = 0; i < demands.Count; i++)
        {
            foreach (var (candidate, strength) in demandTops[i])
            {
                strengths[(demands[i].Id, candidate.Id)] = strength;
            }
        }

        var demandMatches = demandMatchArray.ToList();
        var achievementMatches = achievementMatchArray.ToList();
        var reverse = achievementQueries.SelectMany((a, i) => achievementTops[i].Select(t => (demandById[t.Candidate.Id], a, t.Candidate.Rank, t.Strength))).ToList();

        var forward = demandMatches.SelectMany(q => q.Candidates.Select(c =>
            (demandById[q.QueryId], achievementById[c.Id], c.Rank, strengths[(q.QueryId, c.Id)])));
        var pairs = PairAggregator.Aggregate(forward.Concat(reverse), options);

        var cards = run.WithReport
            ? Cards(engine, demands, demandMatches, achievementById, strengths, demands.Select((d, i) => (d.Id, demandLists[i]!)).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal))
            : [];
        Agenda? agenda = null;
        if (options.Agenda is { } settings)
        {
            agenda = AgendaPlanner.Plan(
                [.. pairs.Select(p => new MeetingRequest(p.University, p.Enterprise, p.Score))],
                new AgendaOptions
                {
                    Slots = settings.Slots,
                    Tables = settings.Tables,
                    DefaultCapacity = settings.DefaultCapacity,
                    Capacities = capacities ?? [],
                });
        }

        var report = new EventReport
        {
            Title = options.Title,
            Summary = Summary(demands, achievements, demandMatches, strengths, options.StrongMatch),
            Pairs = pairs,
            Demands = cards,
            Agenda = agenda,
            Method = reranked ? $"BM25 top {engine.RerankDepth} reranked by a LambdaRank model (features {engine.Ranker!.Metadata.FeatureHash})" : "BM25",
        };
        return new EventResult(new BatchMatches(demandMatches, achievementMatches), report, strengths, reranked)
        {
            AchievementQueries = run.AchievementQueries,
        };
    }

    /// <summary>Explains any demand–achievement pair, recommended or not.</summary>
    public static PairExplanation Explain(MatchingEngine engine, Demand demand, Achievement achievement) =>
        Explain(engine, demand, [achievement])[0];

    /// <summary>Explains several achievements for one demand, ranking the demand's candidates and computing
    /// their features once for all of them.</summary>
    internal static IReadOnlyList<PairExplanation> Explain(MatchingEngine engine, Demand demand, IReadOnlyList<Achievement> achievements)
    {
        var list = engine.RankDemand(demand, Math.Max(FilterDepth, engine.RerankDepth)).ToList();
        var ids = list.Select(c => c.Id).ToList();
        var indexes = new int[achievements.Count];
        for (var i = 0; i < achievements.Count; i++)
        {
            indexes[i] = ids.IndexOf(achievements[i].Id);
            if (indexes[i] < 0)
            {
                ids.Add(achievements[i].Id);
                indexes[i] = ids.Count - 1;
            }
        }

        var space = engine.Features;
        var rows = space.ForDemand(space.HasDemand(demand.Id) ? space.Demand(demand.Id) : space.PrepareDemand(demand), ids);
        var scores = new float[ids.Count];
        engine.Ranker?.Score(rows, ids.Count, scores);
        var matched = engine.WithMatchedTerms(demand, [.. achievements.Select(a => new Candidate(a.Id, 0, 0, []))]);
        using var highlighter = new SnippetHighlighter(engine.Analyzer);
        var explanations = new List<PairExplanation>(achievements.Count);
        for (var i = 0; i < achievements.Count; i++)
        {
            var achievement = achievements[i];
            var index = indexes[i];
            int? rank = index < list.Count ? index + 1 : null;
            var terms = matched[i].MatchedTerms;
            var snippets = highlighter.Highlight("title", achievement.Title, terms, 1)
                .Concat(highlighter.Highlight("abstract", achievement.Abstract, terms, 2))
                .ToList();
            var bm25 = rows[index * PairFeatures.Count];
            double score = engine.Ranker is null ? (index < list.Count ? list[index].Score : bm25) : scores[index];
            IReadOnlyList<FeatureContribution> contributions = engine.Ranker is { } ranker
                ? PairExplainer.Explain(ranker, rows, ids.Count, index, top: 8)
                : [];
            explanations.Add(new PairExplanation(demand, achievement, rank, score, bm25, new Explanation(terms, snippets, contributions)));
        }

        return explanations;
    }

    /// <summary>Keeps the top k by strength (ties: the ranker's order), ranks renumbered.</summary>
    private static List<(Candidate Candidate, double Strength)> Reorder(List<Candidate> list, Func<Candidate, double> strength, int topK) =>
        [.. list
            .Select((c, i) => (Candidate: c, Strength: strength(c), Index: i))
            .OrderByDescending(x => x.Strength)
            .ThenBy(x => x.Index)
            .Take(topK)
            .Select((x, rank) => (x.Candidate with { Rank = rank + 1 }, x.Strength))];

    private static List<DemandCard> Cards(
        MatchingEngine engine,
        IReadOnlyList<Demand> demands,
        List<QueryMatches> matches,
        Dictionary<string, Achievement> achievements,
        Dictionary<(string, string), double> strengths,
        Dictionary<string, List<Candidate>> lists)
    {
        using var highlighter = new SnippetHighlighter(engine.Analyzer);
        var cards = new List<DemandCard>();
        for (var i = 0; i < demands.Count; i++)
        {
            var demand = demands[i];
            var top = matches[i].Candidates;
            float[]? rows = null;
            List<string> ids = [.. lists[demand.Id].Select(c => c.Id)];
            if (engine.Ranker is not null && ids.Count > 0)
            {
                rows = engine.FeaturesForDemand(demand, ids);
            }

            cards.Add(new DemandCard(demand, [.. top.Select(c =>
            {
                var achievement = achievements[c.Id];
                var snippets = highlighter.Highlight("title", achievement.Title, c.MatchedTerms, 1)
                    .Concat(highlighter.Highlight("abstract", achievement.Abstract, c.MatchedTerms, 2))
                    .ToList();
                var contributions = rows is null
                    ? []
                    : PairExplainer.Explain(engine.Ranker!, rows, ids.Count, ids.IndexOf(c.Id));
                return new Recommendation(achievement, c.Rank, c.Score, strengths[(demand.Id, c.Id)], new Explanation(c.MatchedTerms, snippets, contributions));
            })]));
        }

        return cards;
    }

    private static ReportSummary Summary(
        IReadOnlyList<Demand> demands,
        IReadOnlyList<Achievement> achievements,
        List<QueryMatches> matches,
        Dictionary<(string, string), double> strengths,
        double strong)
    {
        var hasStrong = matches.ToDictionary(
            q => q.QueryId,
            q => q.Candidates.Count > 0 && strengths[(q.QueryId, q.Candidates[0].Id)] >= strong,
            StringComparer.Ordinal);

        List<CoverageRow> Coverage(Func<Demand, string> key) => [.. demands
            .GroupBy(d => key(d) is { Length: > 0 } k ? k : "未填写")
            .Select(g => new CoverageRow(g.Key, g.Count(), g.Count(d => hasStrong[d.Id])))
            .OrderByDescending(r => r.Demands)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];

        return new ReportSummary(
            achievements.Count,
            demands.Count,
            achievements.Select(PairAggregator.OrganizationOf).Distinct().Count(),
            demands.Select(PairAggregator.OrganizationOf).Distinct().Count(),
            hasStrong.Values.Count(x => x),
            strong,
            Coverage(d => d.Industry),
            Coverage(d => Metadata.Region(d.Region)));
    }
}

/// <summary>Why one achievement is (or is not) recommended for one demand.</summary>
/// <param name="Demand">The demand.</param>
/// <param name="Achievement">The achievement.</param>
/// <param name="Rank">Its rank among the demand's candidates, or null when outside the first <see cref="EventPlanner.FilterDepth"/>.</param>
/// <param name="Score">The ranking score (reranker, or BM25 without one).</param>
/// <param name="Bm25">The pair's own BM25 (demand words against the achievement).</param>
/// <param name="Explanation">Matched terms, snippets and feature contributions.</param>
public sealed record PairExplanation(Demand Demand, Achievement Achievement, int? Rank, double Score, double Bm25, Explanation Explanation);
