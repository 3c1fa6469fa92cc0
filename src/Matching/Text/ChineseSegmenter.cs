using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JiebaNet.Segmenter;
using Matching.Ingestion;

namespace Matching.Text;

/// <summary>How much a segment call emits.</summary>
internal enum SegmentMode
{
    /// <summary>jieba's precise mode: one token per word. Used for queries.</summary>
    Precise,

    /// <summary>Precise words plus the dictionary sub-words inside them (jieba's search mode), the sub-words
    /// stacked at the position of their word. Used for indexing, so 电池 finds 锂离子电池. A number followed by a
    /// unit also gets its quantity stacked on it (1000 次 → 1000, 1000次, 次).</summary>
    Search,
}

/// <summary>A token of normalised text: the term and its [start, end) offsets in that text.</summary>
internal readonly record struct SegToken(string Term, int Start, int End, int PositionIncrement);

/// <summary>jieba.NET segmentation, loaded once per process with Matching's user dictionary.</summary>
/// <remarks>
/// jieba keeps its dictionary in static state: the first call sets <see cref="ConfigManager.ConfigFileBaseDir"/>,
/// checks the main dictionary really loaded (jieba silently falls back to HMM-only when <c>dict.txt</c> is
/// missing), and loads the user dictionary. After that the word set never changes, which is what makes
/// concurrent <see cref="Segment"/> calls safe: jieba's <c>AddWord</c>/<c>LoadUserDict</c> are not safe
/// during reads, so Matching exposes neither.
/// </remarks>
internal sealed class ChineseSegmenter
{
    /// <summary>The longest run of characters jieba segments as one block (jieba's blocks are runs of Han characters,
    /// Latin letters, digits and <c>+#&amp;._%-</c>). Its cost on one block grows faster than the block (a run of one
    /// repeated character: 0.3 s for 50,000, 81 s for 350,000), so longer runs are segmented in pieces of this many
    /// characters. Real text never has such runs: the longest in CSL's 12,000 abstracts is 175 characters.</summary>
    internal const int MaxRun = 1000;

