using System.Runtime.CompilerServices;
using Matching.Retrieval;

namespace Matching.Engine;

public sealed partial class MatchingEngine
{
    /// <summary>Matches every demand in turn, yielding each demand's best achievements as soon as they are ranked.</summary>
    /// <param name="demands">The demands, in the order results are wanted.</param>
    /// <param name="topK">Achievements per demand.</param>
    /// <param name="cancellationToken">Stops between demands.</param>
    public async IAsyncEnumerable<QueryMatches> MatchAllDemandsAsync(
        IEnumerable<Demand> demands,
        int topK = 10,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var demand in demands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new QueryMatches(demand.Id, MatchDemand(demand, topK));
            await Task.Yield();
        }
    }

    /// <summary>Matches every achievement in turn, yielding each one's best demands as soon as they are ranked.</summary>
    /// <param name="achievements">The achievements, in the order results are wanted.</param>
    /// <param name="topK">Demands per achievement.</param>
    /// <param name="cancellationToken">Stops between achievements.</param>
    public async IAsyncEnumerable<QueryMatches> MatchAllAchievementsAsync(
        IEnumerable<Achievement> achievements,
        int topK = 10,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var achievement in achievements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new QueryMatches(achievement.Id, MatchAchievement(achievement, topK));
            await Task.Yield();
        }
    }
}
