using Matching.Text;

namespace Matching.Features;

/// <summary>Document frequencies and average length of one side's records (achievements or demands),
/// for BM25 and idf-weighted features computed without Lucene.</summary>
internal sealed class CorpusStatistics
{
    private readonly Dictionary<int, int> _documentFrequency;

    public CorpusStatistics(IEnumerable<RecordProfile> profiles)
    {
        _documentFrequency = [];
        long totalLength = 0;
        foreach (var profile in profiles)
        {
            DocumentCount++;
            totalLength += profile.Length;
            foreach (var term in profile.Terms)
            {
                _documentFrequency[term] = _documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        AverageLength = DocumentCount == 0 ? 1f : Math.Max(1f, (float)totalLength / DocumentCount);
    }

    public int DocumentCount { get; }

    /// <summary>Terms weighing less than 1 as evidence of a match (<see cref="GenericWords.CorpusWeight"/>); shared by
    /// both sides once <see cref="WeighGenericWords"/> has run.</summary>
    private Dictionary<int, float> _weights = [];

    /// <summary>The weight of a term as evidence of a match, in [0, 1]: 1 unless it is common to both sides or
    /// achievement boilerplate (see <see cref="GenericWords.CorpusWeight"/>).</summary>
    public float Weight(int term) => _weights.GetValueOrDefault(term, 1f);

    /// <summary>Weighs every term of either side by its document frequencies on both, and gives both the result.</summary>
    public static void WeighGenericWords(CorpusStatistics achievements, CorpusStatistics demands)
    {
        var weights = new Dictionary<int, float>();
        foreach (var term in achievements._documentFrequency.Keys)
        {
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

    public int DocumentFrequency(int term) => _documentFrequency.GetValueOrDefault(term);

    /// <summary>BM25's idf: log(1 + (N − df + 0.5) / (df + 0.5)); never negative.</summary>
    public float Idf(int term)
    {
        var df = DocumentFrequency(term);
        return MathF.Log(1f + ((DocumentCount - df + 0.5f) / (df + 0.5f)));
    }
}
