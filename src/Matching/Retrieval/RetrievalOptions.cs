namespace Matching.Retrieval;

/// <summary>How queries are built from a record's text.</summary>
/// <remarks>Defaults were chosen on CSL dev and the sample event; see the README's retrieval section.</remarks>
public sealed class RetrievalOptions
{
    /// <summary>Boost of a match in the title. Default 2.0: a title names the subject.</summary>
    public float TitleBoost { get; init; } = 2.0f;

    /// <summary>Boost of a match in the keywords. Default 1.5: keywords are chosen terms.</summary>
    public float KeywordsBoost { get; init; } = 1.5f;

    /// <summary>Boost of a match in the abstract or description. Default 1.0.</summary>
    public float BodyBoost { get; init; } = 1.0f;

    /// <summary>Weight of a dictionary sub-word of a longer query word (电池 inside 锂离子电池), relative to a
    /// whole word. Default 0.3: partial matches count, but less than the compound itself.</summary>
    public float SubwordWeight { get; init; } = 0.3f;

    /// <summary>The most distinct query terms kept, highest weight × idf first. Default 64: the smallest cap whose
    /// MRR@10, BM25 and reranked, stays within 0.002 of 300 terms on the judged long-query sets and on CSL dev
    /// (benchmarks/notes/cap.md); the terms it drops are the commonest, which carry the least. Each term becomes up
    /// to three clauses (one per field), so at most 340 stay below Lucene's limit of 1,024 clauses.</summary>
    public int MaxQueryTerms { get; init; } = 64;

    /// <summary>Whether queries are expanded by pseudo-relevance feedback (RM3: Lavrenko and Croft's relevance model
    /// of the first retrieval's top <see cref="FeedbackDocs"/> records, its <see cref="FeedbackTerms"/> strongest terms
    /// interpolated with the query, weight <see cref="OriginalQueryWeight"/> on the query), then retrieved again. A
    /// query then also finds records that share no word with it but share words with its best hits. Costs a second
    /// retrieval and the feedback records' term vectors per query. Default false (benchmarks/notes/rm3.md).</summary>
    public bool Feedback { get; init; }

    /// <summary>Records of the first retrieval the relevance model is estimated from. Default 10 (Anserini's).</summary>
    public int FeedbackDocs { get; init; } = 10;

    /// <summary>Terms of the relevance model kept (the strongest), before interpolation. Default 10 (Anserini's).</summary>
    public int FeedbackTerms { get; init; } = 10;

    /// <summary>The original query's share of the expanded query, in [0, 1]: 1 is no expansion, 0 the relevance
    /// model alone. Default 0.7: on BQ as good as Anserini's 0.5 for recall@100 with a better MRR@10, and a smaller
    /// loss on CSL dev (benchmarks/notes/rm3.md).</summary>
    public float OriginalQueryWeight { get; init; } = 0.7f;

    internal void Validate()
    {
        var problems = new List<string>();
        if (TitleBoost < 0 || KeywordsBoost < 0 || BodyBoost < 0)
        {
            problems.Add("field boosts must not be negative");
        }

        if (SubwordWeight < 0)
        {
            problems.Add("SubwordWeight must not be negative");
        }

        if (MaxQueryTerms is < 1 or > 340)
        {
            problems.Add("MaxQueryTerms must be between 1 and 340 (three clauses a term, Lucene allows 1,024)");
        }

        if (FeedbackDocs < 1 || FeedbackTerms < 1)
        {
            problems.Add("FeedbackDocs and FeedbackTerms must be at least 1");
        }

        if (Feedback && MaxQueryTerms + FeedbackTerms > 340)
        {
            problems.Add("MaxQueryTerms + FeedbackTerms must be at most 340 with feedback on (three clauses a term, Lucene allows 1,024)");
        }

        if (!(OriginalQueryWeight is >= 0f and <= 1f))
        {
            problems.Add("OriginalQueryWeight must be between 0 and 1");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid retrieval options: " + string.Join("; ", problems) + ".");
        }
    }
}