    private static readonly Lazy<ChineseSegmenter> s_shared = new(() => Create(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly JiebaSegmenter _jieba;
    private readonly WordDictionary _dictionary;

    private ChineseSegmenter(JiebaSegmenter jieba, string fingerprint)
    {
        _jieba = jieba;
        _dictionary = WordDictionary.Instance;
        Fingerprint = fingerprint;
    }

    /// <summary>The process-wide segmenter (jieba's dictionary is static, so there is only one).</summary>
    public static ChineseSegmenter Shared => s_shared.Value;

    /// <summary>Identifies dictionary + user dictionary, part of the analyzer version.</summary>
    public string Fingerprint { get; }

    public bool IsWord(string word) => _dictionary.ContainsWord(word);

    private static ChineseSegmenter Create()
    {
        var jiebaDir = ResourceLocator.PathOf("jieba");
        var mainDict = ResourceLocator.PathOf("jieba", "dict.txt");
        var userDict = ResourceLocator.PathOf("text", "userdict.txt");

        var culture = CultureInfo.CurrentCulture;
        try
        {
            // jieba parses frequencies and probabilities with the current culture.
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            ConfigManager.ConfigFileBaseDir = jiebaDir;
            var jieba = new JiebaSegmenter();
            var dictionary = WordDictionary.Instance;
            if (dictionary.Total < 1_000_000 || !dictionary.ContainsWord("中华人民共和国"))
            {
                throw new MatchingException(
                    $"jieba's main dictionary did not load from {mainDict} (total frequency {dictionary.Total}); " +
                    "segmentation would silently fall back to HMM-only.");
            }

            jieba.LoadUserDict(userDict);
            return new ChineseSegmenter(jieba, "jieba-0.42.2+" + Hash(mainDict, userDict));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static string Hash(params string[] paths)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            sha.AppendData(File.ReadAllBytes(path));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }

    /// <summary>The segmentations this thread remembers while a <see cref="Remember"/> scope is open.</summary>
    [ThreadStatic]
    private static SegmentMemo? t_memo;

    /// <summary>Until the result is disposed, this thread's <see cref="Segment"/> calls remember their tokens, and a call
    /// for a text and mode already segmented returns the same list: a record profiled just before it is indexed is
    /// segmented once for both. Callers only read the lists they get.</summary>
    internal static SegmentMemo Remember()
    {
        var memo = t_memo ??= new SegmentMemo();
        memo.Open();
        return memo;
    }

    /// <summary>Segments normalised text. Punctuation and whitespace are dropped; Chinese numerals become
    /// digits (百分之九十五 → 95%, 三十五 → 35); tokens come out sorted by start offset.</summary>
    /// <remarks>Runs longer than <see cref="MaxRun"/> are cut into pieces of that length first, so the cost is linear in
    /// the text whatever it holds; text without such runs is segmented whole, exactly as before. Offsets always point
    /// into <paramref name="text"/>.</remarks>
    public List<SegToken> Segment(string text, SegmentMode mode)
    {
        var memo = t_memo;
        if (memo is { IsOpen: true } && memo.Find(text, mode) is { } known)
        {
            memo.Hits++;
            return known;
        }

        var tokens = SegmentText(text, mode);
        if (memo is { IsOpen: true })
        {
            memo.Add(text, mode, tokens);
        }

        return tokens;
    }

    private List<SegToken> SegmentText(string text, SegmentMode mode)
    {
        var tokens = new List<SegToken>();
        if (text.Length == 0)
        {
            return tokens;
        }

        var start = 0;
        foreach (var cut in Cuts(text))
        {
            SegmentPiece(text[start..cut], start, mode, tokens);
            start = cut;
        }

        SegmentPiece(start == 0 ? text : text[start..], start, mode, tokens);
        return tokens;
    }

    /// <summary>Where <paramref name="text"/> is cut for segmentation: every <see cref="MaxRun"/> characters into a run
    /// of jieba block characters that is longer than that; none in ordinary text.</summary>
    internal static IEnumerable<int> Cuts(string text)
    {
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsBlockChar(text[i]))
            {
                run = 0;
            }
            else if (++run > MaxRun)
            {
                yield return i;
                run = 1;
            }
        }
    }

    /// <summary>The characters jieba.NET keeps together in one block (its <c>RegexChineseDefault</c>).</summary>
    private static bool IsBlockChar(char c) =>
        c is (>= '\u4E00' and <= '\u9FD5') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '+' or '#' or '&' or '.' or '_' or '%' or '-';

    private void SegmentPiece(string piece, int offset, SegmentMode mode, List<SegToken> tokens)
    {
        var jiebaTokens = _jieba.Tokenize(piece, TokenizerMode.Default, hmm: true).ToList();
        for (var t = 0; t < jiebaTokens.Count; t++)
        {
            var token = jiebaTokens[t];
            var word = token.Word;
            if (!HasLetterOrDigit(word))
            {
                continue;
            }

            var start = offset + token.StartIndex;
            var end = offset + token.EndIndex;
            var isNumeral = ChineseNumerals.TryNormalize(word, out var digits);
            var number = isNumeral ? digits : word;
            if (mode == SegmentMode.Search && IsPlainNumber(number) && UnitAfter(jiebaTokens, t) is { } unit)
            {
                // A quantity is a term of its own, stacked on its number like a sub-word (1000 次, 一千次 and 1000次 all
                // hold 1000次); the number and the unit stay tokens, so positions and lengths are those of the text
                // without it. Precise mode keeps one token per word.
                tokens.Add(new SegToken(number, start, end, 1));
                tokens.Add(new SegToken(number + unit.Unit, start, offset + unit.End, 0));
                continue;
            }

            if (isNumeral)
            {
                // A number is one term: no 百分/九十/十五 sub-word noise.
                tokens.Add(new SegToken(digits, start, end, 1));
                continue;
            }

            if (mode == SegmentMode.Search && QuantityWord(word) is { } quantity)
            {
                // jieba's own words 一千次, 两吨: the word, and its quantity stacked on it.
                tokens.Add(new SegToken(word, start, end, 1));
                tokens.Add(new SegToken(quantity, start, end, 0));
                if (mode == SegmentMode.Search && word.Length > 2)
                {
                    AddSubWords(word, start, tokens);
                }

                continue;
            }

            tokens.Add(new SegToken(word, start, end, 1));
            if (mode == SegmentMode.Search && word.Length > 2 && IsHan(word))
            {
                AddSubWords(word, start, tokens);
            }
        }
    }

    /// <summary>Units and counters that make a number a quantity (1000次, 0.05mm, 5000吨, 80℃), as jieba emits them
    /// after a number, mapped to their spelling in the term (°c and ℃ are one unit).</summary>
    internal static readonly IReadOnlyDictionary<string, string> Units = BuildUnits();

    /// <summary>Part of the analyzer version: change it whenever the quantity rule or <see cref="Units"/> change.</summary>
    internal const string QuantityVersion = "qty3";

    private static Dictionary<string, string> BuildUnits()
    {
        var units = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in new[]
        {
            // Counters and Chinese units.
            "次", "倍", "吨", "万吨", "千吨", "公斤", "千克", "克", "毫克", "微克", "斤", "米", "毫米", "厘米", "微米", "纳米", "千米",
            "公里", "平方米", "立方米", "平米", "方", "升", "毫升", "秒", "毫秒", "分钟", "小时", "天", "日", "周", "月", "年", "亩",
            "公顷", "度", "瓦", "千瓦", "兆瓦", "伏", "千伏", "安", "毫安", "赫兹", "帕", "千帕", "兆帕", "转", "目", "层", "台", "套",
            "台套", "件", "个", "只", "块", "片", "根", "条", "项", "人", "家", "元", "万元", "亿元", "美元", "万", "亿", "级", "代",
            "位", "路", "道", "线", "孔", "通道", "英寸", "寸", "cc",
            // Latin units, lower-cased by the normaliser.
            "mm", "cm", "m", "km", "nm", "um", "μm", "μl", "μg", "kg", "g", "mg", "t", "l", "ml", "h", "min", "s", "ms", "d", "w", "kw",
            "mw", "gw", "kwh", "mwh", "gwh", "wh", "mah", "ah", "v", "kv", "mv", "a", "ma", "hz", "khz", "mhz", "ghz", "pa",
            "kpa", "mpa", "gpa", "k", "db", "dpi", "ppm", "ppb", "rpm", "bar", "mol", "wt", "lm", "lx", "nit", "fps", "bit",
            "kb", "mb", "gb", "tb", "mbps", "gbps",
        })
        {
            units[unit] = unit;
        }

        units["℃"] = "℃";
        units["°c"] = "℃";
        units["°"] = "°";
        return units;
    }

