using Lucene.Net.Store;
using Matching.Features;
using Matching.Indexing;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Retrieval;
using Matching.Text;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Engine;

/// <summary>What an index update did to each collection.</summary>
/// <param name="Achievements">Counts for the achievement index.</param>
/// <param name="Demands">Counts for the demand index.</param>
public sealed record IndexReport(IndexCounts Achievements, IndexCounts Demands);

/// <summary>Indexes achievements and demands and retrieves the best matches in both directions.</summary>
/// <remarks>Thread-safe: any number of threads may match while records are added, updated or removed. Each
/// query runs against one consistent snapshot of both indexes; a write builds the next snapshot and swaps it
/// in, and the old one is released when its last query finishes. Dispose the engine to release the indexes.</remarks>
public sealed partial class MatchingEngine : IDisposable
{
    private readonly LuceneDirectory _achievementDirectory;
    private readonly LuceneDirectory _demandDirectory;
    private readonly EngineOptions _options;
    private readonly RankerModel? _ranker;
    private readonly StrengthCalibration? _strength;
    private readonly int _rerankDepth;
    private readonly object _writeLock = new();
    private readonly object _encoderLock = new();
    private ITextEncoder? _encoder;
    private volatile Snapshot _snapshot;
    private bool _disposed;

    private MatchingEngine(LuceneDirectory achievementDirectory, LuceneDirectory demandDirectory, EngineOptions options,
        (ProfileCollector Achievements, ProfileCollector Demands)? profiles = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RerankDepth, 1, nameof(options.RerankDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SemanticDepth, 1, nameof(options.SemanticDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FusionK, 1, nameof(options.FusionK));
        if (options.Ranker is { } ranker && !options.Semantic && ranker.Metadata.UsesSemanticCosine())
        {
            throw new ArgumentException("the ranker was trained with text vectors (semantic_cosine): set Semantic, or use a model trained without them", nameof(options));
        }

        _achievementDirectory = achievementDirectory;
        _demandDirectory = demandDirectory;
        _options = options;
        _ranker = options.Ranker;
        _strength = _ranker is null ? options.Bm25Strength : _ranker.Metadata.Strength;
        _rerankDepth = options.RerankDepth;
        Analyzer = options.Analyzer;
        _snapshot = OpenSnapshot(verifyChecksums: true, prior: null, profiles);
        if (options.Semantic)
        {
            try
            {
                // Built now, so that a vector index made by another encoder, or damaged, is refused when opening.
                _ = _snapshot.Semantic!.Value;
            }
            catch
            {
                _snapshot.Release();
                throw;
            }
        }

        var logger = Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<MatchingEngine>(options.LoggerFactory);
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger,
            "Matching engine over {Achievements} achievements and {Demands} demands; analyzer {Analyzer}; {Ranking}",
            _snapshot.Achievements.Count, _snapshot.Demands.Count, options.Analyzer,
            _ranker is null ? "BM25 order" : $"reranked by a model with features {_ranker.Metadata.FeatureHash}");
    }

    /// <summary>Whether results are reranked by a learned model (otherwise BM25 order).</summary>
    public bool IsReranking => _ranker is not null;

    /// <summary>Whether candidates carry a calibrated <see cref="Candidate.Probability"/>.</summary>
    public bool IsCalibrated => _strength is not null;

    /// <summary>Achievements in the index.</summary>
    public int AchievementCount => Read(s => s.Achievements.Count);

    /// <summary>Demands in the index.</summary>
    public int DemandCount => Read(s => s.Demands.Count);

    /// <summary>Builds or incrementally updates the on-disk indexes at <see cref="EngineOptions.IndexPath"/>.</summary>
    /// <param name="achievements">Achievements to add or update (by id).</param>
    /// <param name="demands">Demands to add or update (by id).</param>
    /// <param name="options">Where and how; <see cref="EngineOptions.IndexPath"/> is required.</param>
    /// <param name="prune">Delete indexed ids that are absent from the input.</param>
    /// <param name="rebuild">Start from empty indexes (also the way past an analyzer change).</param>
    public static IndexReport UpdateIndex(
        IEnumerable<Achievement> achievements,
        IEnumerable<Demand> demands,
        EngineOptions options,
        bool prune = false,
        bool rebuild = false)
    {
        var report = UpdateLucene(achievements, demands, options, prune, rebuild);
        UpdateVectors(options, rebuild);
        return report;
    }

