using System.Globalization;

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
        var judgments = new List<Judgment>();
        var seen = new Dictionary<(string, string), int>();
        foreach (var (line, values) in NamedColumnCsv.Read(path, ("demand_id", s_demand), ("achievement_id", s_achievement), ("outcome", s_outcome)))
        {
            var (demand, achievement, outcome) = (values[0], values[1], values[2]);
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
}
