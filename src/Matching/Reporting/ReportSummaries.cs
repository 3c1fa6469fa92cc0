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
            q => q.Candidates.Count > 0 && strengths[(q.QueryId, q.Candidates[0].Id)] >= strong,
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
}
