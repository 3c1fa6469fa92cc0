using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Matching.Retrieval;

namespace Matching.Reporting;

/// <summary>Writes a batch run's tables: <c>demand_matches.csv</c>, <c>achievement_matches.csv</c> and
/// <c>run.trec</c>, all or nothing.</summary>
internal static class MatchOutputWriter
{
    /// <summary>Recommendations per demand.</summary>
    public const string DemandMatchesFile = "demand_matches.csv";

    /// <summary>Recommendations per achievement.</summary>
    public const string AchievementMatchesFile = "achievement_matches.csv";

    /// <summary>The demand → achievement ranking as a TREC run.</summary>
    public const string RunFile = "run.trec";

    /// <summary>The tag in the last column of run files.</summary>
    public const string RunTag = "matching-bm25";

    /// <summary>The run tag when a reranker ordered the results.</summary>
    public const string RerankedRunTag = "matching-reranked";

    /// <summary>Writes the three files into <paramref name="outDirectory"/> (temporary names, then renamed
    /// together) and returns their full paths. Titles and organisations come from the dictionaries.</summary>
    public static IReadOnlyList<string> Write(
        string outDirectory,
        BatchMatches matches,
        IReadOnlyDictionary<string, Achievement> achievements,
        IReadOnlyDictionary<string, Demand> demands,
        string runTag = RunTag)
    {
        using var output = new AtomicOutput(outDirectory);
        var files = WriteTables(output, matches, achievements, demands, runTag, strengths: null, keys: null);
        output.Commit();
        return files;
    }

    /// <summary>Writes the three tables into an open atomic output (committed by the caller).</summary>
    internal static IReadOnlyList<string> WriteTables(
        AtomicOutput output,
        BatchMatches matches,
        IReadOnlyDictionary<string, Achievement> achievements,
        IReadOnlyDictionary<string, Demand> demands,
        string runTag,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? strengths,
        IReadOnlyDictionary<(string DemandId, string AchievementId), double>? keys,
        bool achievementTable = true)
    {
        string[] header = ["demand_id", "rank", "achievement_id", "score", "matched_terms", "demand_title", "achievement_title", "achievement_organization"];
        output.WriteText(DemandMatchesFile, writer => CsvTable.Write(writer,
            strengths is null ? header : [.. header, "strength"],
            matches.ByDemand.SelectMany(q => q.Candidates.Select(c =>
            {
                string[] row =
                [
                    q.QueryId, CsvTable.Int(c.Rank), c.Id, CsvTable.Score(c.Score), string.Join("; ", c.MatchedTerms),
                    demands.GetValueOrDefault(q.QueryId)?.Title ?? "",
                    achievements.GetValueOrDefault(c.Id)?.Title ?? "",
                    achievements.GetValueOrDefault(c.Id)?.Organization ?? "",
                ];
                return strengths is null ? row : [.. row, CsvTable.Score(strengths.GetValueOrDefault((q.QueryId, c.Id)))];
            }))));
        if (achievementTable)
        {
            output.WriteText(AchievementMatchesFile, writer => CsvTable.Write(writer,
                ["achievement_id", "rank", "demand_id", "score", "matched_terms", "achievement_title", "demand_title", "demand_organization"],
            matches.ByAchievement.SelectMany(q => q.Candidates.Select(c => new[]
            {
                q.QueryId, CsvTable.Int(c.Rank), c.Id, CsvTable.Score(c.Score), string.Join("; ", c.MatchedTerms),
                achievements.GetValueOrDefault(q.QueryId)?.Title ?? "",
                demands.GetValueOrDefault(c.Id)?.Title ?? "",
                demands.GetValueOrDefault(c.Id)?.Organization ?? "",
            }))));
        }

        // The run's score is the key the lists were ranked by: strength plus bonus when there is one, else the score.
        output.WriteText(RunFile, writer => TrecRun.Write(writer, matches.ByDemand, runTag,
            strengths is null ? null : (query, candidate) =>
                keys is not null && keys.TryGetValue((query, candidate.Id), out var key) ? key : strengths[(query, candidate.Id)]));
        return achievementTable
            ? [Path.Combine(output.Directory, DemandMatchesFile), Path.Combine(output.Directory, AchievementMatchesFile), Path.Combine(output.Directory, RunFile)]
            : [Path.Combine(output.Directory, DemandMatchesFile), Path.Combine(output.Directory, RunFile)];
    }

