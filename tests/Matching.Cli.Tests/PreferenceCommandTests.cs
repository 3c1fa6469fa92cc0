using System.Globalization;
using CsvHelper;

namespace Matching.Cli.Tests;

/// <summary><c>--preferences</c>, <c>--keep</c>, <c>--max-counterparts</c> on <c>match</c> and <c>agenda</c>.</summary>
public sealed class PreferenceCommandTests
{
    private static TempDir s_run = null!;
    private static List<string[]> s_pairs = null!;

    [OneTimeSetUp]
    public static void RunSample()
    {
        s_run = new TempDir();
        var result = Cli.Run("match", "--out", s_run.Path, "--no-agenda", "--no-report");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        s_pairs = Rows(s_run["pairs.csv"]);
    }

    [OneTimeTearDown]
    public static void Cleanup() => s_run.Dispose();

    private static List<string[]> Rows(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add(csv.Parser.Record!);
        }

        return rows;
    }

    private static TempDir CopyOfRun()
    {
        var temp = new TempDir();
        File.Copy(s_run["pairs.csv"], temp["pairs.csv"]);
        return temp;
    }

    [Test]
    public void Match_PairsCsv_CarriesTwoWayAcceptance()
    {
        var header = File.ReadLines(s_run["pairs.csv"]).First();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(header, Is.EqualTo("rank,university,enterprise,score,evidence_count,evidence,p_accept"));
            Assert.That(s_pairs.Select(p => double.Parse(p[6], CultureInfo.InvariantCulture)), Has.All.InRange(0.0, 1.0).And.Some.GreaterThan(0.5));
        }
    }

    [Test]
    public void Agenda_Preferences_VetoNeverScheduledMustMeetReported()
    {
        using var temp = CopyOfRun();
        var (best, second) = (s_pairs[0], s_pairs[1]);
        // The enterprise of the best pair vetoes it (by the university's name); the second pair's university must meet
        // its enterprise, named by one of the enterprise's demand ids from the evidence column.
        var demandId = second[5].Split('→')[0];
        File.WriteAllText(temp["preferences.csv"],
            $"单位,对方,选择\n{best[2]},{best[1]},不见\n{second[1]},{demandId},必见\n", new System.Text.UTF8Encoding(true));

        var result = Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp.Path, "--preferences", temp["preferences.csv"], "--slots", "2", "--tables", "3");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var meetings = Rows(temp["agenda_by_slot.csv"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(meetings.Select(m => (m[2], m[3])), Does.Not.Contain((best[1], best[2])));
            Assert.That(meetings.Select(m => (m[2], m[3])), Does.Contain((second[1], second[2])), "the must-meet is scheduled");
            Assert.That(result.Out, Does.Contain("1 of 1 must-meets scheduled").And.Contain("must_meet_unscheduled.csv"));
            Assert.That(File.ReadAllText(temp["must_meet_unscheduled.csv"]), Is.EqualTo("organization,counterpart,reason,原因\n"));
        }
    }

    [Test]
    public void Agenda_MustMeetOfAVetoedPair_ReportedAsVetoed()
    {
        using var temp = CopyOfRun();
        var pair = s_pairs[0];
        File.WriteAllText(temp["preferences.csv"], $"organization,counterpart,choice\n{pair[1]},{pair[2]},must-meet\n{pair[2]},{pair[1]},already-met\n");

        var result = Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp.Path, "--preferences", temp["preferences.csv"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        Assert.That(File.ReadAllText(temp["must_meet_unscheduled.csv"]), Is.EqualTo($"organization,counterpart,reason,原因\n{pair[1]},{pair[2]},vetoed,对方不见或已对接\n"));
    }

    [Test]
    public void Match_MustMeetThatCannotBeHeld_InTheReportAndWorkbook()
    {
        using var temp = new TempDir();
        var pair = s_pairs[0];
        File.WriteAllText(temp["preferences.csv"], $"organization,counterpart,choice\n{pair[1]},{pair[2]},must-meet\n{pair[2]},{pair[1]},already-met\n");

        var result = Cli.Run("match", "--out", temp["out"], "--preferences", temp["preferences.csv"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var html = File.ReadAllText(temp["out/report.html"]);
        var sheet = MiniExcelLibs.MiniExcel.Query(temp["out/report.xlsx"], useHeaderRow: true, sheetName: "必见未安排")
            .Cast<IDictionary<string, object?>>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("未能安排的必见会谈"));
            Assert.That(html, Does.Contain($"<tr><td>{pair[1]}</td><td>{pair[2]}</td><td>对方不见或已对接 <span class=\"field\">vetoed</span></td></tr>"));
            Assert.That(sheet.Select(r => ((string?)r["提出方"], (string?)r["对方"], (string?)r["原因"], (string?)r["reason"])),
                Is.EqualTo(new[] { ((string?)pair[1], (string?)pair[2], (string?)"对方不见或已对接", (string?)"vetoed") }));
        }
    }

    [Test]
    public void Agenda_Keep_ConfirmedMeetingsStayAtTheirSlotAndTable()
    {
        using var temp = CopyOfRun();
        Assert.That(Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp["first"], "--slots", "3", "--tables", "4").ExitCode, Is.EqualTo(0));
        var first = File.ReadAllLines(temp["first/agenda_by_slot.csv"]);
        // Keep the last two meetings of the first plan, as written, and plan again with more tables.
        File.WriteAllLines(temp["confirmed.csv"], [first[0], .. first[^2..]]);

        var result = Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp["second"], "--slots", "3", "--tables", "6", "--keep", temp["confirmed.csv"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var second = Rows(temp["second/agenda_by_slot.csv"]).Select(r => string.Join(",", r[..4])).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.SupersetOf(first[^2..].Select(l => string.Join(",", l.Split(',')[..4]))));
            Assert.That(result.Out, Does.Contain("2 kept"));
        }
    }

    [Test]
    public void Agenda_KeepWithTableClash_InputErrorWithFileAndLine()
    {
        using var temp = CopyOfRun();
        var (a, b) = (s_pairs[0], s_pairs[^1]);
        File.WriteAllText(temp["confirmed.csv"], $"slot,table,university,enterprise\n1,1,{a[1]},{a[2]}\n1,1,{b[1]},{b[2]}\n");

        var result = Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp.Path, "--keep", temp["confirmed.csv"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain($"{temp["confirmed.csv"]}:3: field 'table': table 1 of slot 1 is already taken at line 2"));
            Assert.That(File.Exists(temp["agenda_by_slot.csv"]), Is.False, "nothing is written");
        }
    }

    [Test]
    public void Match_PreferencesNamingAnUnknownOrganisation_InputErrorWithClosestNames()
    {
        using var temp = new TempDir();
        var university = s_pairs[0][1];
        File.WriteAllText(temp["preferences.csv"], $"organization,counterpart,choice\n{university}X,{s_pairs[0][2]},interested\n");

        var result = Cli.Run("match", "--out", temp["out"], "--preferences", temp["preferences.csv"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain($"{temp["preferences.csv"]}:2: field 'organization': no organisation, demand id or achievement id of this event (closest: {university}"));
            Assert.That(Directory.Exists(temp["out"]), Is.False);
        }
    }

    [Test]
    public void Match_PreferencesAndExposureCap_RespectedInTheAgenda()
    {
        using var temp = new TempDir();
        var pair = s_pairs[0];
        File.WriteAllText(temp["preferences.csv"], $"organization,counterpart,choice\n{pair[2]},{pair[1]},no\n");

        var result = Cli.Run("match", "--out", temp.Path, "--no-report", "--preferences", temp["preferences.csv"], "--max-counterparts", "2");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var meetings = Rows(temp["agenda_by_slot.csv"]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Err, Does.Contain("read 1 stated preferences"));
            Assert.That(meetings, Is.Not.Empty);
            Assert.That(meetings.Select(m => (m[2], m[3])), Does.Not.Contain((pair[1], pair[2])));
            Assert.That(meetings.SelectMany(m => new[] { m[2], m[3] }).GroupBy(o => o).Max(g => g.Count()), Is.LessThanOrEqualTo(2));
            Assert.That(File.Exists(temp["must_meet_unscheduled.csv"]), Is.False, "no must-meet was stated");
        }
    }

    [Test]
    public void Agenda_BadChoice_InputErrorListsAllowedValues()
    {
        using var temp = CopyOfRun();
        File.WriteAllText(temp["preferences.csv"], $"organization,counterpart,choice\n{s_pairs[0][1]},{s_pairs[0][2]},随便\n");

        var result = Cli.Run("agenda", "--pairs", temp["pairs.csv"], "--out", temp.Path, "--preferences", temp["preferences.csv"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.Err, Does.Contain($"{temp["preferences.csv"]}:2: field 'choice': not a known choice; allowed: must-meet/必见, interested/想见, no/不见, already-met/已对接 (value '随便')"));
        }
    }
}
