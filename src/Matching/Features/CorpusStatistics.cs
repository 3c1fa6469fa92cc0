using Matching.Text;

namespace Matching.Features;

/// <summary>Document frequencies and average length of one side's records (achievements or demands),
/// for BM25 and idf-weighted features computed without Lucene.</summary>
/// <remarks>Frequencies and weights are arrays by term id (ids are dense): a lookup per word of every profile prepared,
/// which a profile store prepares on demand, many times per record.</remarks>
internal sealed class CorpusStatistics
{
    private readonly int[] _documentFrequency;

    public CorpusStatistics(IEnumerable<RecordProfile> profiles)
    {
        var df = new int[1024];
        long totalLength = 0;
        foreach (var profile in profiles)
        {
            DocumentCount++;
            totalLength += profile.Length;
            foreach (var term in profile.Terms)
            {
                if (term >= df.Length)
                {
                    Array.Resize(ref df, Math.Max(term + 1, df.Length * 2));
                }

                df[term]++;
            }
        }

        _documentFrequency = df;
        AverageLength = DocumentCount == 0 ? 1f : Math.Max(1f, (float)totalLength / DocumentCount);
    }

    /// <summary>Statistics counted elsewhere (one pass over a <see cref="ProfileStore"/>'s term lists).</summary>
    /// <param name="documentCount">Records.</param>
    /// <param name="totalLength">Their lengths summed.</param>
    /// <param name="documentFrequency">Records holding each term, by term id (owned from now on).</param>
    public CorpusStatistics(int documentCount, long totalLength, int[] documentFrequency)
    {
        _documentFrequency = documentFrequency;
        DocumentCount = documentCount;
        AverageLength = DocumentCount == 0 ? 1f : Math.Max(1f, (float)totalLength / DocumentCount);
    }

    public int DocumentCount { get; }

    /// <summary>Terms weighing less than 1 as evidence of a match (<see cref="GenericWords.CorpusWeight"/>), by term id;
    /// shared by both sides once <see cref="WeighGenericWords"/> has run.</summary>
    private float[] _weights = [];

    /// <summary>The weight of a term as evidence of a match, in [0, 1]: 1 unless it is common to both sides or
    /// achievement boilerplate (see <see cref="GenericWords.CorpusWeight"/>).</summary>
    public float Weight(int term) => (uint)term < (uint)_weights.Length ? _weights[term] : 1f;

    /// <summary>Weighs every term of either side by its document frequencies on both, and gives both the result.</summary>
    public static void WeighGenericWords(CorpusStatistics achievements, CorpusStatistics demands)
    {
        var weights = new float[achievements._documentFrequency.Length];
        Array.Fill(weights, 1f);
        for (var term = 0; term < weights.Length; term++)
        {
            if (achievements._documentFrequency[term] == 0)
            {
                continue;
            }

            var weight = GenericWords.CorpusWeight(
                achievements.DocumentFrequency(term), achievements.DocumentCount, demands.DocumentFrequency(term), demands.DocumentCount);
            if (weight < 1f)
            {
                weights[term] = weight;
            }
        }

        achievements._weights = weights;
        demands._weights = weights;
    }

    public float AverageLength { get; }

    public int DocumentFrequency(int term) => (uint)term < (uint)_documentFrequency.Length ? _documentFrequency[term] : 0;

    /// <summary>BM25's idf: log(1 + (N − df + 0.5) / (df + 0.5)); never negative.</summary>
    public float Idf(int term)
    {
        var df = DocumentFrequency(term);
        return MathF.Log(1f + ((DocumentCount - df + 0.5f) / (df + 0.5f)));
    }
}
