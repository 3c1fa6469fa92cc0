using System.Text;

namespace Matching.Ingestion;

/// <summary>One field of a record as Matching names it, and the column headers or JSON keys that mean it.</summary>
internal sealed class FieldSpec(string name, params string[] aliases)
{
    /// <summary>Matching's name for the field, used in error messages and as the JSONL key.</summary>
    public string Name { get; } = name;

    /// <summary>Headers as analysts write them, for messages; matched through <see cref="HeaderName.Normalize"/>.</summary>
    public IReadOnlyList<string> Aliases { get; } = [name, .. aliases];
}

/// <summary>The fields of <see cref="Achievement"/> or <see cref="Demand"/>, how headers map to them, and how a
/// validated <see cref="RawRecord"/> becomes the record.</summary>
/// <remarks>Field 0 is always the id, 1 the title, 2 the long text (abstract or description), 3 the keywords.</remarks>
internal sealed class RecordSchema<T>
{
    public const int Id = 0;
    public const int Title = 1;
    public const int Body = 2;
    public const int KeywordList = 3;

    private readonly Dictionary<string, int> _byAlias = new(StringComparer.Ordinal);
    private readonly Func<RawRecord, T> _build;

    // Columns named by ReadOptions.Columns: normalised header → field; such a field takes no column by alias.
    private readonly Dictionary<string, int> _explicit = new(StringComparer.Ordinal);

    public RecordSchema(string kind, IReadOnlyList<FieldSpec> fields, Func<RawRecord, T> build)
    {
        Kind = kind;
        Fields = fields;
        _build = build;
        for (var i = 0; i < fields.Count; i++)
        {
            foreach (var alias in fields[i].Aliases)
            {
                var key = HeaderName.Normalize(alias);
                if (_byAlias.TryGetValue(key, out var other) && other != i)
                {
                    throw new InvalidOperationException($"alias '{alias}' maps to both '{fields[other].Name}' and '{fields[i].Name}'");
                }

                _byAlias[key] = i;
            }
        }

        NoTextProblem = $"no text: {fields[Title].Name}, {fields[Body].Name} and {fields[KeywordList].Name} are all empty";
    }

    private RecordSchema(RecordSchema<T> aliases, IEnumerable<KeyValuePair<int, string>> columns)
    {
        Kind = aliases.Kind;
        Fields = aliases.Fields;
        _build = aliases._build;
        _byAlias = aliases._byAlias;
        NoTextProblem = aliases.NoTextProblem;
        var named = new List<(int, string)>();
        foreach (var (field, header) in columns)
        {
            _explicit[HeaderName.Normalize(header)] = field;
            named.Add((field, header));
        }

        Named = named;
    }

    /// <summary>What the file holds, as <see cref="ReadOptions.Columns"/> prefixes it: <c>achievements</c> or <c>demands</c>.</summary>
    public string Kind { get; }

    public IReadOnlyList<FieldSpec> Fields { get; }

    public string NoTextProblem { get; }

    /// <summary>The columns <see cref="ReadOptions.Columns"/> names for this schema: field index and header as given.</summary>
    public IReadOnlyList<(int Field, string Header)> Named { get; } = [];

    /// <summary>The fields of <see cref="Named"/> both kinds of record have, given without an <c>achievements.</c> or
    /// <c>demands.</c> prefix: a header missing from this file may be the other file's.</summary>
    public IReadOnlySet<int> Shared { get; private init; } = new HashSet<int>();

    /// <summary>The field index a header or JSON key means, or -1 for an unknown one (kept in Extra). A header named in
    /// <see cref="ReadOptions.Columns"/> wins, and a field named there takes no other column by alias.</summary>
    public int FindField(string header)
    {
        var key = HeaderName.Normalize(header);
        if (_explicit.TryGetValue(key, out var named))
        {
            return named;
        }

        return _byAlias.TryGetValue(key, out var index) && !_explicit.ContainsValue(index) ? index : -1;
    }

