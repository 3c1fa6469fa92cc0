using Matching.Features;
using Matching.Reporting;

namespace Matching.Ranking;

/// <summary>Which features moved a pair's score, read off the tree ensemble.</summary>
/// <remarks>A feature's contribution is the score change when the pair's value of that feature is replaced by
/// the median of the candidate list it was ranked in (all other features kept): "how much better or worse
/// than a typical candidate this feature made it". One compiled-model evaluation per feature, so an
/// explanation costs microseconds.</remarks>
internal static class PairExplainer
{
    /// <summary>Chinese labels of the features, for reports and <c>matching explain</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["bm25"] = "需求→成果文本相关度(BM25)",
        ["bm25_reverse"] = "成果→需求文本相关度(BM25)",
        ["bm25_rank"] = "BM25名次",
        ["bm25_norm"] = "相对最佳BM25",
        ["idf_coverage_demand"] = "需求要点覆盖率",
        ["idf_coverage_achievement"] = "成果要点覆盖率",
        ["title_coverage"] = "需求标题覆盖率",
        ["keyword_exact"] = "需求关键词原文命中",
        ["keyword_segmented"] = "需求关键词分词命中",
        ["word_overlap"] = "共同词数",
        ["word_jaccard"] = "词语重合度",
        ["char_overlap"] = "共同字数",
        ["char_jaccard"] = "字符重合度",
        ["bigram_overlap"] = "共同双字数",
        ["bigram_jaccard"] = "双字重合度",
        ["max_idf_unmatched_demand"] = "未覆盖的最关键需求词",
        ["demand_length"] = "需求长度",
        ["achievement_length"] = "成果长度",
        ["length_ratio"] = "长度比",
        ["number_mismatch"] = "数字不一致",
        ["latin_mismatch"] = "英文术语不一致",
        ["negation_mismatch"] = "否定表述不一致",
        ["domain_fit"] = "领域与行业匹配",
        ["same_region"] = "同省份",
        ["maturity_fit"] = "成熟度差(成果−要求)",
        ["char_lcs_ratio"] = "字序重合度(最长公共子序列)",
        ["char_edit_distance"] = "短文本编辑距离",
        ["word_pair_overlap"] = "相邻词对重合度",
        ["title_bigram_jaccard"] = "标题双字重合度",
        ["spec_met"] = "满足的需求指标数",
        ["spec_conflict"] = "冲突的需求指标数",
        ["char_order_loss"] = "共有字的语序错位比例",
        ["semantic_cosine"] = "语义相似度(文本向量余弦)",
    };

    /// <summary>The <paramref name="top"/> largest contributions for row <paramref name="index"/> of a list.</summary>
    public static IReadOnlyList<FeatureContribution> Explain(RankerModel model, float[] rows, int count, int index, int top = 5)
    {
        var n = PairFeatures.Count;
        var medians = new float[n];
        var column = new float[count];
        for (var j = 0; j < n; j++)
        {
            for (var i = 0; i < count; i++)
            {
                column[i] = rows[(i * n) + j];
            }

            Array.Sort(column);
            medians[j] = column[count / 2];
        }

        var row = rows.AsSpan(index * n, n).ToArray();
        var baseScore = model.Compiled.Score(row);
        var variants = new float[n * n];
        for (var j = 0; j < n; j++)
        {
            row.CopyTo(variants, j * n);
            variants[(j * n) + j] = medians[j];
        }

        var scores = new float[n];
        model.Score(variants, n, scores);
        return [.. Enumerable.Range(0, n)
            .Select(j => (j, delta: (double)baseScore - scores[j]))
            .Where(x => Math.Abs(x.delta) > 1e-6)
            .OrderByDescending(x => Math.Abs(x.delta))
            .ThenBy(x => x.j)
            .Take(top)
            .Select(x => new FeatureContribution(PairFeatures.Names[x.j], Labels[PairFeatures.Names[x.j]], Math.Round(row[x.j], 6), Math.Round(x.delta, 6)))];
    }
}
