namespace Matching.Features;

/// <summary>Profiles of every achievement and demand, both sides' corpus statistics and the extractor:
/// the cached document statistics that make pair scoring a matter of merging sorted arrays.</summary>
/// <remarks>A side is either held in memory (every profile built and prepared up front) or read from an index's
/// <see cref="ProfileStore"/> when a profile is asked for (with a small cache): features are the same either way.</remarks>
internal sealed class FeatureSpace : IDisposable
{
    /// <summary>Prepared profiles a store-backed side keeps (direct-mapped by record ordinal), unless the store holds
    /// more than <see cref="LargeStore"/> records.</summary>
    public const int DefaultCacheSize = 32_768;

    /// <summary>From this many records a store-backed side keeps only <see cref="LargeStoreCacheSize"/> profiles.</summary>
    /// <remarks>Above it the cache holds under an eighth of the store, so hits are rare (at 1M, 200 queries' top-100
    /// lists already hold 19,831 distinct achievements of 20,000), and a cached profile lives for seconds before its slot
    /// is reused: long enough to be promoted and copied by the GC. One stored read at 1M
    /// (<c>Matching.Benchmarks scale-store IDX reads 100000</c>): 34–38 µs with 32,768 slots, 23 µs with 1,024 (GC pauses
    /// 9–25 µs → 0.8 µs a read). At 100k the larger cache still pays (≈ 27–30 against 33–46 µs a feature row).</remarks>
    public const int LargeStore = 8 * DefaultCacheSize;

    /// <summary>Prepared profiles a side read from a store of more than <see cref="LargeStore"/> records keeps.</summary>
    public const int LargeStoreCacheSize = 1_024;

    /// <summary>Slots of a stored side's cache: <paramref name="requested"/>, at most <see cref="LargeStoreCacheSize"/>
    /// above <see cref="LargeStore"/> records, never more than the records, at least one.</summary>
    internal static int CacheSlots(int records, int requested) =>
        Math.Max(1, Math.Min(records > LargeStore ? Math.Min(requested, LargeStoreCacheSize) : requested, records));

    private readonly Side _achievements;
    private readonly Side _demands;

    private readonly ProfileBuilder _builder;

