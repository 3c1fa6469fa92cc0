using Matching.Features;
using Matching.Ingestion;
using Matching.Retrieval;

namespace Matching.Ranking;

/// <summary>Where candidate lists come from.</summary>
internal sealed class CandidateOptions
{
    /// <summary>BM25 candidates per demand (ignored with <see cref="Run"/>).</summary>
    public int Depth { get; init; } = 100;

    /// <summary>Exactly these lists (a TREC run), instead of retrieval.</summary>
    public IReadOnlyList<RunEntry>? Run { get; init; }

    /// <summary>Demand ids that start with this prefix never get the achievement whose id is the rest
    /// (pair tasks: demand q123 is the same sentence as achievement 123).</summary>
    public string? ExcludeSelfPrefix { get; init; }

    /// <summary>Text vectors of the records, for the <c>semantic_cosine</c> feature; null leaves it unknown.</summary>
    public RecordVectors? Vectors { get; init; }
}

/// <summary>BM25 candidates of a demand: the top <c>depth</c>, never the achievement with id <c>excludeId</c>.</summary>
internal delegate IReadOnlyList<Candidate> DemandRetriever(Demand demand, int depth, string? excludeId);

/// <summary>Builds ranking groups (candidate lists with features and grades) from records and judgments.</summary>
internal sealed class RankingDataset
{
    private readonly DemandRetriever _retrieve;
    private readonly FeatureSpace _space;
    private readonly Dictionary<string, Dictionary<string, int>> _grades;
    private readonly IReadOnlyList<Demand> _demands;
    private readonly CandidateOptions _options;
    private readonly Dictionary<string, List<string>>? _runLists;

    public RankingDataset(DemandRetriever retrieve, FeatureSpace space, IReadOnlyList<Demand> demands, IReadOnlyList<Judgment> judgments, CandidateOptions options)
    {
        _retrieve = retrieve;
        _space = space;
        _demands = demands;
        _options = options;
        _grades = judgments
            .GroupBy(j => j.DemandId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(j => j.AchievementId, j => j.Grade, StringComparer.Ordinal), StringComparer.Ordinal);
        if (options.Run is not null)
        {
            _runLists = options.Run
                .GroupBy(e => e.DemandId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderBy(e => e.Rank).Select(e => e.AchievementId).ToList(), StringComparer.Ordinal);
        }
    }

    /// <summary>Demands with at least one relevant judgment, in input order.</summary>
    public IReadOnlyList<Demand> JudgedDemands =>
        _demands.Where(d => _grades.TryGetValue(d.Id, out var g) && g.Values.Any(v => v > 0)).ToList();

    public IReadOnlyDictionary<string, IReadOnlySet<string>> Relevant() => _grades.ToDictionary(
        kv => kv.Key,
        kv => (IReadOnlySet<string>)kv.Value.Where(x => x.Value > 0).Select(x => x.Key).ToHashSet(StringComparer.Ordinal),
        StringComparer.Ordinal);

    /// <summary>The list a demand is evaluated on, and trained on: its run list, or its BM25 top
    /// <see cref="CandidateOptions.Depth"/>. Judged achievements that retrieval missed are not appended for training:
    /// they would sit below every retrieved candidate (by bm25 and <c>bm25_rank</c>) and nearly all be relevant, so a
    /// model learned "ranked past the list ⇒ relevant" — harmless on BM25 lists, but it put every candidate found only
    /// by meaning or feedback first on expanded lists.</summary>
    public RankingGroup EvaluationGroup(Demand demand, bool judgedOnly)
    {
        var (ids, scores) = BaseList(demand, judgedOnly);
        return Group(demand, ids, scores);
    }

    /// <summary>Whether a demand qualifies for judged-only evaluation: a relevant (grade &gt; 0) and a judged
    /// non-relevant (grade &lt;= 0) candidate.</summary>
    public bool HasPositiveAndNegative(string demandId) =>
        _grades.TryGetValue(demandId, out var g) && g.Values.Any(v => v > 0) && g.Values.Any(v => v <= 0);

    /// <summary>The ids of a demand's base list and, for retrieved lists, their BM25 retrieval scores (null for run lists).</summary>
    private (List<string> Ids, List<double>? Scores) BaseList(Demand demand, bool judgedOnly)
    {
        List<string> list;
        List<double>? scores = null;
        if (_runLists is not null)
        {
            list = _runLists.TryGetValue(demand.Id, out var run) ? [.. run.Where(id => _space.HasAchievement(id) && !IsSelf(demand.Id, id))] : [];
        }
        else
        {
            var retrieved = _retrieve(demand, _options.Depth, SelfOf(demand.Id));
            list = [.. retrieved.Select(c => c.Id)];
            scores = [.. retrieved.Select(c => c.Score)];
        }

        if (judgedOnly)
        {
            var grades = _grades.GetValueOrDefault(demand.Id);
            var keep = list.Select(id => grades is not null && grades.ContainsKey(id)).ToArray();
            list = [.. list.Where((_, i) => keep[i])];
            scores = scores is null ? null : [.. scores.Where((_, i) => keep[i])];
        }

        return (list, scores);
    }

    private RankingGroup Group(Demand demand, List<string> ids, List<double>? scores)
    {
        var features = _space.ForDemand(demand.Id, ids);
        _options.Vectors?.Fill(demand.Id, features, ids);
        var n = PairFeatures.Count;
        var order = Enumerable.Range(0, ids.Count).ToArray();
        if (_runLists is not null)
        {
            // Run lists carry no scores worth keeping (candidates.run has 0s): the BM25 baseline orders by the bm25 feature.
            order = [.. order.OrderByDescending(i => features[i * n]).ThenBy(i => i)];
        }

        var sortedIds = order.Select(i => ids[i]).ToArray();
        var sortedFeatures = new float[features.Length];
        for (var r = 0; r < order.Length; r++)
        {
            Array.Copy(features, order[r] * n, sortedFeatures, r * n, n);
        }

        // The baseline's ranking key: the retrieval score, or (run lists) the bm25 feature the list was just sorted by.
        double[] keys = scores is null ? [.. order.Select(i => (double)features[i * n])] : [.. order.Select(i => scores[i])];
        var grades = _grades.GetValueOrDefault(demand.Id);
        return new RankingGroup(
            demand.Id,
            sortedIds,
            sortedFeatures,
            // Grade <= 0 is non-relevant: a negative grade (TREC's "junk" -1, -2) counts as 0 for gains and labels.
            [.. sortedIds.Select(id => grades is not null && grades.TryGetValue(id, out var g) ? Math.Max(0, g) : 0)],
            [.. sortedIds.Select(id => grades is not null && grades.ContainsKey(id))],
            keys);
    }

    private string? SelfOf(string demandId) =>
        _options.ExcludeSelfPrefix is { Length: > 0 } prefix && demandId.StartsWith(prefix, StringComparison.Ordinal) ? demandId[prefix.Length..] : null;

    private bool IsSelf(string demandId, string achievementId) => SelfOf(demandId) == achievementId;
}
