using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Matching.Ingestion;
using Matching.Scheduling;

namespace Matching.Aggregation;

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
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
        try
        {
            if (!csv.Read() || !csv.ReadHeader())
            {
                throw new InputFormatException(path, 0, null, "empty file: no header row");
            }

            var header = csv.HeaderRecord ?? [];
            var university = Column(path, header, s_university, "university");
            var enterprise = Column(path, header, s_enterprise, "enterprise");
            var score = Column(path, header, s_score, "score");
            var requests = new List<MeetingRequest>();
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                var u = (csv.GetField(university) ?? "").Trim();
                var e = (csv.GetField(enterprise) ?? "").Trim();
                var s = (csv.GetField(score) ?? "").Trim();
                if (u.Length == 0 && e.Length == 0 && s.Length == 0)
                {
                    continue;
                }

                if (u.Length == 0)
                {
                    throw new InputFormatException(path, line, "university", "empty");
                }

                if (e.Length == 0)
                {
                    throw new InputFormatException(path, line, "enterprise", "empty");
                }

                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
                {
                    throw new InputFormatException(path, line, "score", "not a number ≥ 0", s);
                }

                requests.Add(new MeetingRequest(u, e, value));
            }

            return requests;
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
            if (names.Contains(header[i].Trim().ToLowerInvariant()))
            {
                return i;
            }
        }

        throw new InputFormatException(path, 1, field, $"no {field} column; headers seen: {HeaderName.Seen(header)}");
    }
}
