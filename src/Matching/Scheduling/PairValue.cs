using Matching.Ingestion;

namespace Matching.Scheduling;

/// <summary>The value of a university–enterprise meeting for the agenda: the probability that both sides accept it,
/// from the model's two-way evidence and both sides' stated choices.</summary>
/// <remarks>
/// <para><b>Model part.</b> p = the request's <see cref="MeetingRequest.Acceptance"/> (computed by
/// <c>PairAggregator</c> from both directions' calibrated strengths), or min(1, score) when the request carries
/// none.</para>
/// <para><b>Each side.</b> A side accepts with probability a(c, p): without a stated choice a = √max(p, 0.05) (so that
/// with no choice on either side P(accept) = p); 想见 interested raises it to a = 0.8 + 0.2·√p; 必见 must-meet
/// a = 1; 不见 no and 已对接 already-met a = 0 (and the pair is never scheduled).</para>
/// <para><b>Pair.</b> P(accept) = a(c_university, p) × a(c_enterprise, p). At the same model evidence, a pair both
/// sides are interested in, (0.8 + 0.2√p)², outranks one only one side is interested in, (0.8 + 0.2√p)·√p, which
/// outranks one nobody stated anything about, p.</para>
/// </remarks>
public static class PairValue
{
    /// <summary>The acceptance of a side that stated nothing never falls below √ of this, so that one side's stated
    /// interest in a pair the model did not find still has a value.</summary>
    public const double UnstatedFloor = 0.05;

    /// <summary>An interested side accepts with at least this probability.</summary>
    public const double Interested = 0.8;

    /// <summary>P(accept) of a pair.</summary>
    /// <param name="model">The model's probability p (0–1).</param>
    /// <param name="university">The university's choice about the enterprise, or null.</param>
    /// <param name="enterprise">The enterprise's choice about the university, or null.</param>
    public static double Of(double model, PreferenceChoice? university, PreferenceChoice? enterprise)
    {
        var p = Math.Clamp(model, 0, 1);
        return Side(p, university) * Side(p, enterprise);
    }

    /// <summary>The probability that one side accepts.</summary>
    /// <param name="p">The model's probability.</param>
    /// <param name="choice">The side's choice, or null.</param>
    public static double Side(double p, PreferenceChoice? choice) => choice switch
    {
        PreferenceChoice.MustMeet => 1,
        PreferenceChoice.Interested => Interested + ((1 - Interested) * Math.Sqrt(p)),
        PreferenceChoice.No or PreferenceChoice.AlreadyMet => 0,
        _ => Math.Sqrt(Math.Max(p, UnstatedFloor)),
    };
}
