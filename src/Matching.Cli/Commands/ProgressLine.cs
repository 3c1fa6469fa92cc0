using System.Diagnostics;
using System.Globalization;
using Matching.Engine;

namespace Matching.Cli.Commands;

/// <summary>Progress with rate and ETA on stderr: one updating line on a terminal; when stderr is redirected
/// (a log file, a batch scheduler), a plain line every 30 seconds, so logs stay short but a long run still shows
/// how far it is; and a summary line at the end either way.</summary>
internal sealed class ProgressLine(TextWriter writer, string what) : IProgress<BatchProgress>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(writer, Console.Error);
    private const long LogInterval = 30_000;
    private long _lastDrawn;
    private BatchProgress _last = new(0, 0);

    public void Report(BatchProgress value)
    {
        lock (_clock)
        {
            _last = value;
            if (_clock.ElapsedMilliseconds - _lastDrawn < (_interactive ? 250 : LogInterval))
            {
                return;
            }

            _lastDrawn = _clock.ElapsedMilliseconds;
            var rate = value.Done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            var eta = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{what}: {value.Done}/{value.Total} queries, {Rate(rate)} /s, ETA {(int)eta.TotalHours}:{eta:mm\\:ss}");
            if (_interactive)
            {
                writer.Write("\r" + line + "   ");
            }
            else
            {
                writer.WriteLine(line);
            }
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
                $"{what}: {_last.Done} queries in {_clock.Elapsed.TotalSeconds:0.0} s ({Rate(rate)} /s)"));
        }
    }

    public void Dispose() => _clock.Stop();

    /// <summary>A rate with the digits that matter: 0.37, 5.3, 812.</summary>
    private static string Rate(double rate) =>
        rate.ToString(rate < 1 ? "0.00" : rate < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
