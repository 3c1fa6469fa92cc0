using Matching.Aggregation;
using Matching.Features;
using Matching.Retrieval;

namespace Matching.Reporting;

/// <summary>Builds the report's headline numbers and coverage tables.</summary>
internal static class ReportSummaries
{
    /// <summary>Counts, and per industry and region how many demands have a strong match (best strength ≥ <paramref name="strong"/>).</summary>
    public static ReportSummary Of(
        IReadOnlyList<Demand> demands,
        IReadOnlyList<Achievement> achievements,
        IReadOnlyList<QueryMatches> matches,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double> strengths,
        double strong)
    {
        var hasStrong = matches.ToDictionary(
            q => q.QueryId,
            q => q.Candidates.Any(c => strengths[(q.QueryId, c.Id)] >= strong),
            StringComparer.Ordinal);

        List<CoverageRow> Coverage(Func<Demand, string> key) => [.. demands
            .GroupBy(d => key(d) is { Length: > 0 } k ? k : "未填写")
            .Select(g => new CoverageRow(g.Key, g.Count(), g.Count(d => hasStrong[d.Id])))
            .OrderByDescending(r => r.Demands)
            .ThenBy(r => r.Name, StringComparer.Ordinal)];

        return new ReportSummary(
            achievements.Count,
            demands.Count,
            achievements.Select(PairAggregator.OrganizationOf).Distinct().Count(),
            demands.Select(PairAggregator.OrganizationOf).Distinct().Count(),
            hasStrong.Values.Count(x => x),
            strong,
            Coverage(d => d.Industry),
            Coverage(d => Metadata.Region(d.Region)));
    }

    /// <summary>The "needs manual matching" lists: demands and achievements without a recommendation at or above
    /// <paramref name="strong"/>, each with its best weak candidate.</summary>
    /// <param name="demands">Demands, in input order.</param>
    /// <param name="achievements">Achievements, in input order.</param>
    /// <param name="evidence">Every recommendation both ways as (demand, achievement, strength).</param>
    /// <param name="strong">The strong-match threshold.</param>
    /// <param name="achievementsChecked">Whether achievements were run as queries.</param>
    public static ManualMatching Unmatched(
        IReadOnlyList<Demand> demands,
        IReadOnlyList<Achievement> achievements,
        IEnumerable<(Demand Demand, Achievement Achievement, int Rank, double Strength)> evidence,
        double strong,
        bool achievementsChecked)
    {
        var bestForDemand = new Dictionary<string, (Achievement Achievement, double Strength)>(StringComparer.Ordinal);
        var bestForAchievement = new Dictionary<string, (Demand Demand, double Strength)>(StringComparer.Ordinal);
        foreach (var (demand, achievement, _, strength) in evidence)
        {
            if (!bestForDemand.TryGetValue(demand.Id, out var d) || strength > d.Strength
                || (strength == d.Strength && string.CompareOrdinal(achievement.Id, d.Achievement.Id) < 0))
            {
                bestForDemand[demand.Id] = (achievement, strength);
            }

            if (!bestForAchievement.TryGetValue(achievement.Id, out var a) || strength > a.Strength
                || (strength == a.Strength && string.CompareOrdinal(demand.Id, a.Demand.Id) < 0))
            {
                bestForAchievement[achievement.Id] = (demand, strength);
            }
        }

        List<UnmatchedRecord> unmatchedDemands = [.. demands
                .Select(d => bestForDemand.TryGetValue(d.Id, out var best)
                    ? new UnmatchedRecord(d.Id, d.Title, d.Organization, best.Achievement.Id, best.Achievement.Title, Math.Round(best.Strength, 6))
                    : new UnmatchedRecord(d.Id, d.Title, d.Organization, "", "", 0))
                .Where(u => u.BestId.Length == 0 || u.BestStrength < strong)];
        List<UnmatchedRecord> unmatchedAchievements = [.. achievements
                .Select(a => bestForAchievement.TryGetValue(a.Id, out var best)
                    ? new UnmatchedRecord(a.Id, a.Title, a.Organization, best.Demand.Id, best.Demand.Title, Math.Round(best.Strength, 6))
                    : new UnmatchedRecord(a.Id, a.Title, a.Organization, "", "", 0))
                .Where(u => u.BestId.Length == 0 || u.BestStrength < strong)];
        return new ManualMatching(strong, unmatchedDemands, unmatchedAchievements, achievementsChecked, unmatchedDemands.Count, unmatchedAchievements.Count);
    }
}
