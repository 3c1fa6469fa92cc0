namespace Matching.Retrieval;

/// <summary>Reciprocal-rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a record's fused score is the sum over
/// the lists holding it of 1 / (k + rank), rank 1-based.</summary>
public static class RankFusion
{
    /// <summary>The usual constant k.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses lists of ids, best first; ties by ordinal id. The result carries the fused score, its 1-based rank
    /// and the matched terms of the first list's candidate when it has one.</summary>
    /// <param name="lexical">The BM25 candidates, best first.</param>
    /// <param name="semantic">The nearest neighbours by meaning, best first.</param>
    /// <param name="k">The constant k (≥ 1).</param>
    public static IReadOnlyList<Candidate> Fuse(IReadOnlyList<Candidate> lexical, IReadOnlyList<string> semantic, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(lexical);
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var terms = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < lexical.Count; i++)
        {
            scores[lexical[i].Id] = scores.GetValueOrDefault(lexical[i].Id) + (1.0 / (k + i + 1));
            terms.TryAdd(lexical[i].Id, lexical[i].MatchedTerms);
        }

        for (var i = 0; i < semantic.Count; i++)
        {
            scores[semantic[i]] = scores.GetValueOrDefault(semantic[i]) + (1.0 / (k + i + 1));
        }

        return [.. scores
            .OrderByDescending(p => p.Value)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select((p, rank) => new Candidate(p.Key, rank + 1, p.Value, terms.GetValueOrDefault(p.Key) ?? []))];
    }
}
