using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Matching.Cluster.Tests;

/// <summary>Runs the real command line in-process and captures what it printed.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Matching.Cli.Program.Run(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>What the cluster tests ask of a child process beyond <see cref="ChildProcess"/>.</summary>
internal static class ChildProcessAssertions
{
    /// <summary>Lines of stderr containing <paramref name="text"/>.</summary>
    public static int Count(this ChildProcess child, string text) =>
        child.Err.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until <paramref name="reached"/> holds; fails the test when the child ends first or time runs out
    /// (counted from this call).</summary>
    public static void WaitFor(this ChildProcess child, Func<ChildProcess, bool> reached, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!reached(child))
        {
            if (child.HasExited)
            {
                Assert.Fail($"{what}: the child ended first: {child.Err}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not reached within {timeout}: {child.Err}");
            }

            Thread.Sleep(20);
        }
    }
}

/// <summary>A private <c>redis-server</c> on a free port, without persistence, for one test fixture.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly ChildProcess _process;

    private RedisServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts one; in CI (CI=true) a missing redis-server fails the test, elsewhere it is skipped.</summary>
    public static RedisServer Start()
    {
        var program = Prerequisites.RedisServer();
        var port = Cli.FreePort();
        var child = ChildProcess.Start(program, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new RedisServer(child, port);
            }
            catch (SocketException)
            {
                if (child.HasExited)
                {
                    break;
                }

                Thread.Sleep(50);
            }
        }

        var err = child.Out + child.Err;
        child.Dispose();
        Assert.Fail($"redis-server did not start on port {port}: {err}");
        throw new InvalidOperationException("unreachable");
    }

    public void Dispose() => _process.Dispose();
}
