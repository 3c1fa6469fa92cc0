namespace Matching.Ranking;

/// <summary>How a model's final score mixes its trees with the BM25 order it reranks:
/// <c>score = Trees × (sum of the trees) + Anchor × (−ln bm25_rank)</c>, where <c>bm25_rank</c> is the candidate's
/// rank by the <c>bm25</c> pair feature within its list. That is the list's own order for given candidate lists
/// (judged-only evaluation) and close to the retrieval order otherwise (retrieval weighs fields and sub-words a little
/// differently).</summary>
/// <remarks>
/// <para>A reranker trained on little data, or on data unlike the task, can rank below the BM25 order it starts from.
/// <see cref="Anchor"/> 0 is the trees alone, a large anchor keeps BM25's order and lets the trees decide only among
/// near neighbours, and <see cref="Bm25Only"/> is BM25's order itself. Training chooses the blend from
/// <see cref="Grid"/> by cross-validation on the training data (within each outer fold when it reports
/// cross-validated figures, so they are not chosen by the numbers they report).</para>
/// <para>−ln rank is 0 for BM25's first candidate, −0.69 for the second and −4.6 for the hundredth; tree scores of the
/// shipped models span a few units, so the grid's anchors range from a nudge to a near-veto.</para>
/// </remarks>
/// <param name="Trees">Weight of the trees' sum: 1, or 0 for BM25's order alone.</param>
/// <param name="Anchor">Weight of −ln of the candidate's BM25 rank (the <c>bm25_rank</c> feature).</param>
public sealed record ScoreBlend(double Trees, double Anchor)
{
    /// <summary>The trees alone (every model trained before blends existed).</summary>
    public static ScoreBlend TreesOnly { get; } = new(1, 0);

    /// <summary>The order of the bm25 feature (the trees are kept but do not move anything).</summary>
    public static ScoreBlend Bm25Only { get; } = new(0, 1);

    /// <summary>The blends training chooses from, in order of preference on ties: the trees, or BM25's order when
    /// cross-validation says the trees rank below it.</summary>
    /// <remarks>Intermediate anchors (trees + 0.1 … 4 × −ln rank) were tried as a grid and as trees, 1, BM25: chosen
    /// within each fold by inner cross-validation they lost on PAWS-X (0.8296 and 0.8370 against 0.8444) and
    /// LCQMC, because an inner split of a few hundred demands picks among close blends by noise
    /// (benchmarks/quality.md).</remarks>
    public static IReadOnlyList<ScoreBlend> Grid { get; } = [TreesOnly, Bm25Only];

    /// <summary>Whether this is <see cref="TreesOnly"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsTreesOnly => Trees == 1 && Anchor == 0;

    /// <summary>Throws when a model file's blend is not one a model can score with.</summary>
    internal void Validate(string path)
    {
        if (!double.IsFinite(Trees) || !double.IsFinite(Anchor) || Trees < 0 || Anchor < 0 || (Trees == 0 && Anchor == 0))
        {
            throw new ModelFormatException(FormattableString.Invariant(
                $"{path}: the model's score blend (trees {Trees}, anchor {Anchor}) needs finite weights of at least 0, not both 0"));
        }
    }

    /// <summary>The blended score of one candidate.</summary>
    /// <param name="trees">The trees' sum.</param>
    /// <param name="bm25Rank">The candidate's 1-based BM25 rank (values below 1 count as 1).</param>
    public float Apply(float trees, float bm25Rank) =>
        (float)((Trees * trees) - (Anchor * Math.Log(Math.Max(1, bm25Rank))));

    /// <summary>As text: <c>trees</c>, <c>trees + 0.5 × BM25 rank</c> or <c>BM25</c>.</summary>
    public string Describe() => IsTreesOnly
        ? "trees"
        : Trees == 0
            ? "BM25 order"
            : FormattableString.Invariant($"trees + {Anchor} x -ln(BM25 rank)");
}
