using System.Diagnostics;
using System.Globalization;
using Matching.Engine;

namespace Matching.Cli.Hosting;

/// <summary>Progress with rate and ETA on stderr: one updating line on a terminal; when stderr is redirected
/// (a log file, a batch scheduler), a plain line every 30 seconds, so logs stay short but a long run still shows
/// how far it is; and a summary line at the end either way.</summary>
/// <remarks>Rate and ETA count from the first finished query: what comes before it (opening indexes, building the
/// feature profiles of a large catalogue — minutes at 1M records) is a one-off cost that would otherwise make the
/// ETA of a long run hours too long. The summary gives that start-up time separately.</remarks>
internal sealed class ProgressLine(TextWriter writer, string what) : IProgress<BatchProgress>, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _interactive = !Console.IsErrorRedirected && ReferenceEquals(writer, Console.Error);
    private const long LogInterval = 30_000;
    private long _lastDrawn;
    private BatchProgress _last = new(0, 0);
    private double _firstAt = -1;
    private int _firstDone;

    public void Report(BatchProgress value)
    {
        lock (_clock)
        {
            _last = value;
            if (_firstAt < 0)
            {
                _firstAt = _clock.Elapsed.TotalSeconds;
                _firstDone = value.Done;
            }

            if (_clock.ElapsedMilliseconds - _lastDrawn < (_interactive ? 250 : LogInterval))
            {
                return;
            }

            _lastDrawn = _clock.ElapsedMilliseconds;
            var rate = Rate();
            var eta = rate > 0 ? TimeSpan.FromSeconds((value.Total - value.Done) / rate) : TimeSpan.Zero;
            var line = _clock.Elapsed.TotalSeconds - _firstAt < 1
                ? string.Create(CultureInfo.InvariantCulture, $"{what}: {value.Done}/{value.Total} queries, first result after {_firstAt:0.0} s")
                : string.Create(CultureInfo.InvariantCulture,
                    $"{what}: {value.Done}/{value.Total} queries, {Format(rate)} /s, ETA {(int)eta.TotalHours}:{eta:mm\\:ss}");
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

            var total = _clock.Elapsed.TotalSeconds;
            var startup = _firstAt < 0 ? total : _firstAt;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}: {_last.Done} queries in {total:0.0} s ({Format(Rate())} /s; {startup:0.0} s until the first result)"));
        }
    }

    public void Dispose() => _clock.Stop();

    /// <summary>Queries a second since the first finished one (over the whole run until a second has passed).</summary>
    private double Rate()
    {
        var now = _clock.Elapsed.TotalSeconds;
        return _firstAt >= 0 && now - _firstAt >= 1
            ? (_last.Done - _firstDone) / (now - _firstAt)
            : _last.Done / Math.Max(0.001, now);
    }

    /// <summary>A rate with the digits that matter: 0.37, 5.3, 812.</summary>
    private static string Format(double rate) =>
        rate.ToString(rate < 1 ? "0.00" : rate < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
