using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Matching.Text;

namespace Matching.Retrieval;

/// <summary>Passages of a record with the matched terms marked, by Lucene's highlighter over Matching's own
/// analysis (so 鋰離子電池 in a Traditional abstract is marked for the term 锂离子电池).</summary>
internal sealed class SnippetHighlighter : IDisposable
{
    private const char Open = '\uE000';
    private const char Close = '\uE001';
    private const string Field = "text";

    private readonly MatchingAnalyzer _analyzer;

    public SnippetHighlighter(AnalyzerKind kind) => _analyzer = MatchingAnalyzer.ForIndexing(kind);

    /// <summary>Up to <paramref name="maxFragments"/> passages of about <paramref name="fragmentSize"/> chars
    /// around the terms, best first; none when no term occurs.</summary>
    public IReadOnlyList<Snippet> Highlight(string fieldName, string text, IReadOnlyList<string> terms, int maxFragments = 2, int fragmentSize = 80)
    {
        if (string.IsNullOrWhiteSpace(text) || terms.Count == 0)
        {
            return [];
        }

        // The markers are private-use characters; drop any in the input so they cannot be forged. Lucene's highlighter
        // looks at the first MaxDocCharsToAnalyze characters only, so only those are analysed (a long abstract was
        // otherwise segmented whole for every passage shown of it).
        var clean = Head(text, Highlighter.DEFAULT_MAX_CHARS_TO_ANALYZE).Replace(Open, ' ').Replace(Close, ' ');
        var query = new BooleanQuery(disableCoord: true);
        foreach (var term in terms.Distinct(StringComparer.Ordinal).Take(BooleanQuery.MaxClauseCount))
        {
            query.Add(new TermQuery(new Term(Field, term)), Occur.SHOULD);
        }

        var scorer = new QueryScorer(query, Field);
        var highlighter = new Highlighter(new MarkerFormatter(), scorer) { TextFragmenter = new SimpleSpanFragmenter(scorer, fragmentSize) };
        using var stream = _analyzer.GetTokenStream(Field, clean);
        var fragments = highlighter.GetBestTextFragments(stream, clean, mergeContiguousFragments: true, maxNumFragments: maxFragments);
        return [.. fragments
            .Where(f => f is not null && f.Score > 0)
            .Select(f => new Snippet(fieldName, Pieces(f.ToString())))];
    }

    private static string Head(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    private static List<SnippetPiece> Pieces(string marked)
    {
        var pieces = new List<SnippetPiece>();
        var start = 0;
        while (start < marked.Length)
        {
            var open = marked.IndexOf(Open, start);
            if (open < 0)
            {
                pieces.Add(new SnippetPiece(marked[start..], false));
                break;
            }

            if (open > start)
            {
                pieces.Add(new SnippetPiece(marked[start..open], false));
            }

            var close = marked.IndexOf(Close, open + 1);
            close = close < 0 ? marked.Length : close;
            pieces.Add(new SnippetPiece(marked[(open + 1)..close], true));
            start = close + 1;
        }

        return pieces;
    }

    public void Dispose() => _analyzer.Dispose();

    private sealed class MarkerFormatter : IFormatter
    {
        public string HighlightTerm(string originalText, TokenGroup tokenGroup) =>
            tokenGroup.TotalScore > 0 ? Open + originalText + Close : originalText;
    }
}
