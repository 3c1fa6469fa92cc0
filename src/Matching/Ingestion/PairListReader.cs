using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Reads a university–enterprise pair list (<c>pairs.csv</c> as <c>match</c> writes it, or any CSV
/// with university, enterprise and score columns) as meeting requests for <c>matching agenda</c>.</summary>
public static class PairListReader
{
    private static readonly string[] s_university = ["university", "高校", "大学", "成果单位", "完成单位"];
    private static readonly string[] s_enterprise = ["enterprise", "企业", "需求单位"];
    private static readonly string[] s_score = ["score", "得分", "分数", "配对得分"];

    /// <summary>Reads the requests in file order.</summary>
    /// <exception cref="InputFormatException">A missing column, an empty name, a score that is not a finite number ≥ 0.</exception>
    public static IReadOnlyList<MeetingRequest> Read(string path)
    {
        var requests = new List<MeetingRequest>();
        foreach (var (line, values) in NamedColumnCsv.Read(path, ("university", s_university), ("enterprise", s_enterprise), ("score", s_score)))
        {
            var (university, enterprise, score) = (values[0], values[1], values[2]);
            if (university.Length == 0)
            {
                throw new InputFormatException(path, line, "university", "empty");
            }

            if (enterprise.Length == 0)
            {
                throw new InputFormatException(path, line, "enterprise", "empty");
            }

            if (!double.TryParse(score, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
            {
                throw new InputFormatException(path, line, "score", "not a number ≥ 0", score);
            }

            requests.Add(new MeetingRequest(university, enterprise, value));
        }

        return requests;
    }
}
