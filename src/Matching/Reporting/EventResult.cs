using Matching.Retrieval;

namespace Matching.Reporting;

/// <summary>Everything a matching run produces for an event: what <see cref="EventOutputWriter"/> writes.</summary>
/// <param name="Matches">Recommendations both ways, after the event's hard filters and preferences.</param>
/// <param name="Report">The report model (pairs, cards with explanations, summary, agenda).</param>
/// <param name="Strengths">Strength (0–1: the calibrated probability of a useful match) of every demand → achievement
/// recommendation, by (demand, achievement).</param>
/// <param name="Reranked">Whether a learned ranker ordered the results.</param>
public sealed record EventResult(
    BatchMatches Matches,
    EventReport Report,
    IReadOnlyDictionary<(string DemandId, string AchievementId), double> Strengths,
    bool Reranked)
{
    /// <summary>Whether achievements were run as queries too; without them no achievement→demand table is written.</summary>
    public bool AchievementQueries { get; init; } = true;

    /// <summary>The key each demand's list is ordered by — the strength plus the soft preferences' bonus — by (demand,
    /// achievement), for the recommendations a bonus moved (the others' key is their strength); the score column of
    /// <c>run.trec</c>. Null: the strengths.</summary>
    public IReadOnlyDictionary<(string DemandId, string AchievementId), double>? RankingKeys { get; init; }
}