    /// <summary>The Lucene indexes and profile stores of <see cref="UpdateIndex"/>, without the vectors.</summary>
    private static IndexReport UpdateLucene(IEnumerable<Achievement> achievements, IEnumerable<Demand> demands, EngineOptions options, bool prune, bool rebuild)
    {
        ArgumentNullException.ThrowIfNull(options.IndexPath, nameof(options.IndexPath));
        IndexCounts a, d;
        using (var achievementDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath, "achievements")))
        using (var demandDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath, "demands")))
        {
            a = IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, options.Analyzer,
                achievements.Select(options.Indexed), prune, rebuild, threads: options.IndexThreads, merge: options.MergeSegments,
                sidecar: Profiles(options, RecordKind.Achievements));
            d = IndexBuilder.Update(demandDirectory, RecordKind.Demands, options.Analyzer,
                demands.Select(options.Indexed), prune, rebuild, threads: options.IndexThreads, merge: options.MergeSegments,
                sidecar: Profiles(options, RecordKind.Demands));
        }

        return new IndexReport(a, d);
    }

    /// <summary>The profile store kept beside an on-disk index, updated with it; null in memory.</summary>
    private static Func<string?, IIndexSidecar>? Profiles(EngineOptions options, RecordKind kind) =>
        options.IndexPath is null ? null : ProfileStoreUpdate.For(Path.Combine(options.IndexPath, ProfileStore.Folder), kind);

    /// <summary>After an index update: a rebuild drops the vectors (and the event's word vectors, retrained); with the
    /// semantic route on, opening the index builds the vectors beside it or updates them incrementally.</summary>
    private static void UpdateVectors(EngineOptions options, bool rebuild)
    {
        var semantic = Path.Combine(options.IndexPath!, SemanticRoute.Folder);
        if (rebuild && System.IO.Directory.Exists(semantic))
        {
            System.IO.Directory.Delete(semantic, recursive: true);
        }

        if (options.Semantic)
        {
            using var engine = Open(options);
        }
    }

    /// <summary>Creates an engine over the given records: in memory, or, with an
    /// <see cref="EngineOptions.IndexPath"/>, by first updating that index incrementally.</summary>
    public static MatchingEngine Create(IEnumerable<Achievement> achievements, IEnumerable<Demand> demands, EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        if (options.IndexPath is not null)
        {
            // Opening brings the vectors up to date (with the route on): no separate engine for them, as UpdateIndex opens.
            UpdateLucene(achievements, demands, options, prune: false, rebuild: false);
            return Open(options);
        }

        var achievementDirectory = new RAMDirectory();
        var demandDirectory = new RAMDirectory();
        // With a ranker or a calibration every query needs the feature space: each record is profiled as it is indexed
        // (one segmentation for both) and the first space is built from those profiles. Without, the space may never be
        // built (it is only for explanations), so nothing is profiled ahead.
        var collect = options.Ranker is not null || options.Bm25Strength is not null;
        // Each record's analysis as a query too, while its segmentation is at hand: a batch asks every record.
        var queries = (new QueryAnalyses(), options.Analyzer, options.Retrieval);
        var achievementProfiles = collect ? new ProfileCollector(RecordKind.Achievements, queries) : null;
        var demandProfiles = collect ? new ProfileCollector(RecordKind.Demands, queries) : null;
        IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, options.Analyzer, achievements.Select(options.Indexed), threads: options.IndexThreads,
            sidecar: achievementProfiles is null ? null : _ => achievementProfiles);
        IndexBuilder.Update(demandDirectory, RecordKind.Demands, options.Analyzer, demands.Select(options.Indexed), threads: options.IndexThreads,
            sidecar: demandProfiles is null ? null : _ => demandProfiles);
        return new MatchingEngine(achievementDirectory, demandDirectory, options, collect ? (achievementProfiles!, demandProfiles!) : null);
    }

    /// <summary>Opens existing on-disk indexes.</summary>
    /// <exception cref="IndexMismatchException">An index is missing, or was built by another analyzer or format.</exception>
    public static MatchingEngine Open(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.IndexPath, nameof(options.IndexPath));
        var achievementDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath, "achievements"));
        var demandDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath, "demands"));
        try
        {
            return new MatchingEngine(achievementDirectory, demandDirectory, options);
        }
        catch
        {
            achievementDirectory.Dispose();
            demandDirectory.Dispose();
            throw;
        }
    }

    /// <summary>Adds achievements, or replaces those whose id is already indexed (one commit). Queries running
    /// meanwhile see the previous records; later ones see the new.</summary>
    public IndexCounts AddOrUpdateAchievements(IEnumerable<Achievement> achievements) =>
        Write(RecordKind.Achievements, achievements.Select(_options.Indexed), remove: null);

    /// <summary>Adds demands, or replaces those whose id is already indexed (one commit).</summary>
    public IndexCounts AddOrUpdateDemands(IEnumerable<Demand> demands) =>
        Write(RecordKind.Demands, demands.Select(_options.Indexed), remove: null);

    /// <summary>Removes achievements by id (unknown ids are ignored; one commit).</summary>
    public IndexCounts RemoveAchievements(IEnumerable<string> ids) =>
        Write(RecordKind.Achievements, [], remove: ids.ToHashSet(StringComparer.Ordinal));

    /// <summary>Removes demands by id (unknown ids are ignored; one commit).</summary>
    public IndexCounts RemoveDemands(IEnumerable<string> ids) =>
        Write(RecordKind.Demands, [], remove: ids.ToHashSet(StringComparer.Ordinal));

    /// <summary>The best achievements for a demand, best first: BM25 candidates, reranked when a ranker is set.</summary>
    public IReadOnlyList<Candidate> MatchDemand(Demand demand, int topK = 10) =>
        Read(s => s.Achievements.WithMatchedTerms(QueryText.From(_options.Analysed(demand)), RankDemand(s, demand, topK)));

    /// <summary>The best demands for an achievement, best first: BM25 candidates, reranked when a ranker is set.</summary>
    public IReadOnlyList<Candidate> MatchAchievement(Achievement achievement, int topK = 10) =>
        Read(s => s.Demands.WithMatchedTerms(QueryText.From(_options.Analysed(achievement)), RankAchievement(s, achievement, topK)));

    /// <summary>The best achievements for a demand with a full explanation of each (matched terms, highlighted
    /// passages, the features that moved its score).</summary>
    public IReadOnlyList<PairExplanation> MatchDemandExplained(Demand demand, int topK = 10)
    {
        using var explanations = new PairExplanations(this);
        return explanations.TopForDemand(demand, topK);
    }

    /// <summary>Explains any demand–achievement pair, recommended or not: rank, scores, matched terms,
    /// highlighted passages and the features that moved the score.</summary>
    public PairExplanation Explain(Demand demand, Achievement achievement)
    {
        using var explanations = new PairExplanations(this);
        return explanations.ForDemand(demand, [achievement])[0];
    }

    /// <summary>BM25 candidates for a demand without matched terms (cheaper, for evaluation and reranking); with the
    /// semantic route, BM25 top <paramref name="depth"/> fused with the nearest achievements by meaning.</summary>
    internal IReadOnlyList<Candidate> RetrieveForDemand(Demand demand, int depth, string? excludeId = null) =>
        Read(s =>
        {
            var analysed = _options.Analysed(demand);
            return CandidatesForDemand(s, analysed, VectorOf(s, analysed), depth, excludeId);
        });

    /// <summary>The route by meaning's vectors of the achievements, or null with the route off. The index belongs to the
    /// current snapshot: for an engine that is not updated while it is read (training).</summary>
    internal VectorIndex? AchievementVectors => Read(s => s.Semantic?.Value.Achievements);

    /// <summary>Whether candidates also come from the route by meaning.</summary>
    public bool IsSemantic => _options.Semantic;

    /// <summary>A demand's terms that may show as matched terms (not generic), most telling first.</summary>
    internal IReadOnlyList<string> TellingTerms(Demand demand) =>
        Read(s => s.Achievements.ShownTerms(QueryText.From(_options.Analysed(demand))));

    /// <summary>An achievement's terms that may show as matched terms (not generic), most telling first.</summary>
    internal IReadOnlyList<string> TellingTerms(Achievement achievement) =>
        Read(s => s.Demands.ShownTerms(QueryText.From(_options.Analysed(achievement))));

    /// <summary>The word vectors of the route by meaning, for the bridges of explanations: null when the route is off or
    /// its encoder has no word vectors (a sentence encoder).</summary>
    internal Text.WordVectors? BridgeVectors => Read(s => s.Semantic is { } route ? (route.Value.Encoder as WordVectorEncoder)?.Vectors : null);

    /// <summary>A query's text vector with the route by meaning on (stored, or encoded now), else null: found once per
    /// query, for its candidates by meaning and its <c>semantic_cosine</c> column.</summary>
    private static float[]? VectorOf(Snapshot s, Demand demand) => s.Semantic?.Value.VectorOf(demand);

    /// <inheritdoc cref="VectorOf(Snapshot, Demand)"/>
    private static float[]? VectorOf(Snapshot s, Achievement achievement) => s.Semantic?.Value.VectorOf(achievement);

    /// <summary>Achievement candidates of a demand: BM25 top <paramref name="depth"/>, or with the semantic route that
    /// list fused with the <see cref="EngineOptions.SemanticDepth"/> nearest achievements to <paramref name="vector"/>.</summary>
    private IReadOnlyList<Candidate> CandidatesForDemand(Snapshot s, Demand demand, float[]? vector, int depth, string? excludeId = null)
    {
        var lexical = s.Achievements.Search(QueryText.From(demand), depth, excludeId, withMatchedTerms: false);
        if (s.Semantic is null || vector is null)
        {
            return lexical;
        }

        var near = s.Semantic.Value.Achievements.Search(vector, _options.SemanticDepth, excludeId);
        return RankFusion.Fuse(lexical, [.. near.Select(n => n.Id)], _options.FusionK);
    }

    /// <summary>Demand candidates of an achievement (see <see cref="CandidatesForDemand"/>).</summary>
    private IReadOnlyList<Candidate> CandidatesForAchievement(Snapshot s, Achievement achievement, float[]? vector, int depth)
    {
        var lexical = s.Demands.Search(QueryText.From(achievement), depth, withMatchedTerms: false);
        if (s.Semantic is null || vector is null)
        {
            return lexical;
        }

        var near = s.Semantic.Value.Demands.Search(vector, _options.SemanticDepth);
        return RankFusion.Fuse(lexical, [.. near.Select(n => n.Id)], _options.FusionK);
    }

    /// <summary>The ranked achievements for a demand without matched terms (those cost a term-vector read each):
    /// BM25 candidates, reranked when a ranker is set. What a batch runner computes per query.</summary>
    /// <param name="demand">The query.</param>
    /// <param name="topK">Candidates kept.</param>
    public IReadOnlyList<Candidate> RankDemand(Demand demand, int topK) => Read(s => RankDemand(s, demand, topK));

    /// <summary>The ranked demands for an achievement without matched terms.</summary>
    /// <param name="achievement">The query.</param>
    /// <param name="topK">Candidates kept.</param>
    public IReadOnlyList<Candidate> RankAchievement(Achievement achievement, int topK) => Read(s => RankAchievement(s, achievement, topK));

    private IReadOnlyList<Candidate> RankDemand(Snapshot s, Demand demand, int topK)
    {
        demand = _options.Analysed(demand);
        var query = QueryText.From(demand);
        var vector = VectorOf(s, demand);
        if (_ranker is null)
        {
            var found = s.Semantic is null
                ? s.Achievements.Search(query, topK, withMatchedTerms: false)
                : [.. CandidatesForDemand(s, demand, vector, Math.Max(topK, _rerankDepth)).Take(topK)];
            return _strength is null ? found : Calibrate(found, FeaturesForDemand(s, demand, vector, [.. found.Select(c => c.Id)]));
        }

        var candidates = CandidatesForDemand(s, demand, vector, Math.Max(topK, _rerankDepth));
        return Rerank(candidates, FeaturesForDemand(s, demand, vector, [.. candidates.Select(c => c.Id)]), topK);
    }

    private IReadOnlyList<Candidate> RankAchievement(Snapshot s, Achievement achievement, int topK)
    {
        achievement = _options.Analysed(achievement);
        var query = QueryText.From(achievement);
        var vector = VectorOf(s, achievement);
        if (_ranker is null)
        {
            var found = s.Semantic is null
                ? s.Demands.Search(query, topK, withMatchedTerms: false)
                : [.. CandidatesForAchievement(s, achievement, vector, Math.Max(topK, _rerankDepth)).Take(topK)];
            return _strength is null ? found : Calibrate(found, FeaturesForAchievement(s, achievement, vector, [.. found.Select(c => c.Id)]));
        }

        var candidates = CandidatesForAchievement(s, achievement, vector, Math.Max(topK, _rerankDepth));
        return Rerank(candidates, FeaturesForAchievement(s, achievement, vector, [.. candidates.Select(c => c.Id)]), topK);
    }

    private static float[] FeaturesForAchievement(Snapshot s, Achievement achievement, float[]? vector, IReadOnlyList<string> demandIds)
    {
        var space = s.Features.Value;
        var rows = space.ForAchievement(
            space.HasAchievement(achievement.Id) ? space.Achievement(achievement.Id) : space.PrepareAchievement(achievement),
            demandIds);
        if (s.Semantic is not null)
        {
            Matching.Features.SemanticSimilarity.Fill(rows, vector, demandIds, s.Semantic.Value.Demands.CosineWith);
        }

        return rows;
    }

    /// <summary>The calibrated probability of one feature row with its ranking score, or null without a calibration.</summary>
    internal double? Probability(ReadOnlySpan<float> row, double score) => _strength?.Probability(row, score);

    /// <summary>BM25 candidates with their calibrated probabilities (order and scores unchanged).</summary>
    private List<Candidate> Calibrate(IReadOnlyList<Candidate> candidates, float[] features)
    {
        var n = PairFeatures.Count;
        return [.. candidates.Select((c, i) => c with { Probability = _strength!.Probability(features.AsSpan(i * n, n), c.Score) })];
    }

    /// <summary>Adds the matched terms to a demand's list.</summary>
    internal IReadOnlyList<Candidate> WithMatchedTerms(Demand demand, IReadOnlyList<Candidate> candidates) =>
        Read(s => s.Achievements.WithMatchedTerms(QueryText.From(_options.Analysed(demand)), candidates,
            ProfileTerms(s)?.AchievementTerms));

    /// <summary>Adds the matched terms to an achievement's list.</summary>
    internal IReadOnlyList<Candidate> WithMatchedTerms(Achievement achievement, IReadOnlyList<Candidate> candidates) =>
        Read(s => s.Demands.WithMatchedTerms(QueryText.From(_options.Analysed(achievement)), candidates,
            ProfileTerms(s)?.DemandTerms));

    /// <summary>Adds the matched terms to an achievement's list, the demands' terms from <paramref name="demandTerms"/>
    /// (null: their term vectors).</summary>
    internal IReadOnlyList<Candidate> WithMatchedTerms(Achievement achievement, IReadOnlyList<Candidate> candidates, ITermLookup? demandTerms) =>
        Read(s => s.Demands.WithMatchedTerms(QueryText.From(_options.Analysed(achievement)), candidates, demandTerms));

    /// <summary>The demands' terms from their profiles, when those answer matched terms (see <see cref="ProfileTerms"/>).</summary>
    internal ITermLookup? DemandTerms => Read(s => ProfileTerms(s)?.DemandTerms);

    /// <summary>The feature space whose profiles can answer matched terms instead of term vectors: built already (never
    /// built for this), and over jieba's terms (the profiles segment with jieba whatever the index's analyzer).</summary>
    private FeatureSpace? ProfileTerms(Snapshot s) =>
        Analyzer == AnalyzerKind.Jieba && s.Features.IsValueCreated ? s.Features.Value : null;

    /// <summary>Pair features of a demand against achievements (rows in the given order).</summary>
    internal float[] FeaturesForDemand(Demand demand, IReadOnlyList<string> achievementIds) =>
        Read(s =>
        {
            var analysed = _options.Analysed(demand);
            return FeaturesForDemand(s, analysed, VectorOf(s, analysed), achievementIds);
        });

    private static float[] FeaturesForDemand(Snapshot s, Demand demand, float[]? vector, IReadOnlyList<string> achievementIds)
    {
        var space = s.Features.Value;
        var rows = space.ForDemand(space.HasDemand(demand.Id) ? space.Demand(demand.Id) : space.PrepareDemand(demand), achievementIds);
        if (s.Semantic is not null)
        {
            Matching.Features.SemanticSimilarity.Fill(rows, vector, achievementIds, s.Semantic.Value.Achievements.CosineWith);
        }

        return rows;
    }

    /// <summary>Query analyses made while the records were indexed and not yet taken by a query (tests).</summary>
    internal int PendingQueryAnalyses => Read(s => s.Demands.QueryAnalyses?.Count ?? 0);

    /// <summary>Profiles of every indexed record, built on first use (also without a ranker, for explanations).</summary>
    internal FeatureSpace Features => Read(s => s.Features.Value);

    /// <summary>BM25 candidates a ranker reorders per query.</summary>
    internal int RerankDepth => _rerankDepth;

    /// <summary>The ranker, when results are reranked.</summary>
    internal RankerModel? Ranker => _ranker;

    /// <summary>The analyzer the indexes were built with.</summary>
    internal Text.AnalyzerKind Analyzer { get; }

    /// <summary>Orders candidates by model score (ties: BM25 order) and keeps the top k, scores replaced by the model's.</summary>
    private List<Candidate> Rerank(IReadOnlyList<Candidate> candidates, float[] features, int topK)
    {
        var scores = new float[candidates.Count];
        _ranker!.Score(features, candidates.Count, scores);
        var n = PairFeatures.Count;
        return [.. Enumerable.Range(0, candidates.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(topK)
            .Select((i, rank) => candidates[i] with
            {
                Rank = rank + 1,
                Score = scores[i],
                Probability = _strength?.Probability(features.AsSpan(i * n, n), scores[i]),
            })];
    }

    /// <summary>The indexed achievement with this id, or null.</summary>
    public Achievement? FindAchievement(string id) =>
        Read(s => s.Achievements.SourceOf(id)) is { } json ? IndexedRecord.ToAchievement(json) : null;

    /// <summary>The indexed demand with this id, or null.</summary>
    public Demand? FindDemand(string id) =>
        Read(s => s.Demands.SourceOf(id)) is { } json ? IndexedRecord.ToDemand(json) : null;

    /// <summary>Every indexed achievement, in id order (a consistent copy taken when called).</summary>
    public IEnumerable<Achievement> Achievements() => Read(s => s.Achievements.AllSources().ToList()).Select(IndexedRecord.ToAchievement);

    /// <summary>Every indexed demand, in id order (a consistent copy taken when called).</summary>
    public IEnumerable<Demand> Demands() => Read(s => s.Demands.AllSources().ToList()).Select(IndexedRecord.ToDemand);

    private IndexCounts Write(RecordKind kind, IEnumerable<IndexedRecord> records, HashSet<string>? remove)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var directory = kind == RecordKind.Achievements ? _achievementDirectory : _demandDirectory;
            IndexCounts stats;
            if (remove is null)
            {
                stats = IndexBuilder.Update(directory, kind, _options.Analyzer, records, verifyChecksums: false, threads: _options.IndexThreads,
                    sidecar: Profiles(_options, kind));
            }
            else
            {
                // Keep every other record (unchanged, so skipped by hash) and prune the rest.
                var searcher = kind == RecordKind.Achievements ? _snapshot.Achievements : _snapshot.Demands;
                var kept = searcher.AllSources().ToList()
                    .Select(json => kind == RecordKind.Achievements ? IndexedRecord.From(IndexedRecord.ToAchievement(json)) : IndexedRecord.From(IndexedRecord.ToDemand(json)))
                    .Where(r => !remove.Contains(r.Id));
                stats = IndexBuilder.Update(directory, kind, _options.Analyzer, kept, prune: true, verifyChecksums: false, threads: _options.IndexThreads,
                    sidecar: Profiles(_options, kind));
            }

            // The files were verified when the engine opened; the writer only added new, checksummed ones.
            var previous = _snapshot;
            _snapshot = OpenSnapshot(verifyChecksums: false, prior: previous);
            previous.Release();
            return stats;
        }
    }

    /// <summary>Opens both searchers on the indexes' latest commits.</summary>
    /// <param name="verifyChecksums">Check every file of an on-disk index first.</param>
    /// <param name="prior">The snapshot this one replaces, whose route by meaning it reuses; null at the start.</param>
    /// <param name="collected">Profiles made while the indexes were built (in memory), for this snapshot's feature space.</param>
    private Snapshot OpenSnapshot(bool verifyChecksums, Snapshot? prior, (ProfileCollector Achievements, ProfileCollector Demands)? collected = null)
    {
        var achievements = new RecordSearcher(_achievementDirectory, RecordKind.Achievements, _options.Analyzer, _options.Retrieval, verifyChecksums);
        try
        {
            var demands = new RecordSearcher(_demandDirectory, RecordKind.Demands, _options.Analyzer, _options.Retrieval, verifyChecksums);
            // Generic words are those common to both sides: each side's query terms are weighed against both indexes.
            achievements.Counterpart = demands;
            demands.Counterpart = achievements;
            // Each side is asked the other side's records (and may be asked its own: the analyses do not depend on the side).
            achievements.QueryAnalyses = collected?.Demands.Queries;
            demands.QueryAnalyses = collected?.Achievements.Queries;
            // The previous route's vectors are reused for unchanged records (its snapshot stays alive while it may be read).
            var priorRoute = prior?.Semantic is { IsValueCreated: true } created ? created.Value : null;
            Lazy<SemanticRoute>? semantic = _options.Semantic
                ? new Lazy<SemanticRoute>(() => BuildRoute(achievements, demands, priorRoute), LazyThreadSafetyMode.ExecutionAndPublication)
                : null;
            var profiles = _options.IndexPath is null ? null : Path.Combine(_options.IndexPath, ProfileStore.Folder);
            if (profiles is not null)
            {
                try
                {
                    // A store the commit names but that is not there is refused now, not at the first query (it is read then).
                    Snapshot.CheckStore(achievements, profiles);
                    Snapshot.CheckStore(demands, profiles);
                }
                catch
                {
                    demands.Dispose();
                    throw;
                }
            }

            return new Snapshot(achievements, demands, semantic, profiles, collected);
        }
        catch
        {
            achievements.Dispose();
            throw;
        }
    }

    private SemanticRoute BuildRoute(RecordSearcher achievements, RecordSearcher demands, SemanticRoute? prior)
    {
        // Ids and content hashes only: an unchanged record's vector is kept, so its source is read (and parsed) only when
        // it must be encoded, or when the event's word vectors are trained.
        var folder = _options.IndexPath is null ? null : Path.Combine(_options.IndexPath, SemanticRoute.Folder);
        var encoder = _options.Encoder ?? EventEncoder(folder, achievements, demands);
        return SemanticRoute.Build(
            achievements.AllHashes(), id => SemanticRoute.TextOf(IndexedRecord.ToAchievement(achievements.SourceOf(id)!)),
            demands.AllHashes(), id => SemanticRoute.TextOf(IndexedRecord.ToDemand(demands.SourceOf(id)!)),
            encoder, prior, folder);
    }

    /// <summary>The word vectors trained on the records' own texts, once per engine (an on-disk index keeps them).</summary>
    private ITextEncoder EventEncoder(string? folder, RecordSearcher achievements, RecordSearcher demands)
    {
        lock (_encoderLock)
        {
            return _encoder ??= SemanticRoute.EventEncoder(folder, () =>
                [.. achievements.AllSources().Select(j => SemanticRoute.TextOf(IndexedRecord.ToAchievement(j))),
                    .. demands.AllSources().Select(j => SemanticRoute.TextOf(IndexedRecord.ToDemand(j)))],
                _options.WordVectors);
        }
    }

    private T Read<T>(Func<Snapshot, T> read)
    {
        var snapshot = Acquire();
        try
        {
            return read(snapshot);
        }
        finally
        {
            snapshot.Release();
        }
    }

    private Snapshot Acquire()
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var snapshot = _snapshot;
            if (snapshot.TryAcquire())
            {
                return snapshot;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _snapshot.Release();
        }

        _achievementDirectory.Dispose();
        _demandDirectory.Dispose();
    }

    /// <summary>Both searchers and the feature space of one state of the indexes, reference-counted so a
    /// write can swap in the next state while queries still run on this one.</summary>
    private sealed class Snapshot
    {
        private int _references = 1;

        public Snapshot(RecordSearcher achievements, RecordSearcher demands, Lazy<SemanticRoute>? semantic, string? profiles,
            (ProfileCollector Achievements, ProfileCollector Demands)? collected = null)
        {
            Achievements = achievements;
            Demands = demands;
            Semantic = semantic;
            // An index with a profile store (written when it was built or updated) is read from it; one without (in
            // memory, or built by an older version) is profiled from its records, as before.
            Features = new Lazy<FeatureSpace>(
                () =>
                {
                    var achievementStore = StoreOf(achievements, profiles);
                    try
                    {
                        var achievementParts = Collected(collected?.Achievements, achievements);
                        var demandParts = Collected(collected?.Demands, demands);
                        return FeatureSpace.Build(
                            achievements.AllSources().Select(IndexedRecord.ToAchievement), achievementStore,
                            demands.AllSources().Select(IndexedRecord.ToDemand), StoreOf(demands, profiles),
                            achievementParts: achievementParts, demandParts: demandParts);
                    }
                    catch
                    {
                        achievementStore?.Dispose();
                        throw;
                    }
                },
                LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The profiles collected while the searcher's index was built, when they are every record it holds.</summary>
        private static List<(string Id, ProfileParts Parts)>? Collected(ProfileCollector? collector, RecordSearcher searcher) =>
            collector?.Take() is { } parts && parts.Count == searcher.Count ? parts : null;

        /// <summary>Refuses an index whose commit names a profile store that is missing.</summary>
        public static void CheckStore(RecordSearcher searcher, string folder)
        {
            if (searcher.CommitData.TryGetValue(IndexSchema.CommitSidecar, out var token) && !File.Exists(ProfileStore.FileOf(folder, searcher.Kind, token)))
            {
                throw new IndexMismatchException(
                    $"{ProfileStore.FileOf(folder, searcher.Kind, token)}: the index's profile store is missing (copy the index folder whole, with {ProfileStore.Folder}/); " +
                    "rebuild it with `matching index --rebuild` (or run `matching index` on the index again to go on without it).");
            }
        }

        /// <summary>The profile store the searcher's commit names, checked against it; null when it names none.</summary>
        private static ProfileStore? StoreOf(RecordSearcher searcher, string? folder)
        {
            if (folder is null || !searcher.CommitData.TryGetValue(IndexSchema.CommitSidecar, out var token))
            {
                return null;
            }

            var store = ProfileStore.Open(folder, searcher.Kind, token);
            if (store.Count != searcher.Count)
            {
                store.Dispose();
                throw new IndexMismatchException(
                    $"{store.Path}: the profile store holds {store.Count} records, the index {searcher.Count}; rebuild it with `matching index --rebuild` (or run `matching index` on the index again to go on without it).");
            }

            return store;
        }

        public RecordSearcher Achievements { get; }

        public RecordSearcher Demands { get; }

        public Lazy<FeatureSpace> Features { get; }

        /// <summary>The route by meaning, built on first use; null when the engine has it off.</summary>
        public Lazy<SemanticRoute>? Semantic { get; }

        public bool TryAcquire()
        {
            while (true)
            {
                var count = Volatile.Read(ref _references);
                if (count == 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _references, count + 1, count) == count)
                {
                    return true;
                }
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Achievements.Dispose();
                Demands.Dispose();
                if (Features.IsValueCreated)
                {
                    Features.Value.Dispose();
                }

                if (Semantic is { IsValueCreated: true })
                {
                    Semantic.Value.Dispose();
                }
            }
        }
    }
}
