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
            var parts = new ProfileParts[block.Count];
            var records = block.ToArray();
            Parallel.For(0, records.Length, i => parts[i] = Parts(analyze(records[i])));
            finishing.GetAwaiter().GetResult();
            finishing = Task.Run(() =>
            {
                for (var i = 0; i < parts.Length; i++)
                {
                    profiles.Add((ids[i], Assign(parts[i])));
                    parts[i] = null!;
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
    public RecordProfile Finish(AnalyzedRecord record) => Assign(Parts(record));

    /// <summary>Hands out term ids to a record's terms in the order they first occur in it, and resolves its profile.</summary>
    /// <remarks>Ids go to a record's terms in first-occurrence order, as when they were handed out token by token: the
    /// same records in the same order always get the same ids.</remarks>
    public RecordProfile Assign(ProfileParts parts)
    {
        var ids = new int[parts.TermStrings!.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Terms.GetOrAdd(parts.TermStrings[i]);
        }

        return Resolve(parts, ids);
    }

    /// <summary>Everything of a profile but term ids (thread-safe): the record's terms are local indices in the order
    /// they first occur, so the profile can be stored and given ids later (<see cref="Resolve(ProfileParts, int[])"/>).</summary>
    public static ProfileParts Parts(AnalyzedRecord record)
    {
        var local = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new List<string>();
        var termCounts = new List<int>();
        var wordCounts = new List<int>();
        var flags = new List<byte>();
        var wordPairs = new HashSet<long>();
        var pairOrder = new List<long>();
        var negated = false;
        var length = 0;

        void Add(List<SegToken> tokens, byte fieldFlag, int fieldStart)
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

                if (!local.TryGetValue(token.Term, out var id))
                {
                    id = strings.Count;
                    local.Add(token.Term, id);
                    strings.Add(token.Term);
                    termCounts.Add(0);
                    wordCounts.Add(0);
                    flags.Add(0);
                }

                termCounts[id]++;
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
                        var pair = ((long)previous << 32) | (uint)id;
                        if (wordPairs.Add(pair))
                        {
                            pairOrder.Add(pair);
                        }
                    }

                    previous = id;
                    previousEnd = token.End;
                }

                if (!GenericWords.IsBareNumber(token.Term) && (fieldFlag != 0 || !GenericWords.IsCurated(token.Term)))
                {
                    // Bare numbers are no evidence of a match, nor are curated generic words in a description (as in
                    // retrieval, a title or keyword chose them): neither is a word of the profile.
                    wordCounts[id]++;
                    flags[id] |= fieldFlag;
                }

                if (char.IsDigit(token.Term[0]) && token.PositionIncrement > 0)
                {
                    flags[id] |= ProfileParts.Number;
                }
                else if (token.Term[0] is >= 'a' and <= 'z')
                {
                    flags[id] |= ProfileParts.Latin;
                }
            }
        }

        Add(record.Title, ProfileParts.Title, 0);
        Add(record.Keywords, ProfileParts.Keyword, record.TitleLength + 1);
        Add(record.Body, 0, record.BodyStart);

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

        var title = allText.AsSpan(0, record.TitleLength);
        var (shortText, shortComplete) = ShortTextOf(allText, record.TitleLength, record.BodyStart);
        if (!record.IsDemand && !shortComplete)
        {
            // An achievement's short text is only compared whole (edit distance); a cut one is never read.
            shortText = [];
        }

        var (leadEnd, leadLetters) = LeadOf(allText, record.TitleLength, record.BodyStart);
        return new ProfileParts
        {
            TermStrings = [.. strings],
            TermCounts = [.. termCounts],
            WordCounts = [.. wordCounts],
            Flags = [.. flags],
            PairFirst = [.. pairOrder.Select(p => (int)(p >> 32))],
            PairSecond = [.. pairOrder.Select(p => (int)(uint)p)],
            Negated = negated,
            Length = length,
            Keywords = record.KeywordStrings,
            KeywordBigrams = [.. record.KeywordStrings.Select(BigramsOf)],
            Text = allText,
            Chars = [.. chars.Order()],
            Bigrams = [.. bigrams.Order()],
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
            Specs = record.Specs,
        };
    }

    /// <summary>The profile of <paramref name="parts"/> with term ids: <paramref name="ids"/>[i] is the id of its
    /// local term i. Sorted arrays and word-pair hashes depend on the ids; everything else is shared.</summary>
    public static RecordProfile Resolve(ProfileParts parts, int[] ids) =>
        Resolve(parts, ids, parts.TermCounts, parts.WordCounts, parts.Flags, parts.PairFirst, parts.PairSecond);

    /// <summary><see cref="Resolve(ProfileParts, int[])"/> with the per-term data and word pairs given apart (a stored
    /// read decodes them into buffers it reuses: they are not part of the profile).</summary>
    public static RecordProfile Resolve(ProfileParts parts, ReadOnlySpan<int> ids, ReadOnlySpan<int> termCounts, ReadOnlySpan<int> wordCounts,
        ReadOnlySpan<byte> termFlags, ReadOnlySpan<int> pairFirst, ReadOnlySpan<int> pairSecond)
    {
        var n = ids.Length;
        var terms = new int[n];
        var tfs = new int[n];
        SortWithCounts(ids, termCounts, default, terms, tfs);
        int wordCount = 0, titleCount = 0, keywordCount = 0, numberCount = 0, latinCount = 0;
        for (var i = 0; i < n; i++)
        {
            var f = termFlags[i];
            wordCount += wordCounts[i] > 0 ? 1 : 0;
            titleCount += (f & ProfileParts.Title) != 0 ? 1 : 0;
            keywordCount += (f & ProfileParts.Keyword) != 0 ? 1 : 0;
            numberCount += (f & ProfileParts.Number) != 0 ? 1 : 0;
            latinCount += (f & ProfileParts.Latin) != 0 ? 1 : 0;
        }

        var words = new int[wordCount];
        var counts = new int[wordCount];
        SortWithCounts(ids, wordCounts, wordCounts, words, counts);
        var titleWords = new int[titleCount];
        var keywordWords = new int[keywordCount];
        var numbers = new int[numberCount];
        var latin = new int[latinCount];
        int t = 0, k = 0, m = 0, l = 0;
        for (var i = 0; i < n; i++)
        {
            var f = termFlags[i];
            if ((f & ProfileParts.Title) != 0)
            {
                titleWords[t++] = ids[i];
            }

            if ((f & ProfileParts.Keyword) != 0)
            {
                keywordWords[k++] = ids[i];
            }

            if ((f & ProfileParts.Number) != 0)
            {
                numbers[m++] = ids[i];
            }

            if ((f & ProfileParts.Latin) != 0)
            {
                latin[l++] = ids[i];
            }
        }

        Array.Sort(titleWords);
        Array.Sort(keywordWords);
        Array.Sort(numbers);
        Array.Sort(latin);

        var pairs = new int[pairFirst.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = WordPair(ids[pairFirst[i]], ids[pairSecond[i]]);
        }

        Array.Sort(pairs);
        var distinct = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i == 0 || pairs[i] != pairs[distinct - 1])
            {
                pairs[distinct++] = pairs[i];
            }
        }

        return new RecordProfile
        {
            Words = words,
            WordCounts = counts,
            Terms = terms,
            TermCounts = tfs,
            TitleWords = titleWords,
            KeywordWords = keywordWords,
            Keywords = parts.Keywords,
            KeywordBigrams = parts.KeywordBigrams,
            Text = parts.Text,
            Chars = parts.Chars,
            Bigrams = parts.Bigrams,
            Numbers = numbers,
            Latin = latin,
            Negated = parts.Negated,
            Length = parts.Length,
            Domain = parts.Domain,
            Region = parts.Region,
            Maturity = parts.Maturity,
            ShortText = parts.ShortText,
            ShortTextComplete = parts.ShortTextComplete,
            TitleLength = parts.TitleLength,
            BodyStart = parts.BodyStart,
            LeadEnd = parts.LeadEnd,
            LeadLetters = parts.LeadLetters,
            HasTitle = parts.HasTitle,
            TitleBigrams = parts.TitleBigrams,
            WordPairs = distinct == pairs.Length ? pairs : pairs[..distinct],
            Specs = parts.Specs,
        };
    }

    /// <summary>The ids (and their counts) whose <paramref name="filter"/> count is positive (all when empty), sorted by id:
    /// packed as (id, count) in one long each, so one array is sorted instead of two in step. Ids are distinct.</summary>
    private static void SortWithCounts(ReadOnlySpan<int> ids, ReadOnlySpan<int> counts, ReadOnlySpan<int> filter, int[] sortedIds, int[] sortedCounts)
    {
        var packed = sortedIds.Length <= 512 ? stackalloc long[sortedIds.Length] : new long[sortedIds.Length];
        var j = 0;
        var all = filter.IsEmpty;
        for (var i = 0; i < ids.Length; i++)
        {
            if (all || filter[i] > 0)
            {
                packed[j++] = ((long)ids[i] << 32) | (uint)counts[i];
            }
        }

        packed.Sort();
        for (var i = 0; i < packed.Length; i++)
        {
            sortedIds[i] = (int)(packed[i] >> 32);
            sortedCounts[i] = (int)(uint)packed[i];
        }
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

    internal static int[] BigramsOf(string text)
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
}
