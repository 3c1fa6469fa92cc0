using System.Numerics.Tensors;

namespace Matching.Features;

/// <summary>The <c>semantic_cosine</c> column: the cosine of the query's and each candidate's text vector (unit vectors
/// from the route by meaning's encoder). The extractor leaves it unknown (<see cref="PairFeatures.UnknownSimilarity"/>);
/// callers that hold vectors fill it in, so training and scoring share this one definition.</summary>
internal static class SemanticSimilarity
{
    /// <summary>Sets the column of each row: the dot product of <paramref name="query"/> and the candidate's vector, or
    /// unknown when either is missing or all zero (a text with no word the encoder knows).</summary>
    /// <param name="rows">Feature rows, one per candidate (row-major, <see cref="PairFeatures.Count"/> wide).</param>
    /// <param name="query">The query record's unit vector, or null.</param>
    /// <param name="candidateIds">The candidates, in row order.</param>
    /// <param name="cosine">The cosine of <paramref name="query"/> with a candidate's vector, or null when the candidate has none.</param>
    public static void Fill(Span<float> rows, float[]? query, IReadOnlyList<string> candidateIds, Func<float[], string, float?> cosine)
    {
        var n = PairFeatures.Count;
        var column = PairFeatures.SemanticCosineIndex;
        var known = query is not null && TensorPrimitives.MaxMagnitude(query) != 0;
        for (var i = 0; i < candidateIds.Count; i++)
        {
            rows[(i * n) + column] = known && cosine(query!, candidateIds[i]) is { } value ? value : PairFeatures.UnknownSimilarity;
        }
    }
}

/// <summary>Unit text vectors of a data set's records by id, one encoder for both sides.</summary>
/// <param name="achievementCosine">The cosine of a query vector with an achievement's vector (by id), or null.</param>
/// <param name="demands">The demands' vectors by id.</param>
internal sealed class RecordVectors(Func<float[], string, float?> achievementCosine, IReadOnlyDictionary<string, float[]> demands)
{
    /// <summary>Encodes every record's text (ids and texts of each side).</summary>
    public static RecordVectors Encode(Text.ITextEncoder encoder, List<(string Id, string Text)> achievements, List<(string Id, string Text)> demands)
    {
        var achievementVectors = EncodeAll(encoder, achievements);
        return new((query, id) => achievementVectors.TryGetValue(id, out var v) ? Retrieval.VectorIndex.Cosine(query, v) : null, EncodeAll(encoder, demands));
    }

    /// <summary>The achievements' vectors already held by a vector index (the route by meaning's, built by the same
    /// encoder), the demands' encoded.</summary>
    public static RecordVectors Encode(Text.ITextEncoder encoder, Retrieval.VectorIndex achievements, List<(string Id, string Text)> demands) =>
        new(achievements.CosineWith, EncodeAll(encoder, demands));

    private static Dictionary<string, float[]> EncodeAll(Text.ITextEncoder encoder, List<(string Id, string Text)> records)
    {
        const int batch = 256;
        var vectors = new Dictionary<string, float[]>(records.Count, StringComparer.Ordinal);
        for (var start = 0; start < records.Count; start += batch)
        {
            var chunk = records.GetRange(start, Math.Min(batch, records.Count - start));
            var encoded = encoder.Encode([.. chunk.Select(r => r.Text)]);
            for (var i = 0; i < chunk.Count; i++)
            {
                vectors[chunk[i].Id] = encoded[i];
            }
        }

        return vectors;
    }

    /// <summary>Sets <c>semantic_cosine</c> on a demand's rows.</summary>
    public void Fill(string demandId, Span<float> rows, IReadOnlyList<string> achievementIds) =>
        SemanticSimilarity.Fill(rows, demands.GetValueOrDefault(demandId), achievementIds, achievementCosine);
}
