using System.CommandLine;
using Matching.Reporting;

namespace Matching.Cli.Hosting;

/// <summary>How much the HTML, XLSX and JSON report hold (<see cref="ReportOptions"/>; README, "Outputs of
/// <c>matching match</c>", "Report size").</summary>
internal sealed class ReportLimitOptions
{
    private static readonly ReportOptions s_defaults = new();

    public Option<int> Cards { get; } = NonNegative("--report-cards", s_defaults.Cards,
        "Demand cards (with explanations) in report.html and report.json, in input order; the rest are in demand_matches.csv. Default 500.");

    public Option<int> Recommendations { get; } = NonNegative("--report-recommendations", s_defaults.Recommendations,
        "Recommendations per demand card in report.html and report.json. Default 10.");

    public Option<int> Pairs { get; } = NonNegative("--report-pairs", s_defaults.Pairs,
        "University–enterprise pairs (and unscheduled pairs) in report.html and report.json; all are in pairs.csv. Default 1000.");

    public Option<int> Organizations { get; } = NonNegative("--report-organizations", s_defaults.Organizations,
        "Organisations with a printable schedule of their own (a report.html section and a report.xlsx sheet each) and universities in report.html's university view; all are in agenda_by_organization.csv, university_view.csv and the 单位日程/高校视角 sheets. Default 200.");

    public Option<int> SheetRows { get; } = CreateSheetRows();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Cards, Recommendations, Pairs, Organizations, SheetRows })
        {
            command.Add(option);
        }
    }

    public ReportOptions Read(ParseResult parse) => new()
    {
        Cards = parse.GetValue(Cards),
        Recommendations = parse.GetValue(Recommendations),
        Pairs = parse.GetValue(Pairs),
        Organizations = parse.GetValue(Organizations),
        SheetRows = parse.GetValue(SheetRows),
    };

    private static Option<int> NonNegative(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{name} must not be negative");
            }
        });
        return option;
    }

    private static Option<int> CreateSheetRows()
    {
        var option = new Option<int>("--report-sheet-rows")
        {
            Description = "Data rows per report.xlsx sheet; a longer table continues on \"推荐明细 (2)\", … Default and most 1048575 (Excel's 1,048,576 rows with the header).",
            DefaultValueFactory = _ => ReportOptions.MaxSheetRows,
            HelpName = "N",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > ReportOptions.MaxSheetRows)
            {
                result.AddError("--report-sheet-rows must be between 1 and 1048575 (Excel's 1,048,576 rows a sheet, one of them the header)");
            }
        });
        return option;
    }
}
