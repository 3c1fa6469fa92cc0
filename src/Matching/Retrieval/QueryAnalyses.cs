using System.Collections.Concurrent;

namespace Matching.Retrieval;

/// <summary>Query analyses made ahead: in an in-memory batch every record is indexed and then asked as a query of the
/// other side, and its text was segmented for the index already. Each record's query terms are analysed right after its
/// profile (jieba's tokens come from the segmenter's memo, see <c>ChineseSegmenter.Remember</c>) and kept here until its
/// query takes them.</summary>
/// <remarks>Thread-safe. An analysis is taken once (a query asked again is analysed again, with the same result), so the
/// memory goes as the batch goes. Term strings are shared between records.</remarks>
internal sealed class QueryAnalyses
{
    private readonly ConcurrentDictionary<string, (string Term, float Weight)[]> _byQuery = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>Analyses kept (not yet taken).</summary>
    public int Count => _byQuery.Count;

    public void Add(QueryText query, List<(string Term, float Weight)> terms)
    {
        // Kept as an array of exactly its length (a list's spare capacity was a third of the memory kept).
        var kept = new (string Term, float Weight)[terms.Count];
        for (var i = 0; i < kept.Length; i++)
        {
            var term = terms[i].Term;
            kept[i] = (_strings.GetOrAdd(term, term), terms[i].Weight);
        }

        _byQuery[query.Key] = kept;
    }

    /// <summary>The analysis of a query with exactly this text, or null.</summary>
    public (string Term, float Weight)[]? Take(QueryText query) =>
        !_byQuery.IsEmpty && _byQuery.TryRemove(query.Key, out var terms) ? terms : null;
}
