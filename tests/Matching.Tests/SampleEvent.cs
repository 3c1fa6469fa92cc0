using Matching.Ingestion;

namespace Matching.Tests;

/// <summary>The embedded sample event (120 achievements, 60 demands) and its hand-checked best pairs.</summary>
internal static class SampleEvent
{
    private static readonly Lazy<IReadOnlyList<Achievement>> s_achievements = new(() =>
        RecordReader.ReadAchievements(Matching.Ingestion.SampleEvent.AchievementsCsv).Records);

    private static readonly Lazy<IReadOnlyList<Demand>> s_demands = new(() =>
        RecordReader.ReadDemands(Matching.Ingestion.SampleEvent.DemandsCsv).Records);

    public static IReadOnlyList<Achievement> Achievements => s_achievements.Value;

    public static IReadOnlyList<Demand> Demands => s_demands.Value;

    /// <summary>Demand → the achievement that obviously answers it (grade 1 judgments): every demand of the sample but
    /// D029, which two achievements answer (see MatchCommandTests in Matching.Cli.Tests).</summary>
    public static IReadOnlyList<Judgment> BestPairs { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample", "expected_top1.tsv"))
        .Select(line => line.Split('\t'))
        .Select(parts => new Judgment(parts[0], parts[1], 1))
        .ToList();
}
