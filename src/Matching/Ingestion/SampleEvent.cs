
namespace Matching.Ingestion;

/// <summary>The illustrative sample event shipped with Matching (invented records: 120 achievements from 40
/// universities, 60 demands from 58 enterprises, 8 industries, some in Traditional script).</summary>
public static class SampleEvent
{
    /// <summary>The folder holding the sample files.</summary>
    public static string Directory => ResourceLocator.PathOf("sample");

    /// <summary>Achievements as CSV with the Chinese headers analysts use.</summary>
    public static string AchievementsCsv => ResourceLocator.PathOf("sample", "achievements.csv");

    /// <summary>The same achievements as an XLSX workbook.</summary>
    public static string AchievementsXlsx => ResourceLocator.PathOf("sample", "achievements.xlsx");

    /// <summary>Demands as CSV with the Chinese headers analysts use.</summary>
    public static string DemandsCsv => ResourceLocator.PathOf("sample", "demands.csv");
}
