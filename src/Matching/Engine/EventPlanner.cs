using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Reporting;
using Matching.Scheduling;

namespace Matching.Engine;

/// <summary>Runs an event: recommendations both ways under the event's rules (<see cref="EventBatch"/>),
/// university–enterprise pairs (<see cref="PairAggregator"/>), the meeting agenda (<see cref="AgendaPlanner"/>),
/// explained demand cards (<see cref="PairExplanations"/>) and the report's summary.</summary>
public static class EventPlanner
{
    /// <summary>Candidates considered per query before the hard filters cut and the top k is taken.</summary>
    public const int FilterDepth = 50;

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
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        run ??= new EventRunOptions();
        var demandById = demands.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var achievementById = achievements.ToDictionary(a => a.Id, StringComparer.Ordinal);

        var batch = EventBatch.Run(engine, demands, achievements, options, topK, run);
        var demandMatches = batch.DemandMatches;
        var pairs = PairAggregator.Aggregate(batch.Evidence(demandById, achievementById), options.Filters, options.StrongMatch,
            batch.Strengths, run.AchievementQueries ? batch.ReverseStrengths : null);
        // The solver runs on one core for its whole budget: the cards (independent of the agenda) use the others meanwhile.
        var planning = options.Agenda is { } shape
            ? Task.Run<Agenda?>(() => AgendaPlanner.Plan([.. pairs.Select(p => new MeetingRequest(p.University, p.Enterprise, p.Score) { Acceptance = p.Acceptance })], shape with { Capacities = capacities ?? [] }))
            : Task.FromResult<Agenda?>(null);
        var cards = run.WithReport ? Cards(engine, demands, batch, achievementById, run.Report ?? new ReportOptions(), run.Threads) : [];
        var agenda = planning.GetAwaiter().GetResult();
        var report = new EventReport
        {
            Title = options.Title,
            Summary = ReportSummaries.Of(demands, achievements, demandMatches, batch.Strengths, options.StrongMatch),
            Pairs = pairs,
            Demands = cards,
            Agenda = agenda,
            DemandContacts = ContactColumns.OfDemands(demands) is { Count: > 0 } demandContacts ? demandContacts : null,
            AchievementContacts = ContactColumns.OfAchievements(achievements) is { Count: > 0 } achievementContacts ? achievementContacts : null,
            ManualMatching = ReportSummaries.Unmatched(demands, achievements, batch.Evidence(demandById, achievementById), options.StrongMatch, run.AchievementQueries),
            Method = (engine.Ranker is { } ranker ? $"BM25 top {engine.RerankDepth} reranked by a LambdaRank model (features {ranker.Metadata.FeatureHash})" : "BM25")
                + (engine.IsCalibrated ? "; strength = calibrated probability of a useful match" : "; strength uncalibrated (the model has no calibration)")
                + (run.AchievementQueries && run.Reverse == ReverseLists.Derived ? "; achievements' lists derived from the demands' ranked lists (not queries of their own)" : ""),
        };
        return new EventResult(new Retrieval.BatchMatches(demandMatches, batch.AchievementMatches), report, batch.Strengths, engine.IsReranking)
        {
            AchievementQueries = run.AchievementQueries,
            RankingKeys = batch.Keys,
        };
    }

    /// <summary>A card per demand: its top k, each explained against the demand's filtered candidate list (features
    /// computed once per list). Cards are built in parallel, each into its own slot; passages are highlighted only
    /// where the report shows them (<paramref name="shown"/>).</summary>
    private static DemandCard[] Cards(MatchingEngine engine, IReadOnlyList<Demand> demands, EventBatch batch, Dictionary<string, Achievement> achievements, ReportOptions shown, int threads)
    {
        using var explanations = new PairExplanations(engine);
        var matches = batch.DemandMatches;
        var cards = new DemandCard[demands.Count];
        Parallel.For(0, demands.Count, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount }, i =>
        {
            var demand = demands[i];
            List<string> ids = [.. batch.DemandList(i).Select(c => c.Id)];
            var rows = engine.Ranker is not null && ids.Count > 0 ? engine.FeaturesForDemand(demand, ids) : null;
            var withSnippets = i < shown.Cards;
            cards[i] = new DemandCard(demand, [.. matches[i].Candidates.Select((c, r) => new Recommendation(
                achievements[c.Id], c.Rank, c.Score, batch.Strengths[(demand.Id, c.Id)],
                explanations.Explain(demand, achievements[c.Id], c.MatchedTerms, rows, ids.Count, ids.IndexOf(c.Id), top: 5, withSnippets && r < shown.Recommendations)))]);
        });

        return cards;
    }
}
