using System.CommandLine;
using System.Globalization;
using System.Net;
using Matching.Cluster;
using Matching.Engine;
using Microsoft.Extensions.Hosting;
using Matching.Cli.Hosting;

namespace Matching.Cli.Commands;

/// <summary><c>matching silo</c>: a cluster member serving its own read-only copy of the indexes; and the options
/// with which <c>matching match --cluster</c> spreads its queries over such silos.</summary>
internal static class SiloCommand
{
    public static Command Create(CommandHost host)
    {
        var cluster = Cluster(required: true);
        var clusterId = ClusterId();
        var index = new Option<string>("--index")
        {
            Description = "The index folder this silo serves (built with `matching index`, or copied from where it was built).",
            Required = true,
            HelpName = "DIR",
        };
        var model = CommonOptions.Model("Reranker: a model zip, or none. Must be the coordinator's (compared by hash). Default: the shipped model.");
        var analyzer = CommonOptions.Analyzer();
        var address = new Option<string>("--host")
        {
            Description = "The address other silos and coordinators reach this silo at (default 127.0.0.1: one machine).",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "IP",
        };
        var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port (default: a free one).", HelpName = "PORT" };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Port coordinators connect to (default: a free one).", HelpName = "PORT" };
        var inMemory = new Option<bool>("--in-memory") { Description = "Load the index into memory at start (re-indexed from its stored records; same content hash)." };
        var threads = CommonOptions.Threads("Query threads per batch.");
        var maxAnalyzedChars = CommonOptions.MaxAnalyzedChars();
        var probeTimeout = ProbeTimeout();
        var missedProbes = new Option<int>("--missed-probes")
        {
            Description = "Missed probes after which a silo is declared dead (default 2).",
            DefaultValueFactory = _ => 2,
            HelpName = "N",
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "Orleans log level on stderr: warning (default), information, debug, error.",
            DefaultValueFactory = _ => "warning",
        }.AcceptOnlyFromAmong("error", "warning", "information", "debug");

        var command = new Command("silo", "Join an Orleans cluster (Redis membership) as a silo that runs batches of `match --cluster` on its own read-only copy of the index. Runs until stopped (Ctrl+C or SIGTERM).")
        {
            cluster, clusterId, index, model, analyzer, inMemory, address, siloPort, gatewayPort, threads, probeTimeout, missedProbes, logLevel,
            maxAnalyzedChars,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var settings = Settings(parse.GetValue(cluster)!, parse.GetValue(clusterId)!, parse.GetValue(probeTimeout), parse.GetValue(missedProbes));
            if (!IPAddress.TryParse(parse.GetValue(address), out var advertised))
            {
                throw new UsageException($"--host must be an IP address, not '{parse.GetValue(address)}'");
            }

            var modelValue = parse.GetValue(model)!;
            SiloHost.Run(settings, new SiloOptions
            {
                IndexPath = parse.GetValue(index)!,
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
                Ranker = host.LoadModel(modelValue),
                Bm25Strength = host.Bm25Strength(modelValue),
                ModelPath = CommandHost.ModelPath(modelValue),
                InMemory = parse.GetValue(inMemory),
                MaxAnalyzedChars = parse.GetValue(maxAnalyzedChars),
                Endpoint = new SiloEndpoint { Advertised = advertised, SiloPort = parse.GetValue(siloPort), GatewayPort = parse.GetValue(gatewayPort) },
                Threads = parse.GetValue(threads),
                LogLevel = Enum.Parse<Microsoft.Extensions.Logging.LogLevel>(parse.GetValue(logLevel)!, ignoreCase: true),
            }, host.Log);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The options <c>match</c> takes to run on a cluster.</summary>
    internal sealed class MatchOptions
    {
        public Option<string?> Cluster { get; } = SiloCommand.Cluster(required: false);

        public Option<string> ClusterId { get; } = SiloCommand.ClusterId();

        public Option<int> BatchSize { get; } = CommonOptions.PositiveInt("--batch-size", 64, "Queries per batch sent to a silo (with --cluster).");

        public Option<double> WaitForSilos { get; } = new("--wait-for-silos")
        {
            Description = "Seconds to wait with no compatible silo live before failing (with --cluster; default 20).",
            DefaultValueFactory = _ => 20,
            HelpName = "SECONDS",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Cluster);
            command.Options.Add(ClusterId);
            command.Options.Add(BatchSize);
            command.Options.Add(WaitForSilos);
        }

        /// <summary>Null without --cluster; else a connected run whose <see cref="ClusterRun.Runner"/> only uses silos
        /// whose replica equals <paramref name="engine"/> with the model given as <paramref name="modelValue"/>.</summary>
        public ClusterRun? Connect(ParseResult parse, CommandHost host, MatchingEngine engine, string modelValue)
        {
            if (parse.GetValue(Cluster) is not { } address)
            {
                return null;
            }

            var settings = Settings(address, parse.GetValue(ClusterId)!, 1, 2);
            var identity = Replicas.Of(engine, CommandHost.ModelPath(modelValue));
            host.Log($"cluster: this run needs replica {identity}");
            var options = new ClusterRunOptions
            {
                BatchSize = parse.GetValue(BatchSize),
                WaitForSilos = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(WaitForSilos))),
            };
            var connection = ClusterConnection.ConnectAsync(settings, options.BatchTimeout).GetAwaiter().GetResult();
            return new ClusterRun(connection, new ClusterQueryRunner(connection, identity, options, host.Log));
        }
    }

    /// <summary>A coordinator's connection and runner; disposing it leaves the cluster.</summary>
    internal sealed class ClusterRun(ClusterConnection connection, ClusterQueryRunner runner) : IDisposable
    {
        public ClusterQueryRunner Runner { get; } = runner;

        public void Dispose() => connection.Dispose();
    }

    private static Option<string?> Cluster(bool required) => new("--cluster")
    {
        Description = required
            ? "The cluster's Redis (membership): redis://HOST:PORT."
            : "Spread the queries over the silos of this cluster (Redis membership): redis://HOST:PORT. Outputs are identical to a local run.",
        Required = required,
        HelpName = "redis://HOST:PORT",
    };

    private static Option<string> ClusterId() => new("--cluster-id")
    {
        Description = "Cluster name within that Redis (default matching).",
        DefaultValueFactory = _ => "matching",
        HelpName = "NAME",
    };

    private static Option<double> ProbeTimeout() => new("--probe-timeout")
    {
        Description = "Seconds a silo waits for another's probe answer (default 1; with --missed-probes 2 a killed silo is declared dead in a few seconds).",
        DefaultValueFactory = _ => 1,
        HelpName = "SECONDS",
    };

    private static ClusterSettings Settings(string redis, string clusterId, double probeTimeout, int missedProbes)
    {
        if (probeTimeout <= 0 || missedProbes < 1)
        {
            throw new UsageException("--probe-timeout must be positive and --missed-probes at least 1");
        }

        var settings = new ClusterSettings
        {
            Redis = redis,
            ClusterId = clusterId,
            ProbeTimeout = TimeSpan.FromSeconds(probeTimeout),
            MissedProbes = missedProbes,
        };
        try
        {
            settings.RedisConfiguration();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--cluster: {e.Message}"));
        }

        return settings;
    }
}
