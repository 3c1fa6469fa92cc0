namespace Matching.Ingestion;

/// <summary>A university–enterprise meeting worth scheduling, with its pair score (higher is better, ≥ 0).</summary>
/// <param name="University">The university (achievement organisation).</param>
/// <param name="Enterprise">The enterprise (demand organisation).</param>
/// <param name="Score">The pair score the agenda maximises the sum of.</param>
public sealed record MeetingRequest(string University, string Enterprise, double Score)
{
    /// <summary>The model's probability (0–1) that the meeting is accepted, from both directions' calibrated strengths
    /// (see <c>PairAggregator</c>); null when only a score is known.</summary>
    public double? Acceptance { get; init; }
}
