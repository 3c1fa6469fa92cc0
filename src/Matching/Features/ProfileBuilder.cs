using Matching.Text;

namespace Matching.Features;

/// <summary>A record normalised and segmented, before term ids are assigned.</summary>
/// <remarks><see cref="Text"/> is the title, a space, the keywords joined by ；, a space, and the body: the title is
/// Text[0..TitleLength] and the body Text[BodyStart..]. Token offsets point into each field's own text.</remarks>
internal sealed record AnalyzedRecord(
    List<SegToken> Title, List<SegToken> Keywords, List<SegToken> Body, string[] KeywordStrings, string Text,
    string Domain, string Region, int Maturity, int TitleLength, int BodyStart, NumericSpec[] Specs, bool IsDemand);

/// <summary>Builds <see cref="RecordProfile"/>s with one shared <see cref="TermDictionary"/>. Thread-safe.</summary>
internal sealed class ProfileBuilder
{
    private static readonly HashSet<string> s_negations =
    [
        "不", "无", "未", "非", "没", "没有", "不能", "无法", "不是", "不会", "不要", "不可", "不可以", "否", "别", "不用", "不了", "难以", "未能",
    ];

    /// <summary>The lead of a record (title, then the start of the body) holds at most this many letters/digits.</summary>
    public const int LeadLength = 512;

    private readonly TextNormalizer _normalizer;
    private readonly ChineseSegmenter _segmenter;

    public ProfileBuilder(TermDictionary terms)
    {
        Terms = terms;
        _normalizer = TextNormalizer.Default;
        _segmenter = ChineseSegmenter.Shared;
    }

    public TermDictionary Terms { get; }

    public RecordProfile Build(Achievement a) => Finish(Analyze(a));

    public RecordProfile Build(Demand d) => Finish(Analyze(d));

    /// <summary>Profiles of records read lazily, with their ids, in input order.</summary>
    /// <remarks>Segmentation runs in parallel, term ids are handed out in record order (deterministic: the same input
    /// always gives the same ids, and bit-identical feature sums). The sequential half of one block runs while the
    /// next block is segmented (at 1M records it is a fifth of the work, and it used to leave a core idle). Only two
    /// blocks' records and token strings are alive at a time, so the records themselves are never all held.</remarks>
    public List<(string Id, RecordProfile Profile)> BuildAll<T>(IEnumerable<T> records, Func<T, string> id, Func<T, AnalyzedRecord> analyze)
    {
        const int Block = 8192;
        var profiles = new List<(string Id, RecordProfile Profile)>();
        var block = new List<T>(Block);
        Task finishing = Task.CompletedTask;
        void Flush()
        {
            var ids = block.Select(id).ToArray();
            var analyzed = new AnalyzedRecord[block.Count];
            var records = block.ToArray();
            Parallel.For(0, records.Length, i => analyzed[i] = analyze(records[i]));
            finishing.GetAwaiter().GetResult();
            finishing = Task.Run(() =>
            {
                for (var i = 0; i < analyzed.Length; i++)
                {
                    profiles.Add((ids[i], Finish(analyzed[i])));
                    analyzed[i] = null!;
                }
            });
            block.Clear();
        }

        try
        {
            foreach (var record in records)
            {
                block.Add(record);
                if (block.Count == Block)
                {
                    Flush();
                }
            }

            Flush();
        }
        finally
        {
            finishing.GetAwaiter().GetResult();
        }

        return profiles;
    }

    public AnalyzedRecord Analyze(Achievement a) => Analyze(a.Title, a.Abstract, a.Keywords, a.Field, a.Region, a.Maturity, isDemand: false);

    public AnalyzedRecord Analyze(Demand d) => Analyze(d.Title, d.Description, d.Keywords, d.Industry, d.Region, d.RequiredMaturity, isDemand: true);