    /// <summary>This schema with the columns <paramref name="columns"/> names for it (see <see cref="ReadOptions.Columns"/>);
    /// entries for the other kind of record, or naming a field this kind does not have, are left to the other file.</summary>
    /// <exception cref="ArgumentException">Two entries name one field, or one header for two fields.</exception>
    public RecordSchema<T> WithColumns(IReadOnlyDictionary<string, string>? columns)
    {
        if (columns is null || columns.Count == 0)
        {
            return this;
        }

        // Entries for this kind only (achievements.title) override entries for both (title).
        var chosen = new Dictionary<int, (string Key, string Header, bool ForBoth)>();
        foreach (var (key, header) in columns)
        {
            if (!ColumnNames.TryParse(key, out var kind, out var name) || (kind is not null && kind != Kind))
            {
                continue;
            }

            // A field name of the other kind of record (abstract for demands, budget for achievements) is left to it.
            var field = -1;
            for (var i = 0; i < Fields.Count && field < 0; i++)
            {
                field = Fields[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase) ? i : -1;
            }

            if (field < 0)
            {
                continue;
            }

            var forBoth = kind is null;
            if (chosen.TryGetValue(field, out var other))
            {
                if (other.ForBoth == forBoth)
                {
                    throw new ArgumentException(
                        $"invalid read options: Columns names two headers for the {Kind} field '{Fields[field].Name}': '{other.Header}' and '{header}'", "options");
                }

                if (forBoth)
                {
                    continue;
                }
            }

            chosen[field] = (key, header, forBoth);
        }

        var byHeader = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, header, _) in chosen.Values)
        {
            if (!byHeader.TryAdd(HeaderName.Normalize(header), key))
            {
                throw new ArgumentException(
                    $"invalid read options: Columns gives the header '{header}' to both '{byHeader[HeaderName.Normalize(header)]}' and '{key}'", "options");
            }
        }

        var mine = chosen.ToDictionary(c => c.Key, c => c.Value.Header);
        var shared = chosen.Where(c => c.Value.ForBoth && Fields[c.Key].Name is "id" or "title" or "keywords" or "organization" or "region")
            .Select(c => c.Key).ToHashSet();
        return mine.Count == 0 ? this : new RecordSchema<T>(this, mine) { Shared = shared };
    }

    public bool HasText(RawRecord record) =>
        record.Values[Title].Length > 0 || record.Values[Body].Length > 0 || record.Keywords.Count > 0;

    public T Build(RawRecord record) => _build(record);
}

/// <summary>Makes headers comparable the way people vary them: ' 成果名称（必填）', '成果名称*', 'IP Type', 'ip_type'.</summary>
internal static class HeaderName
{
    private const string Required = "(必填)";

    // Traditional forms of the characters in the aliases (from OpenCC's TSCharacters), so 成果名稱 and 關鍵詞 match too.
    private const string Traditional = "內區單學專屬擬業標權產産稱簡紹編號術託詞詳說説識資鍵關階項預領題額類順";
    private const string Simplified = "内区单学专属拟业标权产产称简绍编号术托词详说说识资键关阶项预领题额类顺";

    public static string Normalize(string header)
    {
        // NFKC folds full-width letters and parentheses to their ASCII forms, so （必填） and (必填) compare equal.
        var folded = FormKC(header);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c) && c is not ('_' or '-' or '\uFEFF'))
            {
                var traditional = Traditional.IndexOf(c, StringComparison.Ordinal);
                builder.Append(traditional >= 0 ? Simplified[traditional] : char.ToLowerInvariant(c));
            }
        }

        var name = builder.ToString();
        var changed = true;
        while (changed)
        {
            changed = false;
            if (name.EndsWith(Required, StringComparison.Ordinal))
            {
                name = name[..^Required.Length];
                changed = true;
            }

            if (name.Length > 1 && (name.EndsWith('*') || name.StartsWith('*')))
            {
                name = name.Trim('*');
                changed = true;
            }
        }

        return name;
    }

    // Headers of a column that numbers the rows (1, 2, 3 …): never an id, since they restart in every file and sheet.
    private static readonly HashSet<string> RowNumbers = new(
        ["序号", "行号", "顺序号", "序次", "行次", "no", "no.", "nr", "nr.", "nº", "#", "row", "rowno", "rowno.", "rownumber", "s/n", "sn"],
        StringComparer.Ordinal);

    /// <summary>Whether a header names a row-number column (序号, 序號, No., 行号 …), which is never an id.</summary>
    public static bool IsRowNumber(string header) => RowNumbers.Contains(Normalize(header));

    /// <summary>The headers a message lists: the first 20 non-empty ones, long ones shortened, and how many more
    /// there are (a damaged file can have a million).</summary>
    public static string Seen(IEnumerable<string?> headers)
    {
        const int Shown = 20;
        var named = headers.Select(h => (h ?? "").Trim().Trim('\uFEFF')).Where(h => h.Length > 0);
        var shown = named.Take(Shown + 1).Select(h => h.Length <= 40 ? h : h[..37] + "...").ToList();
        if (shown.Count <= Shown)
        {
            return string.Join(", ", shown);
        }

        var more = named.Count() - Shown;
        return $"{string.Join(", ", shown.Take(Shown))} and {more} more";
    }

    /// <summary>NFKC, or the text as it is when Unicode normalisation refuses it (a lone surrogate from a JSON escape,
    /// U+FFFE or U+FFFF from a damaged file): such text matches no header and is no number either way, so it goes on to
    /// the reader's own error (or into <c>Extra</c>) instead of an <see cref="ArgumentException"/>.</summary>
    public static string FormKC(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}

