using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Matching.Cli.Tests.Reliability;

/// <summary>The real <c>matching</c> command in a child process (<c>dotnet Matching.Cli.dll …</c> from the test's own
/// output folder), so it can be killed with SIGKILL where an in-process run could only be cancelled.</summary>
internal sealed class ChildCli : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private ChildCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_err, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildCli Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Matching.Cli.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new ChildCli(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
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
