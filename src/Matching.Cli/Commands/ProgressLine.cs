using System.Diagnostics;
using System.Globalization;
using Matching.Engine;

namespace Matching.Cli.Commands;

/// <summary>Progress with rate and ETA on stderr: one updating line on a terminal, nothing when stderr is
/// redirected (logs stay clean), and a summary line at the end either way.</summary>
internal sealed class ProgressLine(TextWriter writer, string what) : IProgress<BatchProgress>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(writer, Console.Error);
    private long _lastDrawn;
    private BatchProgress _last = new(0, 0);

    public void Report(BatchProgress value)
    {
        lock (_clock)
        {
            _last = value;
            if (!_interactive || _clock.ElapsedMilliseconds - _lastDrawn < 250)
            {
                return;
            }

            _lastDrawn = _clock.ElapsedMilliseconds;
            var rate = value.Done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            var eta = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{what}: {value.Done}/{value.Total} queries, {rate:0} /s, ETA {eta:hh\\:mm\\:ss}   "));
        }
    }

    public void Finish()
    {
        lock (_clock)
        {
            if (_interactive)
            {
                writer.Write('\r');
            }

            var rate = _last.Done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {_last.Done} queries in {_clock.Elapsed.TotalSeconds:0.0} s ({rate:0} /s)"));
        }
    }

    public void Dispose() => _clock.Stop();
}
