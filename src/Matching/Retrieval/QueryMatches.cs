namespace Matching.Retrieval;

/// <summary>The matches of one query record (a demand or an achievement), best first.</summary>
/// <param name="QueryId">The id of the demand (or achievement) the candidates answer.</param>
/// <param name="Candidates">The retrieved records, best first.</param>
public sealed record QueryMatches(string QueryId, IReadOnlyList<Candidate> Candidates);

/// <summary>Both directions of a batch run.</summary>
/// <param name="ByDemand">For every demand, its best achievements, in demand order of the input.</param>
/// <param name="ByAchievement">For every achievement, its best demands, in achievement order of the input.</param>
public sealed record BatchMatches(IReadOnlyList<QueryMatches> ByDemand, IReadOnlyList<QueryMatches> ByAchievement);
