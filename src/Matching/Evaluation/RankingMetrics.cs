namespace Matching.Evaluation;

/// <summary>Mean ranking metrics over the queries that have at least one relevant judgment.</summary>
/// <param name="Queries">Queries averaged over (those with a relevant judgment).</param>
/// <param name="Mrr10">Mean reciprocal rank of the first relevant result within the top 10.</param>
/// <param name="Ndcg10">Binary nDCG@10 (grade &gt; 0 is relevant).</param>
/// <param name="Recall10">Share of relevant records found in the top 10.</param>
/// <param name="Recall100">Share of relevant records found in the top 100.</param>
public sealed record RankingMetrics(int Queries, double Mrr10, double Ndcg10, double Recall10, double Recall100)
{
    /// <summary>Computes the metrics of a run against judgments. A query with no results scores 0.</summary>
    /// <param name="ranked">Per query id, the ranked result ids (best first).</param>
    /// <param name="relevant">Per query id, the ids judged relevant (grade &gt; 0).</param>
    public static RankingMetrics Compute(
        IReadOnlyDictionary<string, IReadOnlyList<string>> ranked,
        IReadOnlyDictionary<string, IReadOnlySet<string>> relevant)
    {
        double mrr = 0, ndcg = 0, r10 = 0, r100 = 0;
        var queries = 0;
        foreach (var (query, relevantIds) in relevant)
        {
            if (relevantIds.Count == 0)
            {
                continue;
            }

            queries++;
            var results = ranked.GetValueOrDefault(query) ?? [];
            mrr += ReciprocalRank(results, relevantIds, 10);
            ndcg += Ndcg(results, relevantIds, 10);
            r10 += Recall(results, relevantIds, 10);
            r100 += Recall(results, relevantIds, 100);
        }

        return queries == 0
            ? new RankingMetrics(0, 0, 0, 0, 0)
            : new RankingMetrics(queries, mrr / queries, ndcg / queries, r10 / queries, r100 / queries);
    }

    internal static double ReciprocalRank(IReadOnlyList<string> results, IReadOnlySet<string> relevant, int depth)
    {
        for (var i = 0; i < Math.Min(depth, results.Count); i++)
        {
            if (relevant.Contains(results[i]))
            {
                return 1.0 / (i + 1);
            }
        }

        return 0;
    }

    internal static double Ndcg(IReadOnlyList<string> results, IReadOnlySet<string> relevant, int depth)
    {
        double dcg = 0, ideal = 0;
        for (var i = 0; i < Math.Min(depth, results.Count); i++)
        {
            if (relevant.Contains(results[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }
        }

        for (var i = 0; i < Math.Min(depth, relevant.Count); i++)
        {
            ideal += 1 / Math.Log2(i + 2);
        }

        return ideal == 0 ? 0 : dcg / ideal;
    }

    internal static double Recall(IReadOnlyList<string> results, IReadOnlySet<string> relevant, int depth)
    {
        var found = 0;
        for (var i = 0; i < Math.Min(depth, results.Count); i++)
        {
            if (relevant.Contains(results[i]))
            {
                found++;
            }
        }

        return (double)found / relevant.Count;
    }
}
