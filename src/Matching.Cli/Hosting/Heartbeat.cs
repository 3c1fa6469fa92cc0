using System.Diagnostics;
using System.Globalization;

namespace Matching.Cli.Hosting;

/// <summary>A phase with no countable progress of its own (reading a large file, building the indexes): a line every
/// few seconds while it runs, so a long start is never silent, and nothing at all for a phase that ends before the
/// first tick.</summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly TextWriter _writer;
    private readonly string _what;

    /// <param name="writer">Where the lines go (stderr).</param>
    /// <param name="what">The phase, e.g. "reading achievements.csv (52 MB)".</param>
    /// <param name="interval">Time between lines; default 4 s, so a user sees one within 5 s.</param>
    public Heartbeat(TextWriter writer, string what, TimeSpan? interval = null)
    {
        _writer = writer;
        _what = what;
        var every = interval ?? TimeSpan.FromSeconds(4);
        _timer = new Timer(_ => Tick(), null, every, every);
    }

    private void Tick()
    {
        lock (_writer)
        {
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_what}: {_clock.Elapsed.TotalSeconds:0} s so far"));
        }
    }

    public void Dispose() => _timer.Dispose();
}
