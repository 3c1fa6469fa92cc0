using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Matching.Ingestion;

namespace Matching.Tests.Reliability;

/// <summary>Valid inputs with real Chinese content that the fuzzer starts from: the first rows of the sample event
/// (abstracts shortened so each case stays small), plus a row with quoted commas, doubled quotes and a line break,
/// and small files of every other format the readers take.</summary>
internal static class FuzzSeeds
{
    public static readonly string[] AchievementKeys = ["id", "title", "abstract", "keywords", "organization", "field", "region", "maturity", "ipType"];

    public static readonly string[] DemandKeys = ["id", "title", "description", "keywords", "organization", "industry", "region", "budget", "requiredMaturity"];

    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string[][] AchievementRows { get; } = Rows(global::Matching.Ingestion.SampleEvent.AchievementsCsv,
        ["A901", "一种\"卡脖子\"材料的制备方法, 含逗号", "第一行，含英文逗号, 和\"引号\"\n第二行：循环寿命提高30%。", "锂电池；正极材料、储能", "浙江大学", "新材料", "浙江省", "TRL 6", "发明专利"]);

    public static string[][] DemandRows { get; } = Rows(global::Matching.Ingestion.SampleEvent.DemandsCsv,
        ["D901", "动力电池\"快充\"技术, 15分钟", "希望将快充时间缩短到15分钟以内。\n预算可议, 合作开发。", "快充;动力电池", "宁德某电池有限公司", "新能源汽车", "福建省", "200万元", "中试"]);

    public static string Qrels =>
        string.Join("\n", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample", "expected_top1.tsv"))
            .Take(8).Select((line, i) => $"{line.Split('\t')[0]} 0 {line.Split('\t')[1]} {i % 3}"))
        + "\n需求D901\t0\t成果A901\t2\nD001 0 A119 0\n";

    public static string Run =>
        string.Join("\n", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample", "expected_top1.tsv"))
            .Take(8).Select((line, i) => $"{line.Split('\t')[0]} Q0 {line.Split('\t')[1]} {(i % 3) + 1} {12.5 - i:0.000000} matching-bm25"))
        + "\n需求D901\tQ0\t成果A901\t1\t-0.25\nD001 Q0 A119 2 1e-3\n";

    public const string Options = """
        {
          // 对接会规则
          "title": "2026 长三角政产学研对接会",
          "hostRegion": "浙江",
          "strongMatch": 0.5,
          "hardFilters": { "maturityAtLeastRequired": true, "allowedIpTypes": ["发明专利", "实用新型"], "sameRegionRequiredFor": ["D012"] },
          "softPreferences": { "sameProvince": 0.05, "hostRegion": 0.03 },
          "filters": { "regions": ["浙江", "江苏"], "industries": [], "minPairScore": 0.5 },
          "agenda": { "slots": 8, "tables": 20, "defaultCapacity": 4 },
        }
        """;

    public const string Outcomes = "需求编号,成果编号,结果,原因\n"
        + "D001,A001,签约,\"现场签约，金额\"\"500万\"\", 分两期\"\n"
        + "D002,A018,立项,\n"
        + "D003,A003,met,\"需要\n进一步洽谈\"\n"
        + "D004,A004,未达成,预算不足\n";

    public const string Capacities = "organization,capacity,unavailable_slots\n"
        + "中南大学,3,1;2\n"
        + "宁波甬锂新材料科技有限公司,2,\n"
        + "\"Acme, Inc.\",6,\" 1 ; 1 \"\n"
        + "國立臺灣大學,２,2、5，７\n";

    public const string Pairs = "rank,university,enterprise,score,evidence_count,evidence\n"
        + "1,中南大学,宁波甬锂新材料科技有限公司,1.499955,2,D001→A001 0.999910; D001→A005 0.999000\n"
        + "2,清华大学,赣州锦源新能源材料有限公司,0.950000,1,\"D002→A002 0.950000\"\n"
        + "3,\"华南理工大学, 广州\",常州储瑞能源科技有限公司,0.700000,1,D003→A003 0.700000\n";

    public static string Table(string[][] rows, char delimiter) =>
        string.Join("\n", rows.Select(row => string.Join(delimiter, row.Select(cell => Quote(cell, delimiter))))) + "\n";

    public static string Jsonl(string[][] rows, string[] keys) =>
        string.Join("\n", rows.Skip(1).Select(row => JsonSerializer.Serialize(Object(row, keys), s_json))) + "\n";

    public static Dictionary<string, object> Object(string[] row, string[] keys)
    {
        var record = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Length && i < row.Length; i++)
        {
            record[keys[i]] = keys[i] == "keywords" ? row[i].Split('；', '、', ';') : row[i];
        }

        return record;
    }

    public static string Quote(string cell, char delimiter) =>
        cell.Contains(delimiter) || cell.Contains('"') || cell.Contains('\n') || cell.Contains('\r')
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;

    public static byte[] Utf8(string text, bool bom = false) =>
        bom ? [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);

    private static string[][] Rows(string path, string[] extra)
    {
        var lines = File.ReadLines(path).Take(6).ToList();
        var rows = lines.Select(line => line.TrimStart('\uFEFF').Split(',')).ToList();
        foreach (var row in rows.Skip(1))
        {
            // Keep a real abstract's first sentences: enough Chinese, English terms and numbers, small cases.
            row[2] = row[2].Length > 90 ? row[2][..90] : row[2];
        }

        rows.Insert(3, extra);
        return [.. rows];
    }
}