    /// <summary>The thread-safe half: normalise and segment. No term ids yet.</summary>
    public AnalyzedRecord Analyze(string title, string body, IReadOnlyList<string> keywords, string domain, string region, string maturity, bool isDemand)
    {
        var titleText = _normalizer.Normalize(title);
        var bodyText = _normalizer.Normalize(body);
        var normalizedKeywords = keywords.Select(k => _normalizer.Normalize(k).Trim()).Where(k => k.Length > 0).Distinct().ToArray();
        var keywordText = string.Join("；", normalizedKeywords);
        var text = string.Concat(titleText, " ", keywordText, " ", bodyText);
        return new AnalyzedRecord(
            Segment(titleText), Segment(keywordText), Segment(bodyText),
            normalizedKeywords, text,
            _normalizer.Normalize(domain).Trim(), Metadata.Region(region), Metadata.MaturityLevel(maturity),
            titleText.Length, titleText.Length + keywordText.Length + 2, NumericSpecs.Extract(text), isDemand);
    }

    private List<SegToken> Segment(string text) => _segmenter.Segment(text, SegmentMode.Search);

    /// <summary>The sequential half: term ids, counts and sets.</summary>
    public RecordProfile Finish(AnalyzedRecord record)
    {

        var wordCounts = new Dictionary<int, int>();
        var termCounts = new Dictionary<int, int>();
        var titleWords = new HashSet<int>();
        var keywordWords = new HashSet<int>();
        var numbers = new HashSet<int>();
        var latin = new HashSet<int>();
        var wordPairs = new HashSet<int>();
        var negated = false;
        var length = 0;

        void Add(List<SegToken> tokens, HashSet<int>? fieldWords, int fieldStart)
        {
            var previous = -1;
            var previousEnd = 0;
            foreach (var token in tokens)
            {
                var isWord = token.PositionIncrement > 0 || ChineseSegmenter.IsQuantity(token.Term);
                if (isWord && s_negations.Contains(token.Term))
                {
                    negated = true;
                }

                if (StopWords.Default.Contains(token.Term))
                {
                    continue;
                }

                var id = Terms.GetOrAdd(token.Term);
                termCounts[id] = termCounts.GetValueOrDefault(id) + 1;
                if (!isWord)
                {
                    continue;
                }

                if (token.PositionIncrement > 0)
                {
                    length++;
                    // Adjacent word pairs run over the words as written (a quantity stacked on its number is not one).
                    if (previous >= 0 && !HasPunctuation(record.Text.AsSpan(fieldStart + previousEnd, token.Start - previousEnd)))
                    {
                        wordPairs.Add(WordPair(previous, id));
                    }

                    previous = id;
                    previousEnd = token.End;
                }

                if (!GenericWords.IsBareNumber(token.Term) && (fieldWords is not null || !GenericWords.IsCurated(token.Term)))
                {
                    // Bare numbers are no evidence of a match, nor are curated generic words in a description (as in
                    // retrieval, a title or keyword chose them): neither is a word of the profile.
                    wordCounts[id] = wordCounts.GetValueOrDefault(id) + 1;
                    fieldWords?.Add(id);
                }

                if (char.IsDigit(token.Term[0]) && token.PositionIncrement > 0)
                {
                    numbers.Add(id);
                }
                else if (token.Term[0] is >= 'a' and <= 'z')
                {
                    latin.Add(id);
                }
            }
        }

        Add(record.Title, titleWords, 0);
        Add(record.Keywords, keywordWords, record.TitleLength + 1);
        Add(record.Body, null, record.BodyStart);

        var allText = record.Text;
        var chars = new HashSet<int>();
        var bigrams = new HashSet<int>();
        for (var i = 0; i < allText.Length; i++)
        {
            var c = allText[i];
            if (!char.IsLetterOrDigit(c))
            {
                continue;
            }

            chars.Add(c);
            if (i + 1 < allText.Length && char.IsLetterOrDigit(allText[i + 1]))
            {
                bigrams.Add((c << 16) | allText[i + 1]);
            }
        }

        var (words, counts) = Sorted(wordCounts);
        var (terms, tfs) = Sorted(termCounts);
        var title = allText.AsSpan(0, record.TitleLength);
        var (shortText, shortComplete) = ShortTextOf(allText, record.TitleLength, record.BodyStart);
        if (!record.IsDemand && !shortComplete)
        {
            // An achievement's short text is only compared whole (edit distance); a cut one is never read.
            shortText = [];
        }

        var (leadEnd, leadLetters) = LeadOf(allText, record.TitleLength, record.BodyStart);
        return new RecordProfile
        {
            Words = words,
            WordCounts = counts,
            Terms = terms,
            TermCounts = tfs,
            TitleWords = [.. titleWords.Order()],
            KeywordWords = [.. keywordWords.Order()],
            Keywords = record.KeywordStrings,
            KeywordBigrams = [.. record.KeywordStrings.Select(BigramsOf)],
            Text = allText,
            Chars = [.. chars.Order()],
            Bigrams = [.. bigrams.Order()],
            Numbers = [.. numbers.Order()],
            Latin = [.. latin.Order()],
            Negated = negated,
            Length = length,
            Domain = record.Domain,
            Region = record.Region,
            Maturity = record.Maturity,
            ShortText = shortText,
            ShortTextComplete = shortComplete,
            TitleLength = record.TitleLength,
            BodyStart = record.BodyStart,
            LeadEnd = leadEnd,
            LeadLetters = leadLetters,
            HasTitle = HasLetterOrDigit(title),
            TitleBigrams = BigramsOf(title.ToString()),
            WordPairs = [.. wordPairs.Order()],
            Specs = record.Specs,
        };
    }