/// <summary>The two schemas Matching reads, with every header alias analysts are known to use.</summary>
internal static class Schemas
{
    private static readonly string[] RegionAliases = ["地区", "省份", "所在地区", "所在地", "所在省份", "省市", "地域"];
    private static readonly string[] KeywordAliases = ["keyword", "关键词", "关键字", "主题词"];

    public static RecordSchema<Achievement> Achievements { get; } = new(
        "achievements",
        [
            new("id", "成果编号", "编号", "成果id", "achievement_id", "项目编号"),
            new("title", "成果名称", "名称", "标题", "项目名称", "成果标题", "name"),
            new("abstract", "成果简介", "简介", "摘要", "成果介绍", "内容简介", "技术简介", "项目简介", "成果描述", "description", "summary"),
            new("keywords", KeywordAliases),
            new("organization", "organisation", "完成单位", "单位", "高校", "所属单位", "依托单位", "成果单位", "第一完成单位", "所属高校"),
            new("field", "技术领域", "领域", "学科", "所属领域", "学科领域", "行业领域"),
            new("region", RegionAliases),
            new("maturity", "成熟度", "技术成熟度", "成果成熟度", "成果阶段", "trl"),
            new("ipType", "ip_type", "知识产权", "知识产权类型", "专利类型", "知识产权形式"),
        ],
        r => new Achievement
        {
            Id = r.Values[0],
            Title = r.Values[1],
            Abstract = r.Values[2],
            Keywords = r.Keywords,
            Organization = r.Values[4],
            Field = r.Values[5],
            Region = r.Values[6],
            Maturity = r.Values[7],
            IpType = r.Values[8],
            Extra = r.Extra ?? EmptyExtra.Instance,
        });

    public static RecordSchema<Demand> Demands { get; } = new(
        "demands",
        [
            new("id", "需求编号", "编号", "需求id", "demand_id"),
            new("title", "需求名称", "名称", "标题", "需求标题", "name"),
            new("description", "需求描述", "需求内容", "描述", "内容", "需求简介", "需求详情", "需求说明", "简介", "abstract"),
            new("keywords", KeywordAliases),
            new("organization", "organisation", "需求单位", "企业", "企业名称", "单位", "需求企业", "公司", "公司名称"),
            new("industry", "行业", "所属行业", "产业", "行业领域"),
            new("region", RegionAliases),
            new("budget", "预算", "投入预算", "资金预算", "预算金额", "拟投入资金"),
            new("requiredMaturity", "required_maturity", "成熟度要求", "需求成熟度", "技术成熟度要求", "成熟度", "maturity"),
        ],
        r => new Demand
        {
            Id = r.Values[0],
            Title = r.Values[1],
            Description = r.Values[2],
            Keywords = r.Keywords,
            Organization = r.Values[4],
            Industry = r.Values[5],
            Region = r.Values[6],
            Budget = r.Values[7],
            RequiredMaturity = r.Values[8],
            Extra = r.Extra ?? EmptyExtra.Instance,
        });
}

/// <summary>The keys of <see cref="ReadOptions.Columns"/>: a field name as in the README's table, for both files or, prefixed
/// <c>achievements.</c> or <c>demands.</c>, for one.</summary>
internal static class ColumnNames
{
    /// <summary>The field names a key may use, in the README's order.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        ["id", "title", "abstract", "description", "keywords", "organization", "field", "industry", "region", "maturity", "requiredMaturity", "ipType", "budget"];

    private static readonly string[] Kinds = ["achievements", "demands"];

    /// <summary>Splits a key into its kind (null for both) and field name; false when either is unknown.</summary>
    public static bool TryParse(string key, out string? kind, out string field)
    {
        kind = null;
        field = key.Trim();
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var prefix = field[..dot].Trim();
            kind = Array.Find(Kinds, k => k.Equals(prefix, StringComparison.OrdinalIgnoreCase));
            field = field[(dot + 1)..].Trim();
            if (kind is null)
            {
                return false;
            }
        }

        var normalized = HeaderName.Normalize(field);
        var known = Fields.FirstOrDefault(f => HeaderName.Normalize(f) == normalized);
        if (known is null)
        {
            return false;
        }

        field = known;
        return true;
    }
}
