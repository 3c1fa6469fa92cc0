using Matching.Cli.Commands;
using Matching.Engine;
using Matching.Cli.Hosting;

namespace Matching.Cli.Tests;

public sealed class ProgressLineTests
{
    [Test]
    public void Finish_RedirectedWriter_OneSummaryLineWithCountRateAndStartUp()
    {
        using var writer = new StringWriter();
        using (var progress = new ProgressLine(writer, "matching"))
        {
            progress.Report(new BatchProgress(1, 3));
            progress.Report(new BatchProgress(2, 3));
            progress.Report(new BatchProgress(3, 3));
            progress.Finish();
        }

        // Not a terminal: no carriage returns, and within 30 s no periodic line — just the summary.
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Match(@"^matching: 3 queries in \d+\.\d s \(\d+(\.\d+)? /s; \d+\.\d s until the first result\)$"));
        Assert.That(writer.ToString(), Does.Not.Contain("\r"));
    }

    [Test]
    public void Finish_NothingReported_StartUpIsTheWholeRun()
    {
        using var writer = new StringWriter();
        using var progress = new ProgressLine(writer, "matching");
        progress.Finish();

        Assert.That(writer.ToString().TrimEnd(), Does.Match(@"^matching: 0 queries in (\d+\.\d) s \(0\.00 /s; \1 s until the first result\)$"));
    }
}
