using System.Net;
using Matching.Engine;
using Matching.Ranking;
using Matching.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matching.Cluster;

/// <summary>What a silo serves and how it joins its cluster.</summary>
public sealed record SiloOptions
{
    /// <summary>The index folder the silo serves.</summary>
    public required string IndexPath { get; init; }

    /// <summary>The analyzer the index was built with.</summary>
    public AnalyzerKind Analyzer { get; init; } = AnalyzerKind.Jieba;

    /// <summary>The reranker (must be the coordinator's), or null for BM25 order.</summary>
    public RankerModel? Ranker { get; init; }

    /// <summary>The BM25 strength calibration when there is no <see cref="Ranker"/> (see <see cref="EngineOptions.Bm25Strength"/>).</summary>
    public StrengthCalibration? Bm25Strength { get; init; }

    /// <summary>The file <see cref="Ranker"/> was loaded from (its hash is part of the replica's identity), or null.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Re-index the stored records in memory at start (same records, same content hash).</summary>
    public bool InMemory { get; init; }

    /// <summary>The address other silos and coordinators reach this silo at, and its ports (0: free ones).</summary>
    public SiloEndpoint Endpoint { get; init; } = new();

    /// <summary>Characters of a record analysed (<see cref="EngineOptions.MaxAnalyzedChars"/>); must equal the coordinator's.</summary>
    public int MaxAnalyzedChars { get; init; } = new EngineOptions().MaxAnalyzedChars;

    /// <summary>Query threads per batch; 0 uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>Orleans' own log level on the log.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Warning;
}

/// <summary>Runs one silo: opens its replica, joins the cluster and serves batches until the process is stopped.</summary>
public static class SiloHost
{
    /// <summary>Serves until Ctrl+C or SIGTERM.</summary>
    /// <exception cref="IndexMismatchException">No index at <see cref="SiloOptions.IndexPath"/>, or a damaged one.</exception>
    /// <exception cref="ClusterException">The silo cannot join the cluster.</exception>
    public static void Run(ClusterSettings settings, SiloOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(options.IndexPath))
        {
            throw new IndexMismatchException($"there is no index in {options.IndexPath}; build it with `matching index --index {options.IndexPath}` (or copy one there)");
        }

        var engineOptions = new EngineOptions { IndexPath = options.IndexPath, Analyzer = options.Analyzer, Ranker = options.Ranker, Bm25Strength = options.Bm25Strength, MaxAnalyzedChars = options.MaxAnalyzedChars };
        var engine = MatchingEngine.Open(engineOptions);
        if (options.InMemory)
        {
            using var onDisk = engine;
            engine = MatchingEngine.Create(onDisk.Achievements(), onDisk.Demands(), new EngineOptions { Analyzer = options.Analyzer, Ranker = options.Ranker, Bm25Strength = options.Bm25Strength, MaxAnalyzedChars = options.MaxAnalyzedChars });
            log($"loaded {engine.AchievementCount} achievements and {engine.DemandCount} demands into memory");
        }

        var identity = Replicas.Of(engine, options.ModelPath);
        // Build the feature profiles now, not in the first batch.
        if (engine.Demands().FirstOrDefault() is { } warmUp)
        {
            engine.RankDemand(warmUp, 1);
        }

        using var replica = new ReplicaService(engine, identity, options.Threads, line => log("silo: " + line));
        using var silo = ClusterHosting.BuildSilo(settings, options.Endpoint, replica, options.LogLevel);
        try
        {
            silo.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ClusterException($"the silo could not join cluster '{settings.ClusterId}' at {settings.Redis}: {e.GetBaseException().Message}", e);
        }

        var me = silo.Services.GetService(typeof(Orleans.Runtime.ILocalSiloDetails)) as Orleans.Runtime.ILocalSiloDetails;
        log($"silo ready: {me?.SiloAddress} in cluster '{settings.ClusterId}' at {settings.Redis}, serving {identity}");
        silo.WaitForShutdown();
        log("silo stopped");
    }
}
