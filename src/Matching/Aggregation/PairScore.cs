namespace Matching.Aggregation;

/// <summary>A university–enterprise pair: its score and the achievement–demand pairs behind it.</summary>
/// <param name="University">The university (achievement organisation).</param>
/// <param name="Enterprise">The enterprise (demand organisation).</param>
/// <param name="Score">The pair score (see <see cref="PairAggregator"/>).</param>
/// <param name="Evidence">The achievement–demand pairs, strongest first.</param>
public sealed record PairScore(string University, string Enterprise, double Score, IReadOnlyList<PairEvidence> Evidence)
{
    /// <summary>The model's probability (0–1) that a meeting of the pair is accepted, from both directions' strengths
    /// (see <see cref="PairAggregator"/>).</summary>
    public double Acceptance { get; init; }
}

/// <summary>One achievement–demand recommendation supporting a university–enterprise pair.</summary>
/// <param name="DemandId">The demand.</param>
/// <param name="DemandTitle">Its title.</param>
/// <param name="AchievementId">The achievement.</param>
/// <param name="AchievementTitle">Its title.</param>
/// <param name="Rank">The achievement's rank for the demand.</param>
/// <param name="Strength">Match strength 0–1.</param>
public sealed record PairEvidence(string DemandId, string DemandTitle, string AchievementId, string AchievementTitle, int Rank, double Strength);
