using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>Runs the expensive part of a batch — retrieval, pair features and reranking of every query — and
/// returns each query's ranked candidates (without matched terms) in input order. The local runner spreads the
/// queries over threads; a cluster runner can spread them over machines. Whatever runs them, the results must be
/// those of <see cref="MatchingEngine.RankDemand(Demand, int)"/> on the same indexes and model, so that every
/// runner gives byte-identical outputs.</summary>
public interface IQueryRunner
{
    /// <summary>Ranks achievements for every demand.</summary>
    /// <param name="engine">The caller's engine (a remote runner may use its own replicas instead).</param>
    /// <param name="demands">The queries; result i answers demand i.</param>
    /// <param name="depth">Candidates kept per query.</param>
    /// <param name="onQueryDone">Called once per finished query, from any thread.</param>
    IReadOnlyList<IReadOnlyList<Candidate>> RankDemands(MatchingEngine engine, IReadOnlyList<Demand> demands, int depth, Action? onQueryDone);

    /// <summary>Ranks demands for every achievement.</summary>
    /// <param name="engine">The caller's engine (a remote runner may use its own replicas instead).</param>
    /// <param name="achievements">The queries; result i answers achievement i.</param>
    /// <param name="depth">Candidates kept per query.</param>
    /// <param name="onQueryDone">Called once per finished query, from any thread.</param>
    IReadOnlyList<IReadOnlyList<Candidate>> RankAchievements(MatchingEngine engine, IReadOnlyList<Achievement> achievements, int depth, Action? onQueryDone);
}

/// <summary>Runs the queries on this machine's cores.</summary>
/// <param name="threads">Query threads; 0 uses every core.</param>
public sealed class LocalQueryRunner(int threads = 0) : IQueryRunner
{
    private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Candidate>> RankDemands(MatchingEngine engine, IReadOnlyList<Demand> demands, int depth, Action? onQueryDone)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Rank(demands, d => engine.RankDemand(d, depth), onQueryDone);
    }

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyList<Candidate>> RankAchievements(MatchingEngine engine, IReadOnlyList<Achievement> achievements, int depth, Action? onQueryDone)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return Rank(achievements, a => engine.RankAchievement(a, depth), onQueryDone);
    }

    private IReadOnlyList<Candidate>[] Rank<TQuery>(IReadOnlyList<TQuery> queries, Func<TQuery, IReadOnlyList<Candidate>> rank, Action? onQueryDone)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var lists = new IReadOnlyList<Candidate>[queries.Count];
        Parallel.For(0, queries.Count, _parallel, i =>
        {
            lists[i] = rank(queries[i]);
            onQueryDone?.Invoke();
        });
        return lists;
    }
}
