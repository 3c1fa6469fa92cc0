using Matching.Features;
using Matching.Ranking;
using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>Why one achievement is (or is not) recommended for one demand.</summary>
/// <param name="Demand">The demand.</param>
/// <param name="Achievement">The achievement.</param>
/// <param name="Rank">Its rank among the demand's candidates, or null when outside the first <see cref="EventPlanner.FilterDepth"/>.</param>
/// <param name="Score">The ranking score (reranker, or BM25 without one).</param>
/// <param name="Bm25">The pair's own BM25 (demand words against the achievement).</param>
/// <param name="Explanation">Matched terms, snippets and feature contributions.</param>
public sealed record PairExplanation(Demand Demand, Achievement Achievement, int? Rank, double Score, double Bm25, Explanation Explanation)
{
    /// <summary>The calibrated probability that the pair is a useful match, or null when the engine has no calibration.</summary>
    public double? Strength { get; init; }
}

/// <summary>Builds explanations — highlighted passages and the features that moved a score — for report cards and
/// for <see cref="MatchingEngine.Explain"/>, from feature rows computed once per candidate list.</summary>
internal sealed class PairExplanations(MatchingEngine engine) : IDisposable
{
    private readonly SnippetHighlighter _highlighter = new(engine.Analyzer);
    // A card explains ten or more achievements for one demand, and an achievement is recommended to many demands:
    // each record's side of a bridge is analysed once per run (keyed by text: at most one entry a record).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BridgeSide> _demandSides = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, BridgeSide> _achievementSides = new(StringComparer.Ordinal);
    private readonly Lazy<Text.WordVectors?> _vectors = new(() => engine.BridgeVectors, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The explanation of row <paramref name="index"/> of a list's feature rows (<paramref name="rows"/> null:
    /// no contributions, as without a ranker).</summary>
    /// <remarks>Without <paramref name="withSnippets"/> the explanation has no highlighted passages. With the route by
    /// meaning on and word vectors, it shows the pair's bridges (<see cref="TermBridge"/>).</remarks>
    public Explanation Explain(Demand demand, Achievement achievement, IReadOnlyList<string> terms, float[]? rows, int count, int index, int top, bool withSnippets = true)
    {
        List<Snippet> snippets = withSnippets
            ? [.. _highlighter.Highlight("title", achievement.Title, terms, 1), .. _highlighter.Highlight("abstract", achievement.Abstract, terms, 2)]
            : [];
        IReadOnlyList<FeatureContribution> contributions = rows is not null && engine.Ranker is { } ranker
            ? PairExplainer.Explain(ranker, rows, count, index, top)
            : [];
        var bridges = _vectors.Value is { } vectors
            ? TermBridges.Find(vectors,
                _demandSides.GetOrAdd(SemanticRoute.TextOf(demand), text => BridgeSide.Of(engine.TellingTerms(demand), text)),
                _achievementSides.GetOrAdd(SemanticRoute.TextOf(achievement), text => BridgeSide.Of(engine.TellingTerms(achievement), text)),
                terms)
            : [];
        return new Explanation(terms, snippets, contributions) { Bridges = bridges.Count > 0 ? bridges : null };
    }

    /// <summary>Explains achievements for one demand, recommended or not.</summary>
    public IReadOnlyList<PairExplanation> ForDemand(Demand demand, IReadOnlyList<Achievement> achievements)
    {
        var list = Rank(demand, Math.Max(EventPlanner.FilterDepth, engine.RerankDepth), achievements);
        var terms = engine.WithMatchedTerms(demand, [.. achievements.Select(a => new Candidate(a.Id, 0, 0, []))]);
        return [.. achievements.Select((a, i) => Explain(list, demand, a, list.Ids.IndexOf(a.Id), terms[i].MatchedTerms))];
    }

    /// <summary>The best <paramref name="topK"/> achievements of a demand, each explained.</summary>
    public IReadOnlyList<PairExplanation> TopForDemand(Demand demand, int topK)
    {
        var list = Rank(demand, Math.Max(topK, Math.Max(EventPlanner.FilterDepth, engine.RerankDepth)), []);
        var top = list.Order.Take(topK).Select(i => engine.FindAchievement(list.Ids[i])).OfType<Achievement>().ToList();
        var terms = engine.WithMatchedTerms(demand, [.. top.Select(a => new Candidate(a.Id, 0, 0, []))]);
        return [.. top.Select((a, i) => Explain(list, demand, a, list.Ids.IndexOf(a.Id), terms[i].MatchedTerms))];
    }

    /// <summary>A demand's candidates (BM25 top <paramref name="depth"/>) plus <paramref name="extra"/> achievements,
    /// with their feature rows computed once; ranked as <see cref="MatchingEngine.RankDemand(Demand, int)"/> ranks
    /// (the model's scores over the retrieved list, ties in BM25 order; BM25 order without a model).</summary>
    private RankedList Rank(Demand demand, int depth, IReadOnlyList<Achievement> extra)
    {
        var retrieved = engine.RetrieveForDemand(demand, depth);
        var ids = retrieved.Select(c => c.Id).ToList();
        var present = ids.ToHashSet(StringComparer.Ordinal);
        ids.AddRange([.. extra.Select(a => a.Id).Where(present.Add)]);
        var rows = engine.FeaturesForDemand(demand, ids);
        var scores = new float[ids.Count];
        engine.Ranker?.Score(rows, ids.Count, scores);
        int[] order = engine.Ranker is null
            ? [.. Enumerable.Range(0, retrieved.Count)]
            : [.. Enumerable.Range(0, retrieved.Count).OrderByDescending(i => scores[i]).ThenBy(i => i)];
        return new RankedList(retrieved, ids, rows, scores, order);
    }

    private PairExplanation Explain(RankedList list, Demand demand, Achievement achievement, int index, IReadOnlyList<string> terms)
    {
        int? rank = index < list.Retrieved.Count ? Array.IndexOf(list.Order, index) + 1 : null;
        var bm25 = list.Rows[index * PairFeatures.Count];
        double score = engine.Ranker is null ? (index < list.Retrieved.Count ? list.Retrieved[index].Score : bm25) : list.Scores[index];
        var explanation = Explain(demand, achievement, terms, engine.Ranker is null ? null : list.Rows, list.Ids.Count, index, top: 8);
        return new PairExplanation(demand, achievement, rank, score, bm25, explanation)
        {
            Strength = engine.Probability(list.Rows.AsSpan(index * PairFeatures.Count, PairFeatures.Count), score),
        };
    }

    public void Dispose() => _highlighter.Dispose();

    private sealed record RankedList(IReadOnlyList<Candidate> Retrieved, List<string> Ids, float[] Rows, float[] Scores, int[] Order);
}
