namespace Matching.Engine;

/// <summary>How a batch run uses the machine.</summary>
public sealed record EventRunOptions
{
    /// <summary>Query threads; 0 (the default) uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>Told after every query (demands, then achievements).</summary>
    public IProgress<BatchProgress>? Progress { get; init; }

    /// <summary>Whether to build the report's demand cards (snippets, contributions). Default true; large batches
    /// that only want the tables turn it off.</summary>
    public bool WithReport { get; init; } = true;

    /// <summary>How much of the report is shown (null: the defaults). Only the demand cards and recommendations the
    /// report's page shows get highlighted passages: the workbook lists the rest with their matched terms and
    /// contributions, which need no passage, and highlighting re-analyses an abstract per recommendation.</summary>
    public Reporting.ReportOptions? Report { get; init; }

    /// <summary>Who runs the queries (retrieval, features, reranking): null (the default) runs them on this
    /// machine with <see cref="Threads"/> threads; a cluster runner spreads them over machines.</summary>
    public IQueryRunner? Runner { get; init; }

    /// <summary>Whether every achievement is also run as a query (recommendations per achievement). Default true.
    /// Off, only demands are queries: no achievement→demand table is written, and pairs rest on the demands'
    /// recommendations alone — for batches with far more achievements than demands.</summary>
    public bool AchievementQueries { get; init; } = true;

    /// <summary>How the achievements' lists are made when <see cref="AchievementQueries"/> is on: each achievement as
    /// its own query (<see cref="ReverseLists.Query"/>, the default) or inverted from the demands' ranked lists
    /// (<see cref="ReverseLists.Derived"/>, no second pass of queries — for large batches). The demands' lists are
    /// the same either way, except with uncalibrated BM25 strengths (relative to the best score of the whole run, which
    /// then has no achievement queries).</summary>
    public ReverseLists Reverse { get; init; } = ReverseLists.Query;
}

/// <summary>Where each achievement's list of demands comes from.</summary>
public enum ReverseLists
{
    /// <summary>The achievement is a query against the demands: BM25, pair features and reranking of its own.</summary>
    Query,

    /// <summary>The demands whose ranked candidate lists (the full reranked depth, before the top-k cut) hold the
    /// achievement, ordered by the pair's strength as computed for the demand. An achievement no demand retrieved
    /// gets an empty list.</summary>
    Derived,
}

/// <summary>Queries done of a batch.</summary>
/// <param name="Done">Queries answered.</param>
/// <param name="Total">Queries in the batch.</param>
public sealed record BatchProgress(int Done, int Total);
