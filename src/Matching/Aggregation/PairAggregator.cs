using Matching.Features;

namespace Matching.Aggregation;

/// <summary>Turns achievement–demand recommendations into university–enterprise pairs.</summary>
/// <remarks>
/// <para><b>Strength.</b> A recommendation's strength is the calibrated probability that the pair is a useful match
/// (<see cref="Ranking.StrengthCalibration"/>, carried by the engine's candidates). Only an engine without a
/// calibration maps scores here instead: with the reranker, the logistic of its score (0 ↦ 0.5); with BM25 alone,
/// the score divided by the event's best score. Soft-preference bonuses reorder a list but are not evidence.</para>
/// <para><b>Pair score.</b> For a university U and an enterprise E, take every recommendation of one of U's
/// achievements for one of E's demands (each achievement–demand pair once, at its strongest), sort by
/// strength s₁ ≥ s₂ ≥ … (strong matches only: each at least the strong-match threshold), and score
/// s₁ + ½s₂ + ¼s₃ + …: the best match counts fully, further ones add evidence with diminishing weight.</para>
/// <para><b>Acceptance.</b> The pair's model probability of an accepted meeting, p = 1 − Π(1 − qᵢ) over the same
/// evidence pairs, where qᵢ combines both directions: qᵢ = √(fᵢ·rᵢ), the geometric mean of the demand → achievement
/// strength fᵢ (the achievement in the demand's list) and the achievement → demand strength rᵢ (the demand in the
/// achievement's list), so a topic both sides' lists hold counts more than one only one side ranks. A direction whose
/// top k misses the pair counts as half the other direction's strength (qᵢ = s/√2); without achievement queries
/// (<c>--direction demands</c>) qᵢ = fᵢ. Stated choices are combined with p by the agenda (<c>PairValue</c>).</para>
/// </remarks>
internal static class PairAggregator
{
    /// <summary>Weight of each further evidence pair relative to the previous one.</summary>
    public const double Decay = 0.5;

    /// <summary>The strength of a score.</summary>
    /// <param name="score">A reranker or BM25 score.</param>
    /// <param name="reranked">Whether the score comes from the reranker.</param>
    /// <param name="bestBm25">The event's best BM25 score (BM25 only).</param>
    public static double Strength(double score, bool reranked, double bestBm25) =>
        reranked ? 1 / (1 + Math.Exp(-score)) : bestBm25 > 0 ? Math.Clamp(score / bestBm25, 0, 1) : 0;

    /// <summary>Strength bonus of a pair from the soft preferences.</summary>
    /// <param name="demand">The demand.</param>
    /// <param name="achievement">The achievement.</param>
    /// <param name="preferences">The bonuses.</param>
    /// <param name="hostRegion">The event's host region (province), or empty.</param>
    public static double Bonus(Demand demand, Achievement achievement, SoftPreferences preferences, string hostRegion)
    {
        var bonus = 0.0;
        var demandRegion = Metadata.Region(demand.Region);
        var achievementRegion = Metadata.Region(achievement.Region);
        if (demandRegion.Length > 0 && demandRegion == achievementRegion)
        {
            bonus += preferences.SameProvince;
        }

        if (hostRegion.Length > 0 && achievementRegion.Length > 0 && achievementRegion == Metadata.Region(hostRegion))
        {
            bonus += preferences.HostRegion;
        }

        return bonus;
    }

    /// <summary>Whether the hard filters allow recommending <paramref name="achievement"/> for <paramref name="demand"/>.</summary>
    public static bool Allows(Demand demand, Achievement achievement, HardFilters filters)
    {
        if (filters.MaturityAtLeastRequired)
        {
            var required = Metadata.MaturityLevel(demand.RequiredMaturity);
            var offered = Metadata.MaturityLevel(achievement.Maturity);
            if (required > 0 && offered > 0 && offered < required)
            {
                return false;
            }
        }

        if (filters.AllowedIpTypes.Count > 0 && achievement.IpType.Length > 0
            && !filters.AllowedIpTypes.Any(t => achievement.IpType.Contains(t, StringComparison.Ordinal)))
        {
            return false;
        }

        if (InsistsOnRegion(demand, filters))
        {
            var region = Metadata.Region(demand.Region);
            return region.Length == 0 || Metadata.Region(achievement.Region) == region;
        }

        return true;
    }

    private static readonly string[] s_insistColumns = ["限本地", "限定地区", "地区限定", "仅限本省", "region_required"];
    private static readonly string[] s_yes = ["是", "yes", "y", "true", "1", "限", "必须"];

