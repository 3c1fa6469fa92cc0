using Lucene.Net.Store;
using Matching.Evaluation;
using Matching.Features;
using Matching.Indexing;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Retrieval;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Engine;

/// <summary>What an index update did to each collection.</summary>
/// <param name="Achievements">Counts for the achievement index.</param>
/// <param name="Demands">Counts for the demand index.</param>
public sealed record IndexReport(IndexCounts Achievements, IndexCounts Demands);

/// <summary>Counts of one index update.</summary>
/// <param name="Added">New ids.</param>
/// <param name="Updated">Ids whose record changed and was replaced.</param>
/// <param name="Unchanged">Ids whose record was identical and skipped.</param>
/// <param name="Deleted">Ids removed by pruning.</param>
/// <param name="Total">Records in the index after the update.</param>
public sealed record IndexCounts(int Added, int Updated, int Unchanged, int Deleted, int Total);

/// <summary>Indexes achievements and demands and retrieves the best matches in both directions.</summary>
/// <remarks>Thread-safe for concurrent matching once created. Dispose it to release the indexes.</remarks>
public sealed partial class MatchingEngine : IDisposable
{
    private readonly LuceneDirectory _achievementDirectory;
    private readonly LuceneDirectory _demandDirectory;
    private readonly RecordSearcher _achievements;
    private readonly RecordSearcher _demands;
    private readonly RankerModel? _ranker;
    private readonly int _rerankDepth;
    private readonly Lazy<FeatureSpace> _features;

