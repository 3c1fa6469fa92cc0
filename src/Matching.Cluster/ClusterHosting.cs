using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Matching.Cluster;

/// <summary>Where the cluster is and how fast it notices a dead silo. The same on silos and coordinators.</summary>
public sealed record ClusterSettings
{
    /// <summary>The Redis server holding membership: <c>redis://HOST:PORT</c> or <c>HOST:PORT</c>.</summary>
    public required string Redis { get; init; }

    /// <summary>Cluster id: silos and coordinators of one cluster share it (several clusters can share one Redis).</summary>
    public string ClusterId { get; init; } = "matching";

    /// <summary>Probe timeout between silos (Orleans <c>ClusterMembershipOptions.ProbeTimeout</c>). Default 1 s.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo votes another dead. Default 2.</summary>
    public int MissedProbes { get; init; } = 2;

    /// <summary>The StackExchange.Redis configuration of <see cref="Redis"/>.</summary>
    /// <exception cref="FormatException">Not a redis://HOST:PORT address.</exception>
    public ConfigurationOptions RedisConfiguration()
    {
        var address = Redis.Trim();
        if (address.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
        {
            address = address["redis://".Length..].TrimEnd('/');
        }

        if (address.Length == 0 || address.Contains('/', StringComparison.Ordinal) || address.Contains(',', StringComparison.Ordinal))
        {
            throw new FormatException($"'{Redis}' is not a Redis address: give redis://HOST:PORT");
        }

        var options = ConfigurationOptions.Parse(address);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 5000;
        return options;
    }

    internal void Apply(ClusterOptions options)
    {
        options.ClusterId = ClusterId;
        options.ServiceId = "matching";
    }
}

/// <summary>Where one silo listens.</summary>
public sealed record SiloEndpoint
{
    /// <summary>The address other silos and coordinators reach this silo at. Default 127.0.0.1 (one machine).</summary>
    public IPAddress Advertised { get; init; } = IPAddress.Loopback;

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; init; }

    /// <summary>Gateway (coordinator-to-silo) port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; }
}

/// <summary>Builds silo hosts and coordinator clients.</summary>
public static class ClusterHosting
{
    /// <summary>A silo host serving <paramref name="replica"/>; start it with <c>StartAsync</c>.</summary>
    public static IHost BuildSilo(ClusterSettings cluster, SiloEndpoint endpoint, ReplicaService replica, LogLevel logLevel = LogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(endpoint);
        var redis = cluster.RedisConfiguration();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, logLevel);
        builder.Services.AddSingleton(replica);
        builder.UseOrleans(silo =>
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = redis);
            silo.Configure<ClusterOptions>(cluster.Apply);
            silo.ConfigureEndpoints(endpoint.Advertised,
                endpoint.SiloPort > 0 ? endpoint.SiloPort : FreePort(endpoint.Advertised),
                endpoint.GatewayPort > 0 ? endpoint.GatewayPort : FreePort(endpoint.Advertised),
                listenOnAnyHostAddress: !IPAddress.IsLoopback(endpoint.Advertised));
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                // Notice a killed silo in seconds: probe every second, two misses and one vote declare it dead.
                options.ProbeTimeout = cluster.ProbeTimeout;
                options.NumMissedProbesLimit = cluster.MissedProbes;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                options.DefunctSiloExpiration = TimeSpan.FromHours(1);
            });
            // The replica grains' locations live in Redis, not in the silos' distributed directory: a killed silo's
            // directory partition would otherwise hold up calls to the surviving silos' grains until the membership
            // protocol has declared it dead (which a CPU-starved survivor may put off).
            silo.AddRedisGrainDirectory(ReplicaGrain.Directory, options => options.ConfigurationOptions = redis);
            silo.Services.AddPlacementDirector<PinnedToSiloPlacement, PinnedToSiloPlacementDirector>();
        });
        return builder.Build();
    }

    /// <summary>A started client of the cluster (for a coordinator).</summary>
    /// <exception cref="ClusterException">Redis or every gateway could not be reached.</exception>
    public static async Task<IHost> ConnectAsync(ClusterSettings cluster, TimeSpan responseTimeout, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var redis = cluster.RedisConfiguration();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder.Logging, LogLevel.Error);
        // A failed start is reported once, as the run's error, not also as the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // The coordinator's own verb handles Ctrl+C and SIGTERM; the client must not swallow them.
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(options => options.ConfigurationOptions = redis);
            client.Configure<ClusterOptions>(cluster.Apply);
            // New silos become gateways within seconds.
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = responseTimeout);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation).ConfigureAwait(false);
            return host;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterException($"cannot join cluster '{cluster.ClusterId}' at {cluster.Redis}: {e.GetBaseException().Message} " +
                "(is Redis running, and is a silo started with `matching silo --cluster …`?)", e);
        }
    }

    /// <summary>The client of a host made by <see cref="ConnectAsync"/>.</summary>
    public static IClusterClient Client(IHost host) => host.Services.GetRequiredService<IClusterClient>();

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);
        // Its only warnings at start are notes about server GC, which a batch silo does not need.
        logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        // Logs go to stderr: stdout is for results.
        logging.AddSimpleConsole(options => options.SingleLine = true);
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(IPAddress.IsLoopback(address) ? address : IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A host lifetime that leaves signals alone.</summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A coordinator's client of the cluster, which can be replaced by a fresh one: a client that joined when
/// few silos were live learns of new gateways only periodically, and when every gateway it knows has died it would
/// stay disconnected although new silos are live; a new client reads the current gateway list from Redis.</summary>
public sealed class ClusterConnection : IDisposable
{
    private readonly ClusterSettings _settings;
    private readonly TimeSpan _responseTimeout;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private IHost _host;

    private ClusterConnection(ClusterSettings settings, TimeSpan responseTimeout, IHost host)
    {
        _settings = settings;
        _responseTimeout = responseTimeout;
        _host = host;
    }

    /// <summary>The current client.</summary>
    public IClusterClient Client => ClusterHosting.Client(Volatile.Read(ref _host));

    /// <summary>Connects.</summary>
    /// <exception cref="ClusterException">Redis or every gateway could not be reached.</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterSettings settings, TimeSpan responseTimeout) =>
        new(settings, responseTimeout, await ClusterHosting.ConnectAsync(settings, responseTimeout).ConfigureAwait(false));

    /// <summary>Replaces the client by a new one (unless <paramref name="seen"/> was already replaced); false when no
    /// gateway is reachable now.</summary>
    public async Task<bool> ReconnectAsync(IClusterClient seen)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(seen, Client))
            {
                return true;
            }

            IHost fresh;
            try
            {
                fresh = await ClusterHosting.ConnectAsync(_settings, _responseTimeout).ConfigureAwait(false);
            }
            catch (ClusterException)
            {
                return false;
            }

            var old = Interlocked.Exchange(ref _host, fresh);
            _ = Task.Run(async () =>
            {
                try
                {
                    await old.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The old client's gateways are gone; nothing to leave cleanly.
                }

                old.Dispose();
            });
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Leaving is best effort.
        }

        _host.Dispose();
        _lock.Dispose();
    }
}

/// <summary>The cluster cannot do the run: Redis or the silos cannot be reached, no silo serves the run's replica,
/// or a batch failed on every silo.</summary>
public sealed class ClusterException : MatchingException
{
    /// <summary>Creates the exception.</summary>
    public ClusterException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ClusterException(string message, Exception inner) : base(message, inner)
    {
    }
}