    private static bool InsistsOnRegion(Demand demand, HardFilters filters) =>
        filters.SameRegionRequiredFor.Contains(demand.Id)
        || demand.Extra.Any(kv => s_insistColumns.Contains(kv.Key.Trim(), StringComparer.OrdinalIgnoreCase)
            && s_yes.Contains(kv.Value.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>Aggregates recommendations (demand → achievements, strengths already final) into pairs, best first.
    /// Only recommendations at or above <paramref name="minEvidence"/> (the strong-match threshold) are evidence: weak
    /// matches — typically on generic words — never add up to a pair or a meeting.</summary>
    /// <param name="recommendations">Every recommendation, either direction.</param>
    /// <param name="filters">The pair filters.</param>
    /// <param name="minEvidence">The strong-match threshold.</param>
    /// <param name="forward">Demand → achievement strengths keyed (demand id, achievement id); null: the merged strength.</param>
    /// <param name="reverse">Achievement → demand strengths keyed (demand id, achievement id); null: achievements were not queries.</param>
    public static IReadOnlyList<PairScore> Aggregate(
        IEnumerable<(Demand Demand, Achievement Achievement, int Rank, double Strength)> recommendations,
        PairFilters filters,
        double minEvidence = 0,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? forward = null,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? reverse = null)
    {
        var best = new Dictionary<(string, string), (Demand Demand, Achievement Achievement, int Rank, double Strength)>();
        foreach (var r in recommendations)
        {
            if (r.Strength < minEvidence)
            {
                continue;
            }

            if (filters.Regions.Count > 0 && !filters.Regions.Any(x => Metadata.Region(x) == Metadata.Region(r.Demand.Region)))
            {
                continue;
            }

            if (filters.Industries.Count > 0 && !filters.Industries.Contains(r.Demand.Industry))
            {
                continue;
            }

            var key = (r.Demand.Id, r.Achievement.Id);
            if (!best.TryGetValue(key, out var existing) || existing.Strength < r.Strength)
            {
                best[key] = r;
            }
        }

        return [.. best.Values
            .GroupBy(r => (University: OrganizationOf(r.Achievement), Enterprise: OrganizationOf(r.Demand)))
            .Select(g =>
            {
                var evidence = g
                    .OrderByDescending(r => r.Strength)
                    .ThenBy(r => r.Demand.Id, StringComparer.Ordinal)
                    .ThenBy(r => r.Achievement.Id, StringComparer.Ordinal)
                    .Select(r => new PairEvidence(r.Demand.Id, r.Demand.Title, r.Achievement.Id, r.Achievement.Title, r.Rank, Math.Round(r.Strength, 6)))
                    .ToList();
                var score = evidence.Select((e, i) => e.Strength * Math.Pow(Decay, i)).Sum();
                var miss = 1.0;
                foreach (var e in evidence)
                {
                    miss *= 1 - TwoWay(e, forward, reverse);
                }

                return new PairScore(g.Key.University, g.Key.Enterprise, Math.Round(score, 6), evidence) { Acceptance = Math.Round(1 - miss, 6) };
            })
            .Where(p => p.Score >= filters.MinPairScore)
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.University, StringComparer.Ordinal)
            .ThenBy(p => p.Enterprise, StringComparer.Ordinal)];
    }

    /// <summary>One evidence pair's two-way strength qᵢ (see the remarks).</summary>
    private static double TwoWay(
        PairEvidence e,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? forward,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? reverse)
    {
        if (forward is null)
        {
            return e.Strength;
        }

        var key = (e.DemandId, e.AchievementId);
        var hasForward = forward.TryGetValue(key, out var f);
        if (reverse is null)
        {
            return hasForward ? f : e.Strength;
        }

        var hasReverse = reverse.TryGetValue(key, out var r);
        return (hasForward, hasReverse) switch
        {
            (true, true) => Math.Sqrt(f * r),
            (true, false) => f / Math.Sqrt(2),
            (false, true) => r / Math.Sqrt(2),
            _ => e.Strength / Math.Sqrt(2),
        };
    }

    /// <summary>The organisation of a record, or a placeholder naming the record when none is stated.</summary>
    public static string OrganizationOf(Achievement a) => a.Organization.Length > 0 ? a.Organization : $"（未填写单位：{a.Id}）";

    /// <summary>The organisation of a demand, or a placeholder naming it when none is stated.</summary>
    public static string OrganizationOf(Demand d) => d.Organization.Length > 0 ? d.Organization : $"（未填写单位：{d.Id}）";
}
