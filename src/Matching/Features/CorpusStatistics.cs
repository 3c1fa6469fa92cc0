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

    public float AverageLength { get; }

    public int DocumentFrequency(int term) => _documentFrequency.GetValueOrDefault(term);

    /// <summary>BM25's idf: log(1 + (N − df + 0.5) / (df + 0.5)); never negative.</summary>
    public float Idf(int term)
    {
        var df = DocumentFrequency(term);
        return MathF.Log(1f + ((DocumentCount - df + 0.5f) / (df + 0.5f)));
    }
}