    private MatchingEngine(LuceneDirectory achievementDirectory, LuceneDirectory demandDirectory, EngineOptions options)
    {
        _achievementDirectory = achievementDirectory;
        _demandDirectory = demandDirectory;
        _achievements = new RecordSearcher(achievementDirectory, RecordKind.Achievements, options.Analyzer, options.Retrieval);
        _demands = new RecordSearcher(demandDirectory, RecordKind.Demands, options.Analyzer, options.Retrieval);
        _ranker = options.Ranker;
        Analyzer = options.Analyzer;
        var logger = Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<MatchingEngine>(options.LoggerFactory);
        Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger,
            "Matching engine over {Achievements} achievements and {Demands} demands; analyzer {Analyzer}; {Ranking}",
            _achievements.Count, _demands.Count, options.Analyzer, _ranker is null ? "BM25 order" : $"reranked by a model with features {_ranker.Metadata.FeatureHash}");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RerankDepth, 1, nameof(options.RerankDepth));
        _rerankDepth = options.RerankDepth;
        // Profiles of every indexed record: the cached statistics pair features are computed from.
        _features = new Lazy<FeatureSpace>(() => FeatureSpace.Build([.. Achievements()], [.. Demands()]));
    }

    /// <summary>Whether results are reranked by a learned model (otherwise BM25 order).</summary>
    public bool IsReranking => _ranker is not null;

    /// <summary>Achievements in the index.</summary>
    public int AchievementCount => _achievements.Count;

    /// <summary>Demands in the index.</summary>
    public int DemandCount => _demands.Count;

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
        ArgumentNullException.ThrowIfNull(options.IndexPath, nameof(options.IndexPath));
        using var achievementDirectory = FSDirectory.Open(Path.Combine(options.IndexPath, "achievements"));
        using var demandDirectory = FSDirectory.Open(Path.Combine(options.IndexPath, "demands"));
        var a = IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, options.Analyzer,
            achievements.Select(IndexedRecord.From), prune, rebuild);
        var d = IndexBuilder.Update(demandDirectory, RecordKind.Demands, options.Analyzer,
            demands.Select(IndexedRecord.From), prune, rebuild);
        return new IndexReport(Counts(a), Counts(d));
    }

    /// <summary>Creates an engine over the given records: in memory, or, with an
    /// <see cref="EngineOptions.IndexPath"/>, by first updating that index incrementally.</summary>
    public static MatchingEngine Create(IEnumerable<Achievement> achievements, IEnumerable<Demand> demands, EngineOptions? options = null)
    {
        options ??= new EngineOptions();
        if (options.IndexPath is not null)
        {
            UpdateIndex(achievements, demands, options);
            return Open(options);
        }

        var achievementDirectory = new RAMDirectory();
        var demandDirectory = new RAMDirectory();
        IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, options.Analyzer, achievements.Select(IndexedRecord.From));
        IndexBuilder.Update(demandDirectory, RecordKind.Demands, options.Analyzer, demands.Select(IndexedRecord.From));
        return new MatchingEngine(achievementDirectory, demandDirectory, options);
    }

    /// <summary>Opens existing on-disk indexes read-only.</summary>
    /// <exception cref="IndexMismatchException">An index is missing, or was built by another analyzer or format.</exception>
    public static MatchingEngine Open(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.IndexPath, nameof(options.IndexPath));
        var achievementDirectory = FSDirectory.Open(Path.Combine(options.IndexPath, "achievements"));
        var demandDirectory = FSDirectory.Open(Path.Combine(options.IndexPath, "demands"));
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

    /// <summary>The best achievements for a demand, best first: BM25 candidates, reranked when a ranker is set.</summary>
    public IReadOnlyList<Candidate> MatchDemand(Demand demand, int topK = 10) =>
        _achievements.WithMatchedTerms(QueryText.From(demand), RankDemand(demand, topK));

    /// <summary>The best demands for an achievement, best first: BM25 candidates, reranked when a ranker is set.</summary>
    public IReadOnlyList<Candidate> MatchAchievement(Achievement achievement, int topK = 10) =>
        _demands.WithMatchedTerms(QueryText.From(achievement), RankAchievement(achievement, topK));

    /// <summary>BM25 candidates for a demand without matched terms (cheaper, for evaluation and reranking).</summary>
    internal IReadOnlyList<Candidate> RetrieveForDemand(Demand demand, int depth, string? excludeId = null) =>
        _achievements.Search(QueryText.From(demand), depth, excludeId, withMatchedTerms: false);

    /// <summary>The ranked achievements for a demand without matched terms (those cost a term-vector read each).</summary>
    internal IReadOnlyList<Candidate> RankDemand(Demand demand, int topK)
    {
        var query = QueryText.From(demand);
        if (_ranker is null)
        {
            return _achievements.Search(query, topK, withMatchedTerms: false);
        }

        var candidates = _achievements.Search(query, Math.Max(topK, _rerankDepth), withMatchedTerms: false);
        return Rerank(candidates, FeaturesForDemand(demand, [.. candidates.Select(c => c.Id)]), topK);
    }

    /// <summary>The ranked demands for an achievement without matched terms.</summary>
    internal IReadOnlyList<Candidate> RankAchievement(Achievement achievement, int topK)
    {
        var query = QueryText.From(achievement);
        if (_ranker is null)
        {
            return _demands.Search(query, topK, withMatchedTerms: false);
        }

        var candidates = _demands.Search(query, Math.Max(topK, _rerankDepth), withMatchedTerms: false);
        var space = _features.Value;
        var features = space.ForAchievement(
            space.HasAchievement(achievement.Id) ? space.Achievement(achievement.Id) : space.PrepareAchievement(achievement),
            [.. candidates.Select(c => c.Id)]);
        return Rerank(candidates, features, topK);
    }

    /// <summary>Adds the matched terms to a demand's list.</summary>
    internal IReadOnlyList<Candidate> WithMatchedTerms(Demand demand, IReadOnlyList<Candidate> candidates) =>
        _achievements.WithMatchedTerms(QueryText.From(demand), candidates);

    /// <summary>Adds the matched terms to an achievement's list.</summary>
    internal IReadOnlyList<Candidate> WithMatchedTerms(Achievement achievement, IReadOnlyList<Candidate> candidates) =>
        _demands.WithMatchedTerms(QueryText.From(achievement), candidates);

    /// <summary>Pair features of a demand against achievements (rows in the given order); needs a ranker.</summary>
    internal float[] FeaturesForDemand(Demand demand, IReadOnlyList<string> achievementIds)
    {
        var space = _features.Value;
        return space.ForDemand(space.HasDemand(demand.Id) ? space.Demand(demand.Id) : space.PrepareDemand(demand), achievementIds);
    }

    /// <summary>Profiles of every indexed record, built on first use (also without a ranker, for explanations).</summary>
    internal FeatureSpace Features => _features.Value;

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
        return [.. Enumerable.Range(0, candidates.Count)
            .OrderByDescending(i => scores[i])
            .ThenBy(i => i)
            .Take(topK)
            .Select((i, rank) => candidates[i] with { Rank = rank + 1, Score = scores[i] })];
    }

    /// <summary>The indexed achievement with this id, or null.</summary>
    public Achievement? FindAchievement(string id) =>
        _achievements.SourceOf(id) is { } json ? IndexedRecord.ToAchievement(json) : null;

    /// <summary>The indexed demand with this id, or null.</summary>
    public Demand? FindDemand(string id) =>
        _demands.SourceOf(id) is { } json ? IndexedRecord.ToDemand(json) : null;

    /// <summary>Every indexed achievement, in id order.</summary>
    public IEnumerable<Achievement> Achievements() => _achievements.AllSources().Select(IndexedRecord.ToAchievement);

    /// <summary>Every indexed demand, in id order.</summary>
    public IEnumerable<Demand> Demands() => _demands.AllSources().Select(IndexedRecord.ToDemand);

    /// <summary>Runs every demand and every achievement as a query (top <paramref name="topK"/> each).</summary>
    public BatchMatches MatchAll(IEnumerable<Demand> demands, IEnumerable<Achievement> achievements, int topK = 10) =>
        BatchMatcher.MatchAll(this, demands, achievements, topK);

    /// <summary>Retrieves the top <paramref name="depth"/> achievements for every demand with a relevant
    /// judgment and scores the ranking (MRR@10, nDCG@10, Recall@10, Recall@100).</summary>
    public EvaluationResult Evaluate(IReadOnlyList<Demand> demands, IReadOnlyList<Judgment> judgments, int depth = 100) =>
        RetrievalEvaluator.Evaluate(this, demands, judgments, depth);

    internal RecordSearcher AchievementSearcher => _achievements;

    private static IndexCounts Counts(IndexUpdateStats s) => new(s.Added, s.Updated, s.Unchanged, s.Deleted, s.Total);

    /// <inheritdoc />
    public void Dispose()
    {
        _achievements.Dispose();
        _demands.Dispose();
        _achievementDirectory.Dispose();
        _demandDirectory.Dispose();
    }
}
