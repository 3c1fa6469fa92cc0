namespace Matching.Ranking;

/// <summary>One query's candidate list with its features and judged grades.</summary>
/// <param name="QueryId">The demand id.</param>
/// <param name="CandidateIds">Candidates in baseline (BM25) order.</param>
/// <param name="Features">Row-major features, one row per candidate.</param>
/// <param name="Grades">Judged grade per candidate, at least 0; 0 when unjudged or judged non-relevant (grade &lt;= 0).</param>
/// <param name="Judged">Whether each candidate was judged (grade 0 may be a judged negative or unjudged).</param>
/// <param name="BaselineKeys">The key the baseline order ranks by, per candidate (non-increasing): the BM25 retrieval
/// score, or the bm25 feature for given candidate lists; null when unknown (then the bm25 feature).</param>
internal sealed record RankingGroup(string QueryId, string[] CandidateIds, float[] Features, int[] Grades, bool[] Judged, double[]? BaselineKeys = null)
{
    public int Count => CandidateIds.Length;

    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(i * Matching.Features.PairFeatures.Count, Matching.Features.PairFeatures.Count);
}

/// <summary>Metrics of condensed (judged-only) lists: only judged candidates, queries with at least one relevant
/// and one judged non-relevant candidate.</summary>
/// <param name="Queries">Queries averaged over.</param>
/// <param name="Mrr">Mean reciprocal rank of the first relevant candidate.</param>
/// <param name="Ndcg">nDCG over the whole list, gains 2^grade − 1 (0 for grade &lt;= 0).</param>
/// <param name="P1">Share of queries whose first candidate is relevant.</param>
public sealed record JudgedMetrics(int Queries, double Mrr, double Ndcg, double P1)
{
    internal static JudgedMetrics Compute(IEnumerable<(int[] Grades, int[] Order)> lists)
    {
        double mrr = 0, ndcg = 0, p1 = 0;
        var queries = 0;
        foreach (var (grades, order) in lists)
        {
            queries++;
            for (var r = 0; r < order.Length; r++)
            {
                if (grades[order[r]] > 0)
                {
                    mrr += 1.0 / (r + 1);
                    break;
                }
            }

            p1 += order.Length > 0 && grades[order[0]] > 0 ? 1 : 0;
            double dcg = 0, ideal = 0;
            var sorted = grades.OrderByDescending(g => g).ToArray();
            for (var r = 0; r < order.Length; r++)
            {
                dcg += Gain(grades[order[r]]) / Math.Log2(r + 2);
                ideal += Gain(sorted[r]) / Math.Log2(r + 2);
            }

            ndcg += ideal > 0 ? dcg / ideal : 0;
        }

        return queries == 0 ? new JudgedMetrics(0, 0, 0, 0) : new JudgedMetrics(queries, mrr / queries, ndcg / queries, p1 / queries);
    }

    /// <summary>2^grade − 1 for a relevant grade; 0 for grade &lt;= 0 (non-relevant, never a negative gain).</summary>
    private static double Gain(int grade) => grade > 0 ? Math.Pow(2, grade) - 1 : 0;
}