    /// <summary>Writes a TREC run file atomically (temporary name, then rename).</summary>
    public static void WriteRun(string path, IEnumerable<QueryMatches> matches, string tag = RunTag)
    {
        var full = Path.GetFullPath(path);
        using var output = new AtomicOutput(Path.GetDirectoryName(full)!);
        output.WriteText(Path.GetFileName(full), writer => TrecRun.Write(writer, matches, tag));
        output.Commit();
    }
}

/// <summary>TREC run files: <c>query_id Q0 doc_id rank score tag</c>, whose score column is the ranking key.</summary>
/// <remarks>trec_eval ignores the rank column: it re-sorts each query by score (descending; equal scores by doc id,
/// descending), so the written score must reproduce the product's order on its own. Each score is the key the list was
/// ranked by (the strength in a match run, the model's score or the BM25 score in an evaluation run), written with
/// as many digits as it takes to read the same number back (a single-precision key as the shortest text of that
/// float, any other as the shortest of the double). When a key does not read back strictly below the score written
/// just above it — tied keys, ranked by id or list order — it is written as the next double below that score
/// (<see cref="Math.BitDecrement"/>: one unit in the last place, about 1e-16 relative), so scores strictly decrease
/// with rank and trec_eval's order is the rank column's. The columns are separated by spaces, so an id holding whitespace or a control character (a line break in a
/// quoted CSV cell) is written with each of those replaced by <c>_</c>: one line per entry, six columns, whatever the
/// ids hold. Such ids cannot be judged in a qrels file either.</remarks>
internal static class TrecRun
{
    private static readonly System.Buffers.SearchValues<char> s_separators = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => char.IsWhiteSpace(c) || char.IsControl(c))]);

    /// <summary>The id as a run file can hold it.</summary>
    internal static string Id(string id)
    {
        if (!id.AsSpan().ContainsAny(s_separators))
        {
            return id;
        }

        return string.Create(id.Length, id, (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                chars[i] = char.IsWhiteSpace(source[i]) || char.IsControl(source[i]) ? '_' : source[i];
            }
        });
    }

    /// <summary>Writes the run; each query's candidates in rank order, scored by <paramref name="key"/> (default: the
    /// candidate's score).</summary>
    /// <summary>The text of a ranking key that reads back strictly below <paramref name="previous"/> (the value the
    /// entry above was read back as), which it then becomes.</summary>
    internal static string Score(double key, ref double previous)
    {
        var text = (double)(float)key == key
            ? ((float)key).ToString("R", CultureInfo.InvariantCulture)
            : key.ToString("R", CultureInfo.InvariantCulture);
        var value = double.Parse(text, CultureInfo.InvariantCulture);
        if (!(value < previous))
        {
            value = Math.BitDecrement(previous);
            text = value.ToString("R", CultureInfo.InvariantCulture);
        }

        previous = value;
        return text;
    }

    public static void Write(TextWriter writer, IEnumerable<QueryMatches> matches, string tag, Func<string, Candidate, double>? key = null)
    {
        foreach (var query in matches)
        {
            var previous = double.PositiveInfinity;
            foreach (var candidate in query.Candidates)
            {
                writer.Write(Id(query.QueryId));
                writer.Write(" Q0 ");
                writer.Write(Id(candidate.Id));
                writer.Write(' ');
                writer.Write(candidate.Rank.ToString(CultureInfo.InvariantCulture));
                writer.Write(' ');
                writer.Write(Score(key is null ? candidate.Score : key(query.QueryId, candidate), ref previous));
                writer.Write(' ');
                writer.Write(tag);
                writer.Write('\n');
            }
        }
    }
}
