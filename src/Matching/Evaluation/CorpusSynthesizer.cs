using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Matching.Evaluation;

/// <summary>Generates large, realistic-looking corpora for measuring speed and memory: achievements and demands
/// recombined from the sentences, titles and keywords of a real source corpus, so that term statistics
/// (vocabulary, lengths, idf) look like real abstracts. Deterministic for a seed.</summary>
public static class CorpusSynthesizer
{
    private static readonly string[] s_regions =
    [
        "北京市", "上海市", "天津市", "重庆市", "浙江省", "江苏省", "广东省", "山东省", "湖北省", "湖南省", "四川省", "陕西省",
        "安徽省", "福建省", "河南省", "河北省", "辽宁省", "吉林省", "黑龙江省", "江西省", "云南省", "贵州省", "广西壮族自治区", "内蒙古自治区",
    ];

    private static readonly string[] s_industries = ["新能源", "先进制造", "生物医药", "现代农业", "新一代信息技术", "新材料", "节能环保", "汽车"];
    private static readonly string[] s_maturity = ["实验室阶段", "小试", "中试", "产业化", "TRL 5", "TRL 7"];
    private static readonly string[] s_ipTypes = ["发明专利", "实用新型专利", "软件著作权", "技术秘密"];
    private static readonly string[] s_demandOpenings = ["我公司", "本企业", "我单位", "公司目前"];
    private static readonly string[] s_demandAsks =
    [
        "希望与高校合作开发相关技术，实现产业化应用。", "寻求成熟技术转让或联合攻关。", "拟委托研发，预算可面议。", "希望引进相关成果并开展中试验证。",
    ];

    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="achievementCount"/> achievements and <paramref name="demandCount"/> demands as
    /// JSONL (Matching's dataset format), streaming: memory holds only the source's sentences.</summary>
    /// <param name="source">Records to draw sentences, titles and keywords from (at least one with text).</param>
    /// <param name="achievementCount">Achievements to write.</param>
    /// <param name="demandCount">Demands to write.</param>
    /// <param name="seed">The same seed and source give byte-identical files.</param>
    /// <param name="achievements">Where the achievements go.</param>
    /// <param name="demands">Where the demands go.</param>
    public static void Generate(IReadOnlyList<Achievement> source, int achievementCount, int demandCount, int seed, TextWriter achievements, TextWriter demands)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(achievementCount);
        ArgumentOutOfRangeException.ThrowIfNegative(demandCount);
        var sentences = source.SelectMany(a => Sentences(a.Abstract)).Where(s => s.Length >= 8).Distinct().ToArray();
        var titles = source.Select(a => a.Title).Where(t => t.Length > 0).Distinct().ToArray();
        var keywords = source.SelectMany(a => a.Keywords).Where(k => k.Length > 0).Distinct().ToArray();
        if (sentences.Length == 0)
        {
            throw new MatchingException("the source corpus has no abstract sentences to recombine");
        }

        if (titles.Length == 0)
        {
            // Sources without titles (CSL abstracts): the first clause of a sentence stands in.
            titles = [.. sentences.Select(s => s.Length > 24 ? s[..24] : s).Distinct()];
        }

        if (keywords.Length == 0)
        {
            keywords = [.. titles.SelectMany(t => t.Split(['的', '与', '及', '和'], StringSplitOptions.RemoveEmptyEntries)).Where(k => k.Length is >= 2 and <= 8).Distinct()];
        }

        var random = new Random(seed);
        for (var i = 0; i < achievementCount; i++)
        {
            var text = Compose(random, sentences, 150, 400);
            var record = new Achievement
            {
                Id = "A" + i.ToString("D7", CultureInfo.InvariantCulture),
                Title = Pick(random, titles),
                Abstract = text,
                Keywords = [.. Enumerable.Range(0, random.Next(3, 6)).Select(_ => Pick(random, keywords)).Distinct()],
                Organization = $"合成大学{random.Next(1, Math.Max(2, (achievementCount / 300) + 2)):D4}",
                Field = Pick(random, s_industries),
                Region = Pick(random, s_regions),
                Maturity = Pick(random, s_maturity),
                IpType = Pick(random, s_ipTypes),
            };
            achievements.Write(JsonSerializer.Serialize(new
            {
                id = record.Id, title = record.Title, @abstract = record.Abstract, keywords = record.Keywords, organization = record.Organization,
                field = record.Field, region = record.Region, maturity = record.Maturity, ipType = record.IpType,
            }, s_json));
            achievements.Write('\n');
        }

        for (var i = 0; i < demandCount; i++)
        {
            var body = Pick(random, s_demandOpenings) + Compose(random, sentences, 80, 240) + Pick(random, s_demandAsks);
            var record = new Demand
            {
                Id = "D" + i.ToString("D7", CultureInfo.InvariantCulture),
                Title = Pick(random, titles),
                Description = body,
                Keywords = [.. Enumerable.Range(0, random.Next(2, 5)).Select(_ => Pick(random, keywords)).Distinct()],
                Organization = $"合成科技有限公司{random.Next(1, Math.Max(2, (demandCount / 2) + 2)):D6}",
                Industry = Pick(random, s_industries),
                Region = Pick(random, s_regions),
                Budget = $"{random.Next(2, 60) * 10}万元",
                RequiredMaturity = random.Next(3) == 0 ? "" : Pick(random, s_maturity),
            };
            demands.Write(JsonSerializer.Serialize(new
            {
                id = record.Id, title = record.Title, description = record.Description, keywords = record.Keywords, organization = record.Organization,
                industry = record.Industry, region = record.Region, budget = record.Budget, requiredMaturity = record.RequiredMaturity,
            }, s_json));
            demands.Write('\n');
        }
    }

    private static string Compose(Random random, string[] sentences, int minLength, int maxLength)
    {
        var text = new StringBuilder();
        var target = random.Next(minLength, maxLength + 1);
        while (text.Length < target)
        {
            text.Append(Pick(random, sentences)).Append('。');
        }

        return text.ToString();
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>Sentences of an abstract: split at 。；！？ and at . ; ! ? not between digits (2.5 stays whole).</summary>
    internal static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var end = c is '。' or '；' or '！' or '？' or ';' or '!' or '?'
                || (c == '.' && !(i > 0 && char.IsDigit(text[i - 1]) && i + 1 < text.Length && char.IsDigit(text[i + 1])));
            if (end)
            {
                if (i > start)
                {
                    yield return text[start..i].Trim();
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..].Trim();
        }
    }
}
