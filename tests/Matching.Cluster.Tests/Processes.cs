using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Matching.Cluster.Tests;

/// <summary>Runs the real command line in-process and captures what it printed.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err);

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

/// <summary>A child process (<c>dotnet Matching.Cli.dll …</c>, or any program) whose output is collected line by line
/// and which can be killed with SIGKILL.</summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private Child(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static Child Matching(params string[] args) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Matching.Cli.dll"), .. args]);

    public static Child Start(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new Child(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public bool HasExited => _process.HasExited;

    public string Out => Read(_out);

    public string Err => Read(_err);

    /// <summary>Lines of stderr containing <paramref name="text"/>.</summary>
    public int Count(string text) => Err.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits until <paramref name="reached"/> holds; fails the test when the child ends first or time runs out.</summary>
    public void WaitUntil(Func<Child, bool> reached, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!reached(this))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{what}: the child ended first (exit {_process.ExitCode}): {Err}");
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not reached within {timeout}: {Err}");
            }

            Thread.Sleep(20);
        }
    }

    public CliResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            Assert.Fail($"the child did not finish within {timeout}: {Err}");
        }

        _process.WaitForExit();
        return new CliResult(_process.ExitCode, Out, Err);
    }

    /// <summary>SIGKILL: no handler or finally block runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}

/// <summary>A private <c>redis-server</c> on a free port, without persistence, for one test fixture.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Child _process;

    private RedisServer(Child process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts one; in CI (CI=true) a missing redis-server fails the test, elsewhere it is skipped.</summary>
    public static RedisServer Start()
    {
        var program = FindOnPath("redis-server");
        if (program is null)
        {
            const string message = "redis-server is not installed (Debian: apt-get install redis-server); the cluster tests need it";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message + " — .ci/run installs it");
            }

            Assert.Ignore(message);
        }

        var port = Cli.FreePort();
        var child = Child.Start(program!, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
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

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
