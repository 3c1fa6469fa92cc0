using Matching.Text;

namespace Matching.Features;

/// <summary>A record normalised and segmented, before term ids are assigned.</summary>
internal sealed record AnalyzedRecord(
    List<SegToken> Title, List<SegToken> Keywords, List<SegToken> Body, string[] KeywordStrings, string Text,
    string Domain, string Region, int Maturity);

/// <summary>Builds <see cref="RecordProfile"/>s with one shared <see cref="TermDictionary"/>. Thread-safe.</summary>
internal sealed class ProfileBuilder
{
    private static readonly HashSet<string> s_negations =
    [
        "不", "无", "未", "非", "没", "没有", "不能", "无法", "不是", "不会", "不要", "不可", "不可以", "否", "别", "不用", "不了", "难以", "未能",
    ];

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

    public AnalyzedRecord Analyze(Achievement a) => Analyze(a.Title, a.Abstract, a.Keywords, a.Field, a.Region, a.Maturity);

    public AnalyzedRecord Analyze(Demand d) => Analyze(d.Title, d.Description, d.Keywords, d.Industry, d.Region, d.RequiredMaturity);

    /// <summary>The thread-safe half: normalise and segment. No term ids yet.</summary>
    public AnalyzedRecord Analyze(string title, string body, IReadOnlyList<string> keywords, string domain, string region, string maturity)
    {
        var titleText = _normalizer.Normalize(title);
        var bodyText = _normalizer.Normalize(body);
        var normalizedKeywords = keywords.Select(k => _normalizer.Normalize(k).Trim()).Where(k => k.Length > 0).Distinct().ToArray();
        var keywordText = string.Join("；", normalizedKeywords);
        return new AnalyzedRecord(
            Segment(titleText), Segment(keywordText), Segment(bodyText),
            normalizedKeywords, string.Concat(titleText, " ", keywordText, " ", bodyText),
            _normalizer.Normalize(domain).Trim(), Metadata.Region(region), Metadata.MaturityLevel(maturity));
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
        var negated = false;
        var length = 0;

        void Add(List<SegToken> tokens, HashSet<int>? fieldWords)
        {
            foreach (var token in tokens)
            {
                var isWord = token.PositionIncrement > 0;
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

                wordCounts[id] = wordCounts.GetValueOrDefault(id) + 1;
                fieldWords?.Add(id);
                length++;
                if (char.IsDigit(token.Term[0]))
                {
                    numbers.Add(id);
                }
                else if (token.Term[0] is >= 'a' and <= 'z')
                {
                    latin.Add(id);
                }
            }
        }

        Add(record.Title, titleWords);
        Add(record.Keywords, keywordWords);
        Add(record.Body, null);

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
        };
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
