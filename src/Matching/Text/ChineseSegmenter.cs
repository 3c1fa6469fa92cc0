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
    /// stacked at the position of their word. Used for indexing, so 电池 finds 锂离子电池.</summary>
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

    /// <summary>Segments normalised text. Punctuation and whitespace are dropped; Chinese numerals become
    /// digits (百分之九十五 → 95%, 三十五 → 35); tokens come out sorted by start offset.</summary>
    /// <remarks>Runs longer than <see cref="MaxRun"/> are cut into pieces of that length first, so the cost is linear in
    /// the text whatever it holds; text without such runs is segmented whole, exactly as before. Offsets always point
    /// into <paramref name="text"/>.</remarks>
    public List<SegToken> Segment(string text, SegmentMode mode)
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
        foreach (var token in _jieba.Tokenize(piece, TokenizerMode.Default, hmm: true))
        {
            var word = token.Word;
            if (!HasLetterOrDigit(word))
            {
                continue;
            }

            var start = offset + token.StartIndex;
            var end = offset + token.EndIndex;
            if (ChineseNumerals.TryNormalize(word, out var digits))
            {
                // A number is one term: no 百分/九十/十五 sub-word noise.
                tokens.Add(new SegToken(digits, start, end, 1));
                continue;
            }

            tokens.Add(new SegToken(word, start, end, 1));
            if (mode == SegmentMode.Search && word.Length > 2 && IsHan(word))
            {
                AddSubWords(word, start, tokens);
            }
        }
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
