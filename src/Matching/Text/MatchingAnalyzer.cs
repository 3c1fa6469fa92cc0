using System.Security.Cryptography;
using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace Matching.Text;

/// <summary>The Lucene analyzer for achievements and demands: normalise (width, case, Traditional →
/// Simplified, whitespace), segment (jieba or SmartCn), drop punctuation and stop words.</summary>
internal sealed class MatchingAnalyzer : Analyzer
{
    private const LuceneVersion Lucene = LuceneVersion.LUCENE_48;

    private readonly AnalyzerKind _kind;
    private readonly SegmentMode _mode;
    private readonly TextNormalizer _normalizer;
    private readonly CharArraySet _stopWords;

    private MatchingAnalyzer(AnalyzerKind kind, SegmentMode mode, TextNormalizer normalizer, CharArraySet stopWords)
    {
        _kind = kind;
        _mode = mode;
        _normalizer = normalizer;
        _stopWords = stopWords;
    }

    /// <summary>The analyzer that writes the index: search mode (sub-words stacked on their word).</summary>
    public static MatchingAnalyzer ForIndexing(AnalyzerKind kind) =>
        new(kind, SegmentMode.Search, TextNormalizer.Default, StopWords.Default);

    /// <summary>The analyzer for query text: precise mode, one term per word.</summary>
    public static MatchingAnalyzer ForQueries(AnalyzerKind kind) =>
        new(kind, SegmentMode.Precise, TextNormalizer.Default, StopWords.Default);

    public AnalyzerKind Kind => _kind;

    /// <summary>A string that changes whenever tokens could change: recorded in every index, checked on open.</summary>
    public static string VersionOf(AnalyzerKind kind)
    {
        var segmenter = kind == AnalyzerKind.Jieba ? ChineseSegmenter.Shared.Fingerprint : "smartcn-4.8.0-beta00017";
        var identity = $"{segmenter};{TextNormalizer.Version};opencc-{ChineseConverter.Default.Fingerprint};stop-{StopWords.Fingerprint};{ChineseSegmenter.QuantityVersion}";
        return $"{kind.ToString().ToLowerInvariant()}/{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16].ToLowerInvariant()}";
    }

    protected override TextReader InitReader(string fieldName, TextReader reader) =>
        new NormalizingCharFilter(reader, _normalizer);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        Tokenizer tokenizer = _kind switch
        {
            AnalyzerKind.Jieba => new JiebaTokenizer(reader, ChineseSegmenter.Shared, _mode),
            AnalyzerKind.SmartCn => new HMMChineseTokenizer(reader),
            _ => throw new ArgumentOutOfRangeException(nameof(fieldName), _kind, "unknown analyzer"),
        };

        TokenStream stream = new StopFilter(Lucene, tokenizer, _stopWords);
        if (_kind == AnalyzerKind.SmartCn)
        {
            stream = new PunctuationFilter(stream);
        }

        return new TokenStreamComponents(tokenizer, stream);
    }

    /// <summary>Analyses one string into its terms, in order (sub-words included in search mode).</summary>
    public List<string> Terms(string text, string fieldName = "text")
    {
        var terms = new List<string>();
        using var stream = GetTokenStream(fieldName, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }

        stream.End();
        return terms;
    }
}

/// <summary>Drops tokens without a letter or digit (SmartCn emits punctuation as tokens).</summary>
internal sealed class PunctuationFilter : Lucene.Net.Analysis.Util.FilteringTokenFilter
{
    private readonly Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute _term;

    public PunctuationFilter(TokenStream input) : base(LuceneVersion.LUCENE_48, input) =>
        _term = AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();

    protected override bool Accept()
    {
        var buffer = _term.Buffer;
        for (var i = 0; i < _term.Length; i++)
        {
            if (char.IsLetterOrDigit(buffer[i]))
            {
                return true;
            }
        }

        return false;
    }
}
