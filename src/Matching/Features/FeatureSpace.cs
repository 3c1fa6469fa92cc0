namespace Matching.Features;

/// <summary>Profiles of every achievement and demand, both sides' corpus statistics and the extractor:
/// the cached document statistics that make pair scoring a matter of merging sorted arrays.</summary>
internal sealed class FeatureSpace
{
    private readonly Dictionary<string, PreparedProfile> _achievements;
    private readonly Dictionary<string, PreparedProfile> _demands;

    private readonly ProfileBuilder _builder;

    private FeatureSpace(Dictionary<string, PreparedProfile> achievements, Dictionary<string, PreparedProfile> demands, PairFeatureExtractor extractor, ProfileBuilder builder)
    {
        _achievements = achievements;
        _demands = demands;
        Extractor = extractor;
        _builder = builder;
    }

    /// <summary>A demand outside the space (an ad-hoc query), profiled against the same statistics.</summary>
    public PreparedProfile PrepareDemand(Demand demand) => Extractor.PrepareDemand(_builder.Build(demand));

    /// <summary>An achievement outside the space (an ad-hoc query).</summary>
    public PreparedProfile PrepareAchievement(Achievement achievement) => Extractor.PrepareAchievement(_builder.Build(achievement));

    public PairFeatureExtractor Extractor { get; }

    /// <summary>Profiles every record (read once, lazily: the records need not all be in memory) against the
    /// statistics of its own side.</summary>
    public static FeatureSpace Build(IEnumerable<Achievement> achievements, IEnumerable<Demand> demands)
    {
        var builder = new ProfileBuilder(new TermDictionary());
        var achievementProfiles = builder.BuildAll(achievements, a => a.Id, builder.Analyze);
        var demandProfiles = builder.BuildAll(demands, d => d.Id, builder.Analyze);
        var achievementStats = new CorpusStatistics(achievementProfiles.Select(p => p.Profile));
        var demandStats = new CorpusStatistics(demandProfiles.Select(p => p.Profile));
        CorpusStatistics.WeighGenericWords(achievementStats, demandStats);
        var extractor = new PairFeatureExtractor(achievementStats, demandStats, builder.Terms);

        var a = new Dictionary<string, PreparedProfile>(achievementProfiles.Count, StringComparer.Ordinal);
        for (var i = 0; i < achievementProfiles.Count; i++)
        {
            a[achievementProfiles[i].Id] = extractor.PrepareAchievement(achievementProfiles[i].Profile);
            achievementProfiles[i] = default;
        }

        var d = new Dictionary<string, PreparedProfile>(demandProfiles.Count, StringComparer.Ordinal);
        for (var i = 0; i < demandProfiles.Count; i++)
        {
            d[demandProfiles[i].Id] = extractor.PrepareDemand(demandProfiles[i].Profile);
            demandProfiles[i] = default;
        }

        return new FeatureSpace(a, d, extractor, builder);
    }

    public PreparedProfile Achievement(string id) =>
        _achievements.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"achievement '{id}' is not in the feature space");

    public PreparedProfile Demand(string id) =>
        _demands.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"demand '{id}' is not in the feature space");

    /// <summary>The achievements' terms by profile: a profile's terms are the terms the index holds for its record (the
    /// same normalisation, search-mode segmentation and stop words).</summary>
    public Retrieval.ITermLookup AchievementTerms => new Lookup(_builder.Terms, _achievements);

    /// <summary>The demands' terms by profile (see <see cref="AchievementTerms"/>).</summary>
    public Retrieval.ITermLookup DemandTerms => new Lookup(_builder.Terms, _demands);

    private sealed class Lookup(TermDictionary terms, Dictionary<string, PreparedProfile> profiles) : Retrieval.ITermLookup
    {
        public int Id(string term) => terms.TryGet(term, out var id) ? id : -1;

        public int[]? TermsOf(string recordId) => profiles.TryGetValue(recordId, out var p) ? p.Profile.Terms : null;
    }

    public bool HasAchievement(string id) => _achievements.ContainsKey(id);

    public bool HasDemand(string id) => _demands.ContainsKey(id);

    /// <summary>Features of a demand's candidate achievements (row-major, one row per candidate).</summary>
    public float[] ForDemand(string demandId, IReadOnlyList<string> achievementIds) => ForDemand(Demand(demandId), achievementIds);

    public float[] ForDemand(PreparedProfile demand, IReadOnlyList<string> achievementIds)
    {
        var rows = new float[achievementIds.Count * PairFeatures.Count];
        Extractor.Compute(demand, achievementIds.Select(Achievement).ToList(), rows, demandIsQuery: true);
        return rows;
    }

    /// <summary>Features of an achievement's candidate demands (each row is still (demand, achievement)).</summary>
    public float[] ForAchievement(PreparedProfile achievement, IReadOnlyList<string> demandIds)
    {
        var rows = new float[demandIds.Count * PairFeatures.Count];
        Extractor.Compute(achievement, demandIds.Select(Demand).ToList(), rows, demandIsQuery: false);
        return rows;
    }
}
