using System.Globalization;
using System.Text.RegularExpressions;
using Matching.Text;

namespace Matching.Features;

/// <summary>Reads the free-text metadata analysts type (maturity, region, field) into comparable values.</summary>
internal static partial class Metadata
{
    /// <summary>Maturity words on the TRL 1–9 scale (技术就绪水平). Longest phrases are tried first.</summary>
    private static readonly (string Word, int Level)[] s_maturityWords =
    [
        ("实验室阶段", 3), ("实验室", 3), ("原理样机", 4), ("概念", 2), ("研发阶段", 3), ("小试", 4), ("样机", 5),
        ("中试", 6), ("工程化", 7), ("试生产", 7), ("小批量", 7), ("产业化", 8), ("批量生产", 8), ("量产", 8),
        ("规模化", 9), ("已推广", 9), ("成熟应用", 9), ("推广应用", 9),
    ];

    [GeneratedRegex(@"trl\s*[-:：]?\s*([1-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrlPattern();

    /// <summary>TRL 1–9 from text such as "TRL 6", "中试", "产业化阶段"; 0 when not understood.</summary>
    public static int MaturityLevel(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        var normalized = TextNormalizer.Default.Normalize(text);
        var trl = TrlPattern().Match(normalized);
        if (trl.Success)
        {
            return int.Parse(trl.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        foreach (var (word, level) in s_maturityWords.OrderByDescending(w => w.Word.Length))
        {
            if (normalized.Contains(word, StringComparison.Ordinal))
            {
                return level;
            }
        }

        return 0;
    }

    private static readonly string[] s_regionSuffixes = ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"];

    /// <summary>浙江省 → 浙江, 北京市 → 北京, 广西壮族自治区 → 广西; the first of several (浙江杭州 → 浙江杭州 stays).</summary>
    public static string Region(string text)
    {
        var normalized = TextNormalizer.Default.Normalize(text).Trim();
        foreach (var suffix in s_regionSuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal) && normalized.Length > suffix.Length)
            {
                return normalized[..^suffix.Length];
            }
        }

        return normalized;
    }

    /// <summary>Field ↔ industry compatibility: 1 same, 0.5 related, 0 unrelated, -1 when either is missing.</summary>
    public static float DomainCompatibility(string field, string industry)
    {
        if (field.Length == 0 || industry.Length == 0)
        {
            return -1f;
        }

        if (field == industry || field.Contains(industry, StringComparison.Ordinal) || industry.Contains(field, StringComparison.Ordinal))
        {
            return 1f;
        }

        var a = Group(field);
        var b = Group(industry);
        return a != 0 && a == b ? 0.5f : 0f;
    }

    // Coarse groups of related fields/industries, by a distinctive word.
    private static readonly (string Word, int Group)[] s_groups =
    [
        ("能源", 1), ("电池", 1), ("光伏", 1), ("储能", 1), ("氢", 1), ("电力", 1),
        ("制造", 2), ("装备", 2), ("机械", 2), ("机器人", 2), ("自动化", 2), ("汽车", 2), ("交通", 2),
        ("医", 3), ("药", 3), ("生物", 3), ("健康", 3),
        ("农", 4), ("林", 4), ("牧", 4), ("渔", 4), ("食品", 4),
        ("信息", 5), ("电子", 5), ("通信", 5), ("软件", 5), ("计算机", 5), ("人工智能", 5), ("数字", 5),
        ("材料", 6), ("化工", 6), ("冶金", 6),
        ("环保", 7), ("环境", 7), ("节能", 7), ("水利", 7), ("生态", 7),
    ];

    private static int Group(string domain)
    {
        foreach (var (word, group) in s_groups)
        {
            if (domain.Contains(word, StringComparison.Ordinal))
            {
                return group;
            }
        }

        return 0;
    }
}
