using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>The matches of one query record (a demand or an achievement), best first.</summary>
/// <param name="QueryId">The id of the demand (or achievement) the candidates answer.</param>
/// <param name="Candidates">The retrieved records, best first.</param>
public sealed record QueryMatches(string QueryId, IReadOnlyList<Candidate> Candidates);

/// <summary>Both directions of a batch run.</summary>
/// <param name="ByDemand">For every demand, its best achievements, in demand order of the input.</param>
/// <param name="ByAchievement">For every achievement, its best demands, in achievement order of the input.</param>
public sealed record BatchMatches(IReadOnlyList<QueryMatches> ByDemand, IReadOnlyList<QueryMatches> ByAchievement);

/// <summary>Runs every demand and every achievement as a query.</summary>
internal static class BatchMatcher
{
    public static BatchMatches MatchAll(MatchingEngine engine, IEnumerable<Demand> demands, IEnumerable<Achievement> achievements, int topK)
    {
        var byDemand = demands.Select(d => new QueryMatches(d.Id, engine.MatchDemand(d, topK))).ToList();
        var byAchievement = achievements.Select(a => new QueryMatches(a.Id, engine.MatchAchievement(a, topK))).ToList();
        return new BatchMatches(byDemand, byAchievement);
    }
}