    /// <summary>A pair of adjacent word ids hashed to 32 bits (deterministic; collisions negligible among a record's
    /// few hundred pairs).</summary>
    internal static int WordPair(int first, int second)
    {
        var h = ((ulong)(uint)first * 0x9E3779B97F4A7C15UL) ^ (uint)second;
        h *= 0xC2B2AE3D27D4EB4FUL;
        return (int)(h >> 32);
    }

    private static bool HasPunctuation(ReadOnlySpan<char> gap)
    {
        foreach (var c in gap)
        {
            if (c != ' ' && !char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLetterOrDigit(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The short text: letters/digits of the title, else of the keywords, else of the body; cut at
    /// <see cref="CharPattern.MaxLength"/>, and whether it was not cut.</summary>
    internal static (char[] Text, bool Complete) ShortTextOf(string text, int titleLength, int bodyStart)
    {
        var title = text.AsSpan(0, titleLength);
        var keywords = text.AsSpan(titleLength + 1, bodyStart - titleLength - 2);
        var source = HasLetterOrDigit(title) ? title : HasLetterOrDigit(keywords) ? keywords : text.AsSpan(bodyStart);
        var letters = new List<char>(Math.Min(source.Length, CharPattern.MaxLength));
        var complete = true;
        foreach (var c in source)
        {
            if (!char.IsLetterOrDigit(c))
            {
                continue;
            }

            if (letters.Count == CharPattern.MaxLength)
            {
                complete = false;
                break;
            }

            letters.Add(c);
        }

        return ([.. letters], complete);
    }

    /// <summary>Where the lead (the title's letters/digits, then the body's, <see cref="LeadLength"/> at most) ends in
    /// the text, and how many letters/digits it holds.</summary>
    private static (int End, int Letters) LeadOf(string text, int titleLength, int bodyStart)
    {
        var letters = 0;
        for (var i = 0; i < titleLength; i++)
        {
            if (char.IsLetterOrDigit(text[i]) && ++letters == LeadLength)
            {
                return (i + 1, letters);
            }
        }

        for (var i = bodyStart; i < text.Length; i++)
        {
            if (char.IsLetterOrDigit(text[i]) && ++letters == LeadLength)
            {
                return (i + 1, letters);
            }
        }

        return (text.Length, letters);
    }

    private static int[] BigramsOf(string text)
    {
        var bigrams = new HashSet<int>();
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsLetterOrDigit(text[i]) && char.IsLetterOrDigit(text[i + 1]))
            {
                bigrams.Add((text[i] << 16) | text[i + 1]);
            }
        }

        return [.. bigrams.Order()];
    }

    private static (int[] Keys, int[] Values) Sorted(Dictionary<int, int> counts)
    {
        var keys = counts.Keys.ToArray();
        Array.Sort(keys);
        var values = new int[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = counts[keys[i]];
        }

        return (keys, values);
    }
}
