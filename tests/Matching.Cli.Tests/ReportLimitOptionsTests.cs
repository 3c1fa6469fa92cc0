using System.Text.Json;

namespace Matching.Cli.Tests;

/// <summary>The report size options: validated like any option and passed through to the report files.</summary>
public sealed class ReportLimitOptionsTests
{
    [TestCase("--report-cards", "-1", "--report-cards must not be negative")]
    [TestCase("--report-organizations", "-1", "--report-organizations must not be negative")]
    [TestCase("--report-sheet-rows", "0", "--report-sheet-rows must be between 1 and 1048575")]
    [TestCase("--report-sheet-rows", "1048576", "--report-sheet-rows must be between 1 and 1048575")]
    public void Match_LimitOutOfRange_UsageError(string option, string value, string message)
    {
        var result = Cli.Run("match", option, value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain(message));
        }
    }

    [Test]
    public void Match_SmallLimits_ReportIsCutWithNotesAndTheCsvKeepsEverything()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--out", temp.Path, "--report-cards", "2", "--report-recommendations", "3", "--report-pairs", "4");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var html = File.ReadAllText(temp["report.html"]);
        using var json = JsonDocument.Parse(File.ReadAllBytes(temp["report.json"]));
        var pairs = File.ReadAllLines(temp["pairs.csv"]).Length - 1;
        Assert.That(pairs, Is.GreaterThan(4));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(html, Does.Contain("Showing the first 2 of 60 demand cards; the full list is in demand_matches.csv."));
            Assert.That(html, Does.Contain($"Showing the first 4 of {pairs} pairs; the full list is in pairs.csv."));
            Assert.That(json.RootElement.GetProperty("demands").GetArrayLength(), Is.EqualTo(2));
            Assert.That(json.RootElement.GetProperty("pairs").GetArrayLength(), Is.EqualTo(4));
            Assert.That(json.RootElement.GetProperty("cuts").GetProperty("demands").GetInt32(), Is.EqualTo(60));
        }
    }

    [Test]
    public void Match_ReportOrganizations_FirstOnesGetASectionAndASheetEveryOneStaysInTheTables()
    {
        using var temp = new TempDir();

        var result = Cli.Run("match", "--out", temp.Path, "--report-organizations", "3");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        var html = File.ReadAllText(temp["report.html"]);
        var schedules = File.ReadAllLines(temp["agenda_by_organization.csv"]).Skip(1).ToList();
        var organizations = schedules.Select(line => line.Split(',')[0]).Distinct().Count();
        var sheets = MiniExcelLibs.MiniExcel.GetSheetNames(temp["report.xlsx"]);
        var allSchedules = MiniExcelLibs.MiniExcel.Query(temp["report.xlsx"], useHeaderRow: true, sheetName: "单位日程").Count();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(organizations, Is.GreaterThan(3));
            Assert.That(System.Text.RegularExpressions.Regex.Count(html, "<article class=\"schedule\""), Is.EqualTo(3));
            Assert.That(html, Does.Contain($"仅显示前 3 个单位的日程表（共 {organizations} 个），全部单位的日程见 agenda_by_organization.csv"));
            Assert.That(sheets, Has.Count.EqualTo(9 + 3), "the table sheets, then one per organisation for the first 3");
            Assert.That(allSchedules, Is.EqualTo(schedules.Count), "单位日程 holds every organisation's meetings");
        }
    }
}
