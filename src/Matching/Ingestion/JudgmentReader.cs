using System.Globalization;

namespace Matching.Ingestion;

/// <summary>One relevance judgment: how well an achievement answers a demand, as an analyst graded it.</summary>
/// <param name="DemandId">The demand's id.</param>
/// <param name="AchievementId">The achievement's id.</param>
/// <param name="Grade">The relevance grade; 0 or below is not relevant, higher is more relevant.</param>
public sealed record Judgment(string DemandId, string AchievementId, int Grade);

/// <summary>Reads relevance judgments in TREC qrels format: <c>demand_id 0 achievement_id grade</c> per line,
/// separated by spaces or tabs. Blank lines are ignored; the second column is not used.</summary>
public static class JudgmentReader
{
    /// <summary>Reads every judgment in <paramref name="path"/>, in file order.</summary>
    /// <param name="path">The qrels file. Messages name it exactly as given.</param>
    /// <exception cref="InputFormatException">A line has the wrong number of columns or a grade that is not an integer,
    /// a demand–achievement pair is judged twice, or the file holds no judgment.</exception>
    public static IReadOnlyList<Judgment> Read(string path)
    {
        var judgments = new List<Judgment>();
        var firstLine = new Dictionary<(string, string), int>();
        foreach (var (line, columns) in TrecLines.Read(path, "demand_id 0 achievement_id grade", 4, 4))
        {
            if (!int.TryParse(columns[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var grade))
            {
                throw new InputFormatException(path, line, "grade", "not an integer", columns[3]);
            }

            if (!firstLine.TryAdd((columns[0], columns[2]), line))
            {
                throw new InputFormatException(path, line, "achievement_id",
                    $"judged twice for demand '{columns[0]}' (first at line {firstLine[(columns[0], columns[2])]})", columns[2]);
            }

            judgments.Add(new Judgment(columns[0], columns[2], grade));
        }

        if (judgments.Count == 0)
        {
            throw new InputFormatException(path, 0, null, "empty file: no judgments");
        }

        return judgments;
    }
}
