using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Matching.Ingestion;

/// <summary>Reads what happened at an event — one row per demand–achievement pair that met — as graded
/// judgments for <c>matching train</c>: signed 3, project 2, met 1, declined 0.</summary>
/// <remarks>CSV (UTF-8) with a header: <c>demand_id,achievement_id,outcome,reason</c>, or the Chinese
/// 需求编号, 成果编号, 结果 (or 对接结果), 原因 (or 备注). Outcomes may be written in English or Chinese:
/// signed/签约/已签约, project/立项/项目合作, met/洽谈/已对接/会谈, declined/未达成/拒绝/放弃.</remarks>
public static class OutcomeReader
{
    private static readonly Dictionary<string, int> s_grades = new(StringComparer.OrdinalIgnoreCase)
    {
        ["signed"] = 3, ["签约"] = 3, ["已签约"] = 3, ["签约落地"] = 3,
        ["project"] = 2, ["立项"] = 2, ["项目"] = 2, ["项目合作"] = 2, ["合作研发"] = 2,
        ["met"] = 1, ["洽谈"] = 1, ["已洽谈"] = 1, ["已对接"] = 1, ["会谈"] = 1, ["对接"] = 1,
        ["declined"] = 0, ["未达成"] = 0, ["拒绝"] = 0, ["放弃"] = 0, ["无意向"] = 0,
    };

    private static readonly string[] s_demand = ["demand_id", "demandid", "需求编号", "需求id"];
    private static readonly string[] s_achievement = ["achievement_id", "achievementid", "成果编号", "成果id"];
    private static readonly string[] s_outcome = ["outcome", "结果", "对接结果"];

    /// <summary>The grade of an outcome word, or null when it is not one.</summary>
    public static int? GradeOf(string outcome) => s_grades.TryGetValue(outcome.Trim(), out var grade) ? grade : null;

    /// <summary>Reads the outcomes as judgments, in file order.</summary>
    /// <exception cref="InputFormatException">Missing column, empty id, unknown outcome, a pair twice, or no rows.</exception>
    public static IReadOnlyList<Judgment> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, "file not found");
        }

        // Decoded as the record files are: UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030/GBK, with undecodable
        // bytes reported by line before parsing starts.
        var choice = TextEncodings.Choose(path, requested: null);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, null, invalid.Problem);
        }

        using var reader = TextEncodings.OpenReader(path, choice);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = false,
            BadDataFound = null,
            MissingFieldFound = null,
        });

        try
        {
            if (!csv.Read() || !csv.ReadHeader())
            {
                throw new InputFormatException(path, 0, null, "empty file: no header row");
            }

            var header = csv.HeaderRecord ?? [];
            var demandColumn = Column(path, header, s_demand, "demand_id");
            var achievementColumn = Column(path, header, s_achievement, "achievement_id");
            var outcomeColumn = Column(path, header, s_outcome, "outcome");
            var judgments = new List<Judgment>();
            var seen = new Dictionary<(string, string), int>();
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                var demand = (csv.GetField(demandColumn) ?? "").Trim();
                var achievement = (csv.GetField(achievementColumn) ?? "").Trim();
                var outcome = (csv.GetField(outcomeColumn) ?? "").Trim();
                if (demand.Length == 0 && achievement.Length == 0 && outcome.Length == 0)
                {
                    continue;
                }

                if (demand.Length == 0)
                {
                    throw new InputFormatException(path, line, "demand_id", "missing id");
                }

                if (achievement.Length == 0)
                {
                    throw new InputFormatException(path, line, "achievement_id", "missing id");
                }

                var grade = GradeOf(outcome) ?? throw new InputFormatException(path, line, "outcome",
                    "unknown outcome (use signed/签约, project/立项, met/洽谈, declined/未达成)", outcome);
                if (!seen.TryAdd((demand, achievement), line))
                {
                    throw new InputFormatException(path, line, "achievement_id",
                        $"pair listed twice (first at line {seen[(demand, achievement)]})", achievement);
                }

                judgments.Add(new Judgment(demand, achievement, grade));
            }

            if (judgments.Count == 0)
            {
                throw new InputFormatException(path, 0, null, "no outcomes: the file has a header but no rows");
            }

            return judgments;
        }
        catch (Exception e) when (e is CsvHelperException or System.Text.DecoderFallbackException)
        {
            throw new InputFormatException(path, csv.Parser.RawRow, null, $"not a readable CSV ({e.GetType().Name})", inner: e);
        }
    }

    private static int Column(string path, string[] header, string[] names, string field)
    {
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            if (names.Contains(name))
            {
                return i;
            }
        }

        throw new InputFormatException(path, 1, field, $"no {field} column; headers seen: {HeaderName.Seen(header)}");
    }
}
