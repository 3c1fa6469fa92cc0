using Matching.Retrieval;

namespace Matching.Ranking;

/// <summary>Why a pair was recommended.</summary>
/// <param name="MatchedTerms">Query terms found in the achievement, most important first.</param>
/// <param name="Snippets">Passages of the achievement with the matched terms marked.</param>
/// <param name="Contributions">Features that moved the score most, largest effect first (empty without a reranker).</param>
public sealed record Explanation(IReadOnlyList<string> MatchedTerms, IReadOnlyList<Snippet> Snippets, IReadOnlyList<FeatureContribution> Contributions)
{
    /// <summary>With the route by meaning on (word vectors): the demand's unmatched words paired with the achievement's
    /// words nearest in meaning, the demand's most telling word first (死鱼 ↔ 溶解氧, 增氧); null when there are none or no word vectors.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TermBridge>? Bridges { get; init; }
}

/// <summary>How much one feature moved a pair's score.</summary>
/// <param name="Feature">Feature name (see PairFeatures.Names).</param>
/// <param name="Label">Its Chinese label, e.g. 需求关键词覆盖.</param>
/// <param name="Value">The pair's value of the feature.</param>
/// <param name="Contribution">Score change it caused (positive: pushed the pair up).</param>
public sealed record FeatureContribution(string Feature, string Label, double Value, double Contribution);
