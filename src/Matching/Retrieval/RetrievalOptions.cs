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

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid retrieval options: " + string.Join("; ", problems) + ".");
        }
    }
}
