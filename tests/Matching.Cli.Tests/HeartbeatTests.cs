using Matching.Cli.Hosting;

namespace Matching.Cli.Tests;

public sealed class HeartbeatTests
{
    [Test]
    public void Heartbeat_LongPhase_WritesLinesNamingThePhase()
    {
        using var writer = new StringWriter();
        using (new Heartbeat(writer, "indexing 40,000 achievements and 2,000 demands", TimeSpan.FromMilliseconds(20)))
        {
            SpinWait.SpinUntil(() => { lock (writer) { return writer.ToString().Length > 0; } }, TimeSpan.FromSeconds(30));
        }

        string text;
        lock (writer)
        {
            text = writer.ToString();
        }

        Assert.That(text, Does.Match(@"^indexing 40,000 achievements and 2,000 demands: \d+ s so far\n"));
    }

    [Test]
    public void Heartbeat_PhaseEndingBeforeTheFirstTick_WritesNothing()
    {
        using var writer = new StringWriter();
        using (new Heartbeat(writer, "reading demands from demands.csv (0.1 MB)", TimeSpan.FromHours(1)))
        {
        }

        Assert.That(writer.ToString(), Is.Empty);
    }
}
