using Matching.Engine;
using Matching.Ingestion;

namespace Matching.Evaluation;

/// <summary>The result of evaluating retrieval against judgments.</summary>
/// <param name="Bm25">The metrics of the BM25 ranking.</param>
/// <param name="Run">The ranked lists per demand (only demands with a relevant judgment).</param>
public sealed record EvaluationResult(RankingMetrics Bm25, IReadOnlyList<QueryMatches> Run);

/// <summary>Retrieves for every judged demand and scores the ranking.</summary>
internal static class RetrievalEvaluator
{
    public static EvaluationResult Evaluate(MatchingEngine engine, IReadOnlyList<Demand> demands, IReadOnlyList<Judgment> judgments, int depth)
    {
        var relevant = judgments
            .Where(j => j.Grade > 0)
            .GroupBy(j => j.DemandId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(j => j.AchievementId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var run = demands
            .Where(d => relevant.ContainsKey(d.Id))
            .Select(d => new QueryMatches(d.Id, engine.RetrieveForDemand(d, depth)))
            .ToList();
        var ranked = run.ToDictionary(q => q.QueryId, q => (IReadOnlyList<string>)q.Candidates.Select(c => c.Id).ToList(), StringComparer.Ordinal);
        return new EvaluationResult(RankingMetrics.Compute(ranked, relevant), run);
    }
}
