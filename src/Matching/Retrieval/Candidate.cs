namespace Matching.Retrieval;

/// <summary>One retrieved record for a query record: its id, 1-based rank, BM25 score and the query terms it contains.</summary>
public sealed record Candidate(string Id, int Rank, double Score, IReadOnlyList<string> MatchedTerms)
{
    /// <summary>The calibrated probability (0–1) that the pair is a useful match, when the engine has a strength
    /// calibration (see <c>Ranking.StrengthCalibration</c>); null otherwise.</summary>
    public double? Probability { get; init; }
}
