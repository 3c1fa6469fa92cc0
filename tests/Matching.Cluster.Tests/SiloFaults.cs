using System.Globalization;

namespace Matching.Cluster.Tests;

/// <summary>Faults the cluster tests inject into a real <c>matching silo</c> process, without any option of the shipped
/// command: the silo is started with this test assembly as a .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>), whose
/// <see cref="StartupHook.Initialize"/> reads the variables below and sets the product's internal test seam
/// <see cref="ReplicaGrain.BeforeBatch"/> (reachable through InternalsVisibleTo). Nothing here runs in the product.</summary>
internal static class SiloFaults
{
    /// <summary>Milliseconds added to every batch the silo runs (so a run lasts long enough to kill a silo in it).</summary>
    private const string DelayVariable = "MATCHING_TEST_BATCH_DELAY_MS";

    /// <summary>A batch that fails: <c>KIND:BATCH</c> fails every time (<c>demands:2</c>), <c>KIND:BATCH:N</c> its first
    /// N times in this silo.</summary>
    private const string FailVariable = "MATCHING_TEST_FAIL_BATCH";

    /// <summary>The environment of a silo with these faults.</summary>
    public static Dictionary<string, string> Environment(int delayMilliseconds = 0, string? failBatch = null)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_STARTUP_HOOKS"] = typeof(SiloFaults).Assembly.Location };
        if (delayMilliseconds > 0)
        {
            environment[DelayVariable] = delayMilliseconds.ToString(CultureInfo.InvariantCulture);
        }

        if (failBatch is not null)
        {
            environment[FailVariable] = failBatch;
        }

        return environment;
    }

    /// <summary>The message of an injected failure.</summary>
    public static string FailureMessage(QueryKind kind, int batch) =>
        string.Create(CultureInfo.InvariantCulture, $"injected failure of {kind.ToString().ToLowerInvariant()} batch #{batch}");

    /// <summary>Runs in the silo's process, before its Main.</summary>
    internal static void Install()
    {
        var delay = int.TryParse(System.Environment.GetEnvironmentVariable(DelayVariable), CultureInfo.InvariantCulture, out var ms) ? ms : 0;
        var fail = System.Environment.GetEnvironmentVariable(FailVariable)?.Split(':');
        if (delay <= 0 && fail is null)
        {
            return;
        }

        var failKind = fail is null ? (QueryKind?)null : Enum.Parse<QueryKind>(fail[0], ignoreCase: true);
        var failBatch = fail is null ? -1 : int.Parse(fail[1], CultureInfo.InvariantCulture);
        var failTimes = fail is { Length: > 2 } ? int.Parse(fail[2], CultureInfo.InvariantCulture) : int.MaxValue;
        var failed = 0;
        ReplicaGrain.BeforeBatch = async request =>
        {
            if (delay > 0)
            {
                await Task.Delay(delay).ConfigureAwait(false);
            }

            if (request.Kind == failKind && request.Batch == failBatch && Interlocked.Increment(ref failed) <= failTimes)
            {
                throw new InvalidOperationException(FailureMessage(request.Kind, request.Batch));
            }
        };
    }
}
