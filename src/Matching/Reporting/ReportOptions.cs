using System.Text.Json.Serialization;

namespace Matching.Reporting;

/// <summary>How much of an event the report files hold, so that <c>report.html</c>, <c>report.xlsx</c> and
/// <c>report.json</c> stay openable at any size. The CSV tables beside them always hold everything.</summary>
/// <remarks>HTML and JSON show the same bounded report: the first <see cref="Cards"/> demand cards (input order),
/// each with its top <see cref="Recommendations"/>, the best <see cref="Pairs"/> pairs and the whole agenda except
/// that its unscheduled pairs are cut to <see cref="Pairs"/> too. Whatever is cut is said in a visible note naming
/// the CSV that holds the full list, and in the JSON's <c>cuts</c>. The workbook holds every row, a table longer than
/// <see cref="SheetRows"/> continuing on sheets named <c>推荐明细 (2)</c>, <c>推荐明细 (3)</c>, … With the defaults a
/// 20,000 × 2,000 event gives a 15 MB page and a 36 MB JSON (benchmarks/README.md, "Report size"), whatever the
/// event's size; the sample event is below every limit, so its report is exactly as without them.</remarks>
public sealed class ReportOptions
{
    /// <summary>Excel's limit: 1,048,576 rows a sheet, one of them the header.</summary>
    public const int MaxSheetRows = 1_048_575;

    /// <summary>Demand cards shown with their explanations, in input order. Default 500.</summary>
    public int Cards { get; init; } = 500;

    /// <summary>Recommendations shown per demand card, best first. Default 10 (the default <c>--top-k</c>).</summary>
    public int Recommendations { get; init; } = 10;

    /// <summary>University–enterprise pairs shown, best first (and unscheduled pairs under the agenda). Default 1,000.</summary>
    public int Pairs { get; init; } = 1_000;

    /// <summary>Organisations given their own printable schedule — a section of the HTML and a sheet of the workbook —
    /// in the schedules' order (universities, then enterprises, by name); universities shown in the HTML's
    /// university-side view. The rest are in the workbook's 单位日程 and 高校视角 sheets and in
    /// <c>agenda_by_organization.csv</c> and <c>university_view.csv</c>. Default 200.</summary>
    public int Organizations { get; init; } = 200;

    /// <summary>Data rows per workbook sheet before the table continues on the next sheet. Default and most
    /// <see cref="MaxSheetRows"/> (1,048,575 + the header = Excel's 1,048,576).</summary>
    public int SheetRows { get; init; } = MaxSheetRows;

    /// <summary>Throws one <see cref="ArgumentException"/> naming every value out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (Cards < 0)
        {
            problems.Add("Cards must not be negative");
        }

        if (Recommendations < 0)
        {
            problems.Add("Recommendations must not be negative");
        }

        if (Pairs < 0)
        {
            problems.Add("Pairs must not be negative");
        }

        if (Organizations < 0)
        {
            problems.Add("Organizations must not be negative");
        }

        if (SheetRows is < 1 or > MaxSheetRows)
        {
            problems.Add("SheetRows must be between 1 and 1,048,575 (Excel's 1,048,576 rows a sheet, one the header)");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid report options: " + string.Join("; ", problems) + ".");
        }
    }

    /// <summary>The report HTML and JSON show: <paramref name="report"/> cut to these limits, with
    /// <see cref="EventReport.Cuts"/> saying what was cut (totals carried over from a report already cut).</summary>
    internal EventReport Bound(EventReport report)
    {
        var previous = report.Cuts;
        var cards = report.Demands;
        var recommendations = cards.Sum(c => c.Recommendations.Count);
        var shownCards = cards.Take(Cards).Select(c => c.Recommendations.Count > Recommendations
            ? c with { Recommendations = [.. c.Recommendations.Take(Recommendations)] }
            : c).ToList();
        var unscheduled = report.Agenda?.Unscheduled ?? [];
        var cuts = new ReportCuts(
            previous?.Demands ?? cards.Count,
            shownCards.Count,
            previous?.Recommendations ?? recommendations,
            shownCards.Sum(c => c.Recommendations.Count),
            previous?.Pairs ?? report.Pairs.Count,
            Math.Min(report.Pairs.Count, Pairs),
            previous?.Unscheduled ?? unscheduled.Count,
            Math.Min(unscheduled.Count, Pairs));
        var manual = report.ManualMatching;
        if (manual.Demands.Count > Pairs || manual.Achievements.Count > Pairs)
        {
            report = report with { ManualMatching = manual with { Demands = [.. manual.Demands.Take(Pairs)], Achievements = [.. manual.Achievements.Take(Pairs)] } };
        }

        if (!cuts.Any)
        {
            return report;
        }

        return report with
        {
            Demands = shownCards,
            Pairs = report.Pairs.Count > Pairs ? [.. report.Pairs.Take(Pairs)] : report.Pairs,
            Agenda = report.Agenda is { } agenda && unscheduled.Count > Pairs ? agenda with { Unscheduled = [.. unscheduled.Take(Pairs)] } : report.Agenda,
            Cuts = cuts,
        };
    }
}

/// <summary>What a bounded report leaves out: each list's full length and how much of it is shown. The CSV tables
/// hold the full lists (<c>demand_matches.csv</c>, <c>pairs.csv</c>).</summary>
/// <param name="Demands">Demand cards in the event.</param>
/// <param name="DemandsShown">Demand cards shown.</param>
/// <param name="Recommendations">Recommendations on all demand cards.</param>
/// <param name="RecommendationsShown">Recommendations on the cards shown, after the per-card cut.</param>
/// <param name="Pairs">University–enterprise pairs.</param>
/// <param name="PairsShown">Pairs shown.</param>
/// <param name="Unscheduled">Pairs the agenda did not schedule.</param>
/// <param name="UnscheduledShown">Unscheduled pairs shown.</param>
public sealed record ReportCuts(
    int Demands,
    int DemandsShown,
    int Recommendations,
    int RecommendationsShown,
    int Pairs,
    int PairsShown,
    int Unscheduled,
    int UnscheduledShown)
{
    /// <summary>Whether anything is cut.</summary>
    [JsonIgnore]
    public bool Any => Demands > DemandsShown || Recommendations > RecommendationsShown || Pairs > PairsShown || Unscheduled > UnscheduledShown;
}
