namespace Matching.Retrieval;

/// <summary>One retrieved record for a query record: its id, 1-based rank, BM25 score and the query terms it contains.</summary>
public sealed record Candidate(string Id, int Rank, double Score, IReadOnlyList<string> MatchedTerms);