    private FeatureSpace(Side achievements, Side demands, PairFeatureExtractor extractor, ProfileBuilder builder, bool profiledWhileIndexing = false)
    {
        ProfiledWhileIndexing = profiledWhileIndexing;
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

    /// <summary>Whether a side was built from profiles made while its records were indexed (<see cref="ProfileCollector"/>).</summary>
    public bool ProfiledWhileIndexing { get; }

    /// <summary>Whether any side is read from a profile store.</summary>
    public bool IsStored => _achievements is StoredSide || _demands is StoredSide;

    /// <summary>Profiles every record (read once, lazily: the records need not all be in memory) against the
    /// statistics of its own side.</summary>
    public static FeatureSpace Build(IEnumerable<Achievement> achievements, IEnumerable<Demand> demands) =>
        Build(achievements, null, demands, null);

    /// <summary>A space whose sides are read from their stores when given, else profiled from the records.</summary>
    /// <remarks>Achievements first, then demands, each in ordinal id order (as the stores and <c>AllSources</c> hold
    /// them): the term ids, and so every feature, are the same whichever way each side comes.</remarks>
    /// <param name="achievements">The achievements, in ordinal id order; not read when <paramref name="achievementStore"/> is given.</param>
    /// <param name="achievementStore">The achievements' store, owned by the space from now on; or null.</param>
    /// <param name="demands">The demands, in ordinal id order; not read when <paramref name="demandStore"/> is given.</param>
    /// <param name="demandStore">The demands' store, owned by the space; or null.</param>
    /// <param name="cacheSize">Prepared profiles a stored side keeps.</param>
    /// <param name="achievementParts">The achievements' profiles but for term ids, in ordinal id order, made while they
    /// were indexed (<see cref="ProfileCollector"/>); when given, <paramref name="achievements"/> is not read.</param>
    /// <param name="demandParts">The demands' likewise.</param>
    public static FeatureSpace Build(IEnumerable<Achievement> achievements, ProfileStore? achievementStore, IEnumerable<Demand> demands, ProfileStore? demandStore,
        int cacheSize = DefaultCacheSize, List<(string Id, ProfileParts Parts)>? achievementParts = null, List<(string Id, ProfileParts Parts)>? demandParts = null)
    {
        try
        {
            var builder = new ProfileBuilder(new TermDictionary());
            List<(string Id, RecordProfile Profile)>? achievementProfiles = null, demandProfiles = null;
            int[]? achievementRemap = null, demandRemap = null;
            CorpusStatistics achievementStats, demandStats;
            if (achievementStore is null)
            {
                achievementProfiles = achievementParts is null ? builder.BuildAll(achievements, a => a.Id, builder.Analyze) : Assign(builder, achievementParts);
                achievementStats = new CorpusStatistics(achievementProfiles.Select(p => p.Profile));
            }
            else
            {
                (achievementRemap, achievementStats) = Scan(achievementStore, builder.Terms);
            }

            if (demandStore is null)
            {
                demandProfiles = demandParts is null ? builder.BuildAll(demands, d => d.Id, builder.Analyze) : Assign(builder, demandParts);
                demandStats = new CorpusStatistics(demandProfiles.Select(p => p.Profile));
            }
            else
            {
                (demandRemap, demandStats) = Scan(demandStore, builder.Terms);
            }

            CorpusStatistics.WeighGenericWords(achievementStats, demandStats);
            var extractor = new PairFeatureExtractor(achievementStats, demandStats, builder.Terms);
            Side a = achievementStore is null
                ? new MemorySide(achievementProfiles!, extractor.PrepareAchievement, "achievement")
                : new StoredSide(achievementStore, achievementRemap!, extractor.PrepareAchievement, cacheSize, "achievement");
            Side d = demandStore is null
                ? new MemorySide(demandProfiles!, extractor.PrepareDemand, "demand")
                : new StoredSide(demandStore, demandRemap!, extractor.PrepareDemand, cacheSize, "demand");
            return new FeatureSpace(a, d, extractor, builder, achievementParts is not null || demandParts is not null);
        }
        catch
        {
            achievementStore?.Dispose();
            demandStore?.Dispose();
            throw;
        }
    }

    /// <summary>Term ids for profiles made ahead, in their order (as <see cref="ProfileBuilder.BuildAll"/> hands them out).</summary>
    private static List<(string Id, RecordProfile Profile)> Assign(ProfileBuilder builder, List<(string Id, ProfileParts Parts)> parts)
    {
        var profiles = new List<(string Id, RecordProfile Profile)>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            profiles.Add((parts[i].Id, builder.Assign(parts[i].Parts)));
            parts[i] = default;
        }

        return profiles;
    }

    /// <summary>One pass over a store's term lists: gives each store term its id in <paramref name="terms"/> (in the
    /// order the in-memory path would hand them out) and counts the side's statistics. Nothing is segmented.</summary>
    private static (int[] Remap, CorpusStatistics Stats) Scan(ProfileStore store, TermDictionary terms)
    {
        var remap = new int[store.Terms.Length];
        Array.Fill(remap, -1);
        var df = new int[Math.Max(16, terms.Count + store.Terms.Length)];
        long totalLength = 0;
        try
        {
            store.ForEachList((_, length, ids) =>
            {
                totalLength += length;
                foreach (var storeId in ids)
                {
                    ref var id = ref remap[storeId];
                    if (id < 0)
                    {
                        id = terms.GetOrAdd(store.Terms[storeId]);
                        if (id >= df.Length)
                        {
                            Array.Resize(ref df, Math.Max(id + 1, df.Length * 2));
                        }
                    }

                    df[id]++;
                }
            });
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw new IndexMismatchException(
                $"{store.Path}: the profile store is damaged ({e.Message}); run `matching index --rebuild` to rewrite the index.", e);
        }

        return (remap, new CorpusStatistics(store.Count, totalLength, df));
    }

    /// <summary>The achievements' terms by profile: a profile's terms are the terms the index holds for its record (the
    /// same normalisation, search-mode segmentation and stop words).</summary>
    public Retrieval.ITermLookup AchievementTerms => new Lookup(_builder.Terms, _achievements);

    /// <summary>The demands' terms by profile (see <see cref="AchievementTerms"/>).</summary>
    public Retrieval.ITermLookup DemandTerms => new Lookup(_builder.Terms, _demands);

    private sealed class Lookup(TermDictionary terms, Side side) : Retrieval.ITermLookup
    {
        public int Id(string term) => terms.TryGet(term, out var id) ? id : -1;

        public int[]? TermsOf(string recordId) => side.Terms(recordId);
    }

    public PreparedProfile Achievement(string id) => _achievements.Get(id);

