using MiniExcelLibs;

namespace Matching.Cli.Tests;

/// <summary><c>--start-time</c>, <c>--slot-minutes</c>, <c>--break-minutes</c>: clock times on the agenda, the
/// per-organisation schedules and their sheets.</summary>
public sealed class ClockTimeTests
{
    [Test]
    public void Match_WithClock_TimesInTheAgendaCsvHtmlAndWorkbook()
    {
        using var temp = new TempDir();
        var result = Cli.Run("match", "--out", temp.Path, "--start-time", "09:00", "--slot-minutes", "20", "--break-minutes", "5");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var bySlot = File.ReadAllLines(temp["agenda_by_slot.csv"]);
        var slotTwo = bySlot.Skip(1).First(l => l.StartsWith("2,", StringComparison.Ordinal));
        var html = File.ReadAllText(temp["report.html"]);
        var meetings = MiniExcel.Query(temp["report.xlsx"], useHeaderRow: true, sheetName: "会议日程").Cast<IDictionary<string, object?>>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bySlot[0], Does.EndWith(",enterprise_email,time"));
            Assert.That(slotTwo, Does.EndWith(",09:25–09:45"));
            Assert.That(File.ReadLines(temp["agenda_by_organization.csv"]).First(), Does.EndWith(",counterpart_email,time"));
            Assert.That(html, Does.Contain("第 1 轮 Slot 1<br><span class=\"time\">09:00–09:20</span>"));
            Assert.That(meetings.First(r => Convert.ToInt32(r["轮次"], System.Globalization.CultureInfo.InvariantCulture) == 2)["时间"], Is.EqualTo("09:25–09:45"));
            Assert.That(meetings[0].Keys.Take(3), Is.EqualTo(new[] { "轮次", "时间", "桌号" }));
        }
    }

    [Test]
    public void Match_WithoutClock_NoTimeColumn()
    {
        using var temp = new TempDir();
        var result = Cli.Run("match", "--out", temp.Path, "--no-report");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(File.ReadLines(temp["agenda_by_slot.csv"]).First(), Does.EndWith(",enterprise_email"));
    }

    [Test]
    public void Match_ClockPastMidnight_UsageErrorAndNothingWritten()
    {
        using var temp = new TempDir();
        var result = Cli.Run("match", "--out", temp["out"], "--start-time", "23:00", "--slot-minutes", "20");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain("8 slots of 20 minutes from 23:00 (breaks 0) end after midnight"));
            Assert.That(Directory.Exists(temp["out"]), Is.False);
        }
    }
}