    /// <summary>Digits with an optional decimal point, no percent sign: a number a unit may follow.</summary>
    private static bool IsPlainNumber(string word)
    {
        if (word.Length == 0 || !char.IsAsciiDigit(word[0]) || !char.IsAsciiDigit(word[^1]))
        {
            return false;
        }

        foreach (var c in word)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The unit right after token <paramref name="t"/> (one space between allowed) and where it ends in the
    /// piece, or null. jieba splits μm and °c in two (the pair is looked up first) and glues a one-character unit to
    /// what follows (次后, 吨级: the first character is the unit).</summary>
    private static (string Unit, int End)? UnitAfter(List<JiebaNet.Segmenter.Token> tokens, int t)
    {
        var next = t + 1;
        if (next < tokens.Count && tokens[next].Word == " ")
        {
            next++;
        }

        if (next >= tokens.Count)
        {
            return null;
        }

        var word = tokens[next].Word;
        if (next + 1 < tokens.Count && Units.TryGetValue(word + tokens[next + 1].Word, out var pair))
        {
            return (pair, tokens[next + 1].EndIndex);
        }

        if (Units.TryGetValue(word, out var unit))
        {
            return (unit, tokens[next].EndIndex);
        }

        return word.Length > 1 && IsHan(word) && Units.TryGetValue(word[..1], out var first) ? (first, tokens[next].StartIndex + 1) : null;
    }

    /// <summary>The quantity a jieba word spells in Chinese numerals and a unit (一千次 → 1000次, 两吨 → 2吨), or null.</summary>
    private static string? QuantityWord(string word)
    {
        for (var cut = word.Length - 1; cut >= Math.Max(1, word.Length - 2); cut--)
        {
            if (Units.TryGetValue(word[cut..], out var unit) && IsHan(word[cut..])
                && ChineseNumerals.TryParse(word.AsSpan(0, cut), out var value) && (cut > 1 || word[0] != '一'))
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return null;
    }

    /// <summary>Whether a term is a quantity this segmenter made: a number followed by one of <see cref="Units"/>.</summary>
    internal static bool IsQuantity(string term)
    {
        var i = 0;
        while (i < term.Length && (char.IsAsciiDigit(term[i]) || (term[i] == '.' && i > 0)))
        {
            i++;
        }

        return i > 0 && i < term.Length && char.IsAsciiDigit(term[i - 1]) && Units.ContainsKey(term[i..]);
    }

    private void AddSubWords(string word, int start, List<SegToken> tokens)
    {
        // jieba's search mode: the dictionary 2-grams of words longer than 2, and 3-grams of words longer than 3,
        // ordered by start offset so that Lucene's offsets never go backwards.
        for (var i = 0; i < word.Length - 1; i++)
        {
            var gram2 = word.Substring(i, 2);
            if (_dictionary.ContainsWord(gram2))
            {
                tokens.Add(new SegToken(gram2, start + i, start + i + 2, 0));
            }

            if (word.Length > 3 && i < word.Length - 2)
            {
                var gram3 = word.Substring(i, 3);
                if (_dictionary.ContainsWord(gram3))
                {
                    tokens.Add(new SegToken(gram3, start + i, start + i + 3, 0));
                }
            }
        }
    }

    private static bool HasLetterOrDigit(string word)
    {
        foreach (var c in word)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHan(string word)
    {
        foreach (var c in word)
        {
            if (c is < '\u3400' or > '\u9FFF')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A thread's remembered segmentations (<see cref="ChineseSegmenter.Remember"/>): a few, for one record.</summary>
internal sealed class SegmentMemo : IDisposable
{
    private const int Capacity = 8;
    private readonly List<(string Text, SegmentMode Mode, List<SegToken> Tokens)> _entries = new(Capacity);

    public bool IsOpen { get; private set; }

    /// <summary>Segmentations served from the memo since it was opened.</summary>
    public int Hits { get; internal set; }

    internal void Open()
    {
        _entries.Clear();
        Hits = 0;
        IsOpen = true;
    }

    internal List<SegToken>? Find(string text, SegmentMode mode)
    {
        foreach (var entry in _entries)
        {
            if (entry.Mode == mode && string.Equals(entry.Text, text, StringComparison.Ordinal))
            {
                return entry.Tokens;
            }
        }

        return null;
    }

    internal void Add(string text, SegmentMode mode, List<SegToken> tokens)
    {
        if (_entries.Count < Capacity)
        {
            _entries.Add((text, mode, tokens));
        }
    }

    public void Dispose()
    {
        IsOpen = false;
        _entries.Clear();
    }
}
