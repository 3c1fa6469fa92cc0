using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Reads a university–enterprise pair list (<c>pairs.csv</c> as <c>match</c> writes it, or any CSV
/// with university, enterprise and score columns) as meeting requests for <c>matching agenda</c>.</summary>
public static class PairListReader
{
    private static readonly string[] s_university = ["university", "高校", "大学", "成果单位", "完成单位"];
    private static readonly string[] s_enterprise = ["enterprise", "企业", "需求单位"];
    private static readonly string[] s_score = ["score", "得分", "分数", "配对得分"];
    private static readonly string[] s_acceptance = ["p_accept", "paccept", "acceptance", "接受概率"];
    private static readonly string[] s_evidence = ["evidence", "依据"];

    /// <summary>Reads the requests in file order. The optional <c>p_accept</c> column (written by <c>match</c>) gives each
    /// request its <see cref="MeetingRequest.Acceptance"/>; without it the agenda plans by score.</summary>
    /// <exception cref="InputFormatException">A missing column, an empty name, a score that is not a finite number ≥ 0,
    /// a p_accept outside 0–1.</exception>
    public static IReadOnlyList<MeetingRequest> Read(string path) => ReadWithIds(path).Requests;

    /// <summary>Reads the requests and, from the optional <c>evidence</c> column (<c>D1→A1 0.9; …</c>), which organisation
    /// each demand id (the enterprise) and achievement id (the university) belongs to, so that a preferences file may
    /// name counterparts by id.</summary>
    /// <exception cref="InputFormatException">As <see cref="Read"/>.</exception>
    public static (IReadOnlyList<MeetingRequest> Requests, EventDirectory Directory) ReadWithIds(string path)
    {
        var requests = new List<MeetingRequest>();
        var demands = new Dictionary<string, string>(StringComparer.Ordinal);
        var achievements = new Dictionary<string, string>(StringComparer.Ordinal);
        var organizations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, values) in NamedColumnCsv.Read(path, 3, ("university", s_university), ("enterprise", s_enterprise), ("score", s_score), ("p_accept", s_acceptance), ("evidence", s_evidence)))
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

            double? acceptance = null;
            if (values[3].Length > 0)
            {
                acceptance = double.TryParse(values[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 1
                    ? p
                    : throw new InputFormatException(path, line, "p_accept", "not a number between 0 and 1", values[3]);
            }

            requests.Add(new MeetingRequest(university, enterprise, value) { Acceptance = acceptance });
            organizations.Add(university);
            organizations.Add(enterprise);
            foreach (var item in values[4].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var ids = item.Split(' ')[0].Split('→');
                if (ids.Length == 2 && ids[0].Length > 0 && ids[1].Length > 0)
                {
                    demands.TryAdd(ids[0], enterprise);
                    achievements.TryAdd(ids[1], university);
                }
            }
        }

        return (requests, new EventDirectory(organizations, demands, achievements));
    }
}
