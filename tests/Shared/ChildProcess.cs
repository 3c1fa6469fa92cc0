using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Matching.Testing;

/// <summary>What a run of the command line printed, and its exit code.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err);

/// <summary>A child process whose output is collected line by line and which can be killed with SIGKILL: the real
/// <c>matching</c> command (<c>dotnet Matching.Cli.dll …</c> from the test's own output folder), where an in-process
/// run could only be cancelled, or a helper program such as <c>redis-server</c>. Shared by the CLI and cluster tests
/// (linked into both projects).</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The <c>matching</c> command with <paramref name="args"/>.</summary>
    public static ChildProcess Cli(params string[] args) => Cli(null, args);

    /// <summary>The <c>matching</c> command with <paramref name="args"/> and extra environment variables.</summary>
    public static ChildProcess Cli(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start("dotnet", environment, [Path.Combine(AppContext.BaseDirectory, "Matching.Cli.dll"), .. args]);

    public static ChildProcess Start(string program, params string[] args) => Start(program, null, args);

    public static ChildProcess Start(string program, IReadOnlyDictionary<string, string>? environment, params string[] args)
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

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no handler, finally block or flush runs.
    /// Returns false when the process had already ended on its own.</summary>
    public bool Kill()
    {
        var wasRunning = !_process.HasExited;
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            wasRunning = false;
        }

        _process.WaitForExit();
        return wasRunning;
    }

    /// <summary>Waits for the child to end by itself and returns what it printed.</summary>
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

    /// <summary>Waits for the child to end by itself, as <see cref="WaitForExit"/> does, reading its peak resident set
    /// (<c>VmHWM</c> of <c>/proc/PID/status</c>, a high-water mark) every 20 ms meanwhile; the peak is 0 where /proc cannot
    /// be read.</summary>
    public (CliResult Result, long PeakBytes) WaitForExitMeasuringPeak(TimeSpan timeout)
    {
        var peak = 0L;
        while (!_process.HasExited && _clock.Elapsed < timeout)
        {
            peak = Math.Max(peak, PeakResidentBytes() ?? 0);
            Thread.Sleep(20);
        }

        return (WaitForExit(timeout - _clock.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : timeout - _clock.Elapsed), peak);
    }

    /// <summary>The child's peak resident set so far (<c>VmHWM</c>), or null when it cannot be read.</summary>
    public long? PeakResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    /// <summary>Polls <paramref name="reached"/> until it holds; false when the child ended first or time ran out.</summary>
    public bool WaitUntil(Func<bool> reached, TimeSpan timeout)
    {
        while (_clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (reached())
            {
                return true;
            }

            Thread.Sleep(1);
        }

        return false;
    }

    /// <summary>Bytes the child has read through system calls so far (<c>rchar</c> of <c>/proc/PID/io</c>), or null
    /// when it cannot be seen. .NET reads files with pread, so a descriptor's offset stays 0; this counter does not.</summary>
    public long? BytesRead()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/io").FirstOrDefault(l => l.StartsWith("rchar:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["rchar:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    /// <summary>Whether the child has <paramref name="path"/> open (a link of <c>/proc/PID/fd</c> points to it), or null
    /// when that cannot be seen.</summary>
    public bool? HasOpen(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            return new DirectoryInfo($"/proc/{Id}/fd").EnumerateFileSystemInfos().Any(fd => fd.LinkTarget == full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }

    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string Err
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
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
}
