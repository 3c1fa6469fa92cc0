using System.Globalization;

namespace Matching.Ingestion;

/// <summary>One line of a ranked result list in TREC run format.</summary>
/// <param name="DemandId">The demand (query) id.</param>
/// <param name="AchievementId">The achievement (document) id.</param>
/// <param name="Rank">The rank the system gave, 1 for the best.</param>
/// <param name="Score">The system's score; higher is better.</param>
public sealed record RunEntry(string DemandId, string AchievementId, int Rank, double Score);

/// <summary>Reads ranked results in TREC run format: <c>demand_id Q0 achievement_id rank score tag</c> per line,
/// separated by spaces or tabs. Blank lines are ignored; the Q0 and tag columns are not used, and the tag may be missing.</summary>
public static class RunReader
{
    /// <summary>Reads every entry in <paramref name="path"/>, in file order; an empty file is an empty run.</summary>
    /// <param name="path">The run file. Messages name it exactly as given.</param>
    /// <exception cref="InputFormatException">A line has the wrong number of columns, a rank that is not a positive
    /// integer or a score that is not a finite number, or an achievement is listed twice for one demand.</exception>
    public static IReadOnlyList<RunEntry> Read(string path)
    {
        var entries = new List<RunEntry>();
        var firstLine = new Dictionary<(string, string), int>();
        foreach (var (line, columns) in TrecLines.Read(path, "demand_id Q0 achievement_id rank score tag", 5, 6))
        {
            if (!int.TryParse(columns[3], NumberStyles.None, CultureInfo.InvariantCulture, out var rank) || rank < 1)
            {
                throw new InputFormatException(path, line, "rank", "not a positive integer", columns[3]);
            }

            if (!double.TryParse(columns[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
            {
                throw new InputFormatException(path, line, "score", "not a finite number", columns[4]);
            }

            if (!firstLine.TryAdd((columns[0], columns[2]), line))
            {
                throw new InputFormatException(path, line, "achievement_id",
                    $"listed twice for demand '{columns[0]}' (first at line {firstLine[(columns[0], columns[2])]})", columns[2]);
            }

            entries.Add(new RunEntry(columns[0], columns[2], rank, score));
        }

        return entries;
    }
}