    public PreparedProfile Demand(string id) => _demands.Get(id);

    public bool HasAchievement(string id) => _achievements.Has(id);

    public bool HasDemand(string id) => _demands.Has(id);

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

    public void Dispose()
    {
        _achievements.Dispose();
        _demands.Dispose();
    }

    private abstract class Side : IDisposable
    {
        public abstract bool Has(string id);

        public abstract PreparedProfile Get(string id);

        /// <summary>A record's distinct term ids, sorted (its profile's <see cref="RecordProfile.Terms"/>), or null when
        /// the side does not hold it.</summary>
        public abstract int[]? Terms(string id);

        public virtual void Dispose()
        {
        }
    }

    private sealed class MemorySide : Side
    {
        private readonly Dictionary<string, PreparedProfile> _profiles;
        private readonly string _name;

        public MemorySide(List<(string Id, RecordProfile Profile)> profiles, Func<RecordProfile, PreparedProfile> prepare, string name)
        {
            _name = name;
            _profiles = new Dictionary<string, PreparedProfile>(profiles.Count, StringComparer.Ordinal);
            for (var i = 0; i < profiles.Count; i++)
            {
                _profiles[profiles[i].Id] = prepare(profiles[i].Profile);
                profiles[i] = default;
            }
        }

        public override bool Has(string id) => _profiles.ContainsKey(id);

        public override PreparedProfile Get(string id) =>
            _profiles.TryGetValue(id, out var p) ? p : throw new KeyNotFoundException($"{_name} '{id}' is not in the feature space");

        public override int[]? Terms(string id) => _profiles.TryGetValue(id, out var p) ? p.Profile.Terms : null;
    }

    /// <summary>Profiles read from a store on demand: decoded, given this space's term ids and prepared; the last few
    /// thousand kept in a direct-mapped cache (a slot per ordinal modulo its size, replaced without locks).</summary>
    private sealed class StoredSide : Side
    {
        private readonly ProfileStore _store;
        private readonly int[] _remap;
        private readonly Func<RecordProfile, PreparedProfile> _prepare;
        private readonly Cached?[] _cache;
        private readonly string _name;

        public StoredSide(ProfileStore store, int[] remap, Func<RecordProfile, PreparedProfile> prepare, int cacheSize, string name)
        {
            _store = store;
            _remap = remap;
            _prepare = prepare;
            _name = name;
            _cache = new Cached?[CacheSlots(store.Count, cacheSize)];
        }

        public override bool Has(string id) => _store.IndexOf(id) >= 0;

        public override PreparedProfile Get(string id)
        {
            var ordinal = _store.IndexOf(id);
            if (ordinal < 0)
            {
                throw new KeyNotFoundException($"{_name} '{id}' is not in the feature space");
            }

            var slot = ordinal % _cache.Length;
            if (Volatile.Read(ref _cache[slot]) is { } cached && cached.Ordinal == ordinal)
            {
                return cached.Profile;
            }

            var buffers = ReadBuffers.ForThread;
            var parts = _store.Read(ordinal, buffers, out var n);
            var ids = buffers.Ids.AsSpan(0, n);
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = _remap[ids[i]];
            }

            var profile = _prepare(ProfileBuilder.Resolve(parts, ids, buffers.TermCounts.AsSpan(0, n), buffers.WordCounts.AsSpan(0, n),
                buffers.Flags.AsSpan(0, n), buffers.PairFirst.AsSpan(0, buffers.Pairs), buffers.PairSecond.AsSpan(0, buffers.Pairs)));
            Volatile.Write(ref _cache[slot], new Cached(ordinal, profile));
            return profile;
        }

        /// <remarks>A cached profile has them; otherwise only the record's term list is read (one small read, no body to
        /// decode or profile to prepare): matched terms are looked up for a block's kept candidates after the whole block
        /// was ranked, by when the cache has mostly moved on.</remarks>
        public override int[]? Terms(string id)
        {
            var ordinal = _store.IndexOf(id);
            if (ordinal < 0)
            {
                return null;
            }

            if (Volatile.Read(ref _cache[ordinal % _cache.Length]) is { } cached && cached.Ordinal == ordinal)
            {
                return cached.Profile.Profile.Terms;
            }

            var ids = _store.ReadTerms(ordinal);
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = _remap[ids[i]];
            }

            Array.Sort(ids);
            return ids;
        }

        public override void Dispose() => _store.Dispose();

        private sealed record Cached(int Ordinal, PreparedProfile Profile);
    }
}
