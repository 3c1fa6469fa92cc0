using System.Runtime.CompilerServices;
using Matching.Retrieval;

namespace Matching.Engine;

public sealed partial class MatchingEngine
{
    /// <summary>Matches every demand in turn, yielding each demand's best achievements as soon as they are ranked.</summary>
    /// <param name="demands">The demands, in the order results are wanted.</param>
    /// <param name="topK">Achievements per demand.</param>
    /// <param name="cancellationToken">Stops between demands.</param>
    public IAsyncEnumerable<QueryMatches> MatchAllDemandsAsync(
        IEnumerable<Demand> demands,
        int topK = 10,
        CancellationToken cancellationToken = default) =>
        MatchAllAsync(demands, d => new QueryMatches(d.Id, MatchDemand(d, topK)), cancellationToken);

    /// <summary>Matches every achievement in turn, yielding each one's best demands as soon as they are ranked.</summary>
    /// <param name="achievements">The achievements, in the order results are wanted.</param>
    /// <param name="topK">Demands per achievement.</param>
    /// <param name="cancellationToken">Stops between achievements.</param>
    public IAsyncEnumerable<QueryMatches> MatchAllAchievementsAsync(
        IEnumerable<Achievement> achievements,
        int topK = 10,
        CancellationToken cancellationToken = default) =>
        MatchAllAsync(achievements, a => new QueryMatches(a.Id, MatchAchievement(a, topK)), cancellationToken);

    private static async IAsyncEnumerable<QueryMatches> MatchAllAsync<TQuery>(
        IEnumerable<TQuery> queries,
        Func<TQuery, QueryMatches> match,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var query in queries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return match(query);
            await Task.Yield();
        }
    }
}
