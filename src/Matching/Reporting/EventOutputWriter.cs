using Matching.Retrieval;
using Matching.Scheduling;

namespace Matching.Reporting;

/// <summary>Writes an event run's files, all or nothing: the match tables and run, <c>pairs.csv</c>, the
/// university-side view <c>university_view.csv</c>, the agenda (<c>agenda_by_slot.csv</c>,
/// <c>agenda_by_organization.csv</c>, with each meeting's topic and both sides' contacts), and the report as
/// <c>report.html</c>, <c>report.xlsx</c> and <c>report.json</c>.</summary>
public static class EventOutputWriter
{
    /// <summary>University–enterprise pairs.</summary>
    public const string PairsFile = "pairs.csv";

    /// <summary>Demands and achievements with no strong match: they need manual matching.</summary>
    public const string ManualMatchingFile = "needs_manual_matching.csv";

    /// <summary>The agenda by slot and table.</summary>
    public const string AgendaBySlotFile = "agenda_by_slot.csv";

    /// <summary>The agenda per organisation.</summary>
    public const string AgendaByOrganizationFile = "agenda_by_organization.csv";

    /// <summary>The university-side view: for each university, the demands its achievements answer strongly.</summary>
    public const string UniversityViewFile = "university_view.csv";

    /// <summary>The must-meet pairs the agenda could not hold, with the reason (written when must-meets were stated).</summary>
    public const string MustMeetUnscheduledFile = "must_meet_unscheduled.csv";

    /// <summary>The self-contained HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>The workbook, a sheet per table.</summary>
    public const string WorkbookFile = "report.xlsx";

    /// <summary>The report as JSON.</summary>
    public const string JsonFile = "report.json";

    /// <summary>The agenda workbook <c>matching agenda</c> writes.</summary>
    public const string AgendaWorkbookFile = "agenda.xlsx";

    /// <summary>Writes a ranking as a TREC run file (atomically): <c>query_id Q0 doc_id rank score tag</c>, tagged
    /// <c>matching-reranked</c> or <c>matching-bm25</c>.</summary>
    public static void WriteRun(string path, IEnumerable<QueryMatches> matches, bool reranked) =>
        MatchOutputWriter.WriteRun(path, matches, reranked ? MatchOutputWriter.RerankedRunTag : MatchOutputWriter.RunTag);

    /// <summary>Writes an agenda alone (by slot, by organisation, workbook) into <paramref name="outDirectory"/>, all or
    /// nothing. With <paramref name="reportJson"/> (the <c>report.json</c> of a <c>match</c> run), the report is read
    /// back, its agenda replaced and <c>report.html</c>, <c>report.xlsx</c> and <c>report.json</c> written with the
    /// agenda files, so the report never shows an agenda other than the CSVs beside it.</summary>
    /// <param name="outDirectory">The folder to write into.</param>
    /// <param name="agenda">The agenda.</param>
    /// <param name="reportJson">A <c>report.json</c> to rewrite with the agenda, or null.</param>
    /// <param name="reportOptions">How much the rewritten report holds (null: the defaults). A <c>report.json</c> that was
    /// already cut stays cut, its notes counting the full lists.</param>
    /// <exception cref="InputFormatException"><paramref name="reportJson"/> is not a report this version wrote.</exception>
    public static IReadOnlyList<string> WriteAgenda(string outDirectory, Agenda agenda, string? reportJson = null, ReportOptions? reportOptions = null)
    {
        reportOptions ??= new ReportOptions();
        reportOptions.Validate();
        // The new agenda is planned from every pair, so its unscheduled list is whole again.
        var report = reportJson is null ? null : ReadReport(reportJson) is var read ? read with
        {
            Agenda = agenda,
            Cuts = read.Cuts is { } cuts ? cuts with { Unscheduled = agenda.Unscheduled.Count, UnscheduledShown = agenda.Unscheduled.Count } : null,
        } : null;
        // Topics and contacts come from the report; an agenda planned from a pair list alone has none.
        var briefs = report is null ? MeetingBriefs.None : MeetingBriefs.Of(report);
        using var output = new AtomicOutput(outDirectory);
        List<string> names = [AgendaBySlotFile, AgendaByOrganizationFile, AgendaWorkbookFile];
        output.WriteText(AgendaBySlotFile, writer => AgendaWriter.WriteBySlot(writer, agenda, briefs));
        output.WriteText(AgendaByOrganizationFile, writer => AgendaWriter.WriteByOrganization(writer, agenda, briefs));
        output.Write(AgendaWorkbookFile, stream => AgendaWriter.WriteWorkbook(stream, agenda, briefs));
        if (WriteMustMeets(output, agenda))
        {
            names.Add(MustMeetUnscheduledFile);
        }

        if (report is not null)
        {
            WriteReport(output, report, reportOptions);
            names.AddRange([HtmlFile, WorkbookFile, JsonFile]);
        }

        output.Commit();
        return [.. names.Select(f => Path.Combine(output.Directory, f))];
    }

    /// <summary>Writes <see cref="MustMeetUnscheduledFile"/> when the preferences stated must-meets; otherwise removes a
    /// stale one a previous run left, so the folder never reports misses of another plan.</summary>
    private static bool WriteMustMeets(AtomicOutput output, Agenda agenda)
    {
        if (agenda.MustMeetsStated > 0)
        {
            output.WriteText(MustMeetUnscheduledFile, writer => AgendaWriter.WriteMustMeetUnscheduled(writer, agenda));
            return true;
        }

        var stale = Path.Combine(output.Directory, MustMeetUnscheduledFile);
        if (File.Exists(stale))
        {
            File.Delete(stale);
        }

        return false;
    }

    private static string[] Unmatched(string side, UnmatchedRecord u) =>
        [side, u.Id, u.Title, u.Organization, u.BestId, u.BestTitle, u.BestId.Length == 0 ? "" : CsvTable.Score(u.BestStrength)];

    private static EventReport ReadReport(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return System.Text.Json.JsonSerializer.Deserialize<EventReport>(stream, JsonReportWriter.Options)
                ?? throw new InputFormatException(path, 0, null, "empty report");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InputFormatException(path, (int)(e.LineNumber ?? -1) + 1, null,
                "not a report.json written by this version of matching (run `matching match` again)", inner: e);
        }
    }

    /// <summary>HTML and JSON get the report bounded by <paramref name="options"/>; the workbook gets every row, split
    /// into sheets of at most <see cref="ReportOptions.SheetRows"/>.</summary>
    private static void WriteReport(AtomicOutput output, EventReport report, ReportOptions options, Action? alongside = null)
    {
        var bounded = options.Bound(report);
        // The schedules and the university view come from the whole report (the bounded one may have lost pairs).
        // Each file is written by one thread, the workbook (the longest) beside the rest: the same bytes, sooner.
        Concurrently(
            () => output.Write(WorkbookFile, stream => WorkbookWriter.Write(report, stream, options.SheetRows, options.Organizations)),
            () =>
            {
                alongside?.Invoke();
                output.WriteText(HtmlFile, writer => HtmlReportWriter.Write(bounded, writer, report, options));
                output.Write(JsonFile, stream => JsonReportWriter.Write(bounded, stream));
            });
    }

    /// <summary>Runs both at once; an exception of either is thrown as itself (not wrapped), the first one's if both fail.</summary>
    private static void Concurrently(Action first, Action second)
    {
        try
        {
            Parallel.Invoke(first, second);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>Writes every file into <paramref name="outDirectory"/> and returns their full paths (without the
    /// HTML/XLSX/JSON report when <c>withReport</c> is false). The CSV tables hold everything; the report is bounded
    /// by <paramref name="reportOptions"/> (null: the defaults), with a note wherever it is cut.</summary>
    /// <exception cref="ArgumentException"><paramref name="reportOptions"/> has a value out of range.</exception>
    public static IReadOnlyList<string> Write(
        string outDirectory,
        EventResult result,
        IReadOnlyDictionary<string, Achievement> achievements,
        IReadOnlyDictionary<string, Demand> demands,
        bool withReport = true,
        ReportOptions? reportOptions = null)
    {
        reportOptions ??= new ReportOptions();
        reportOptions.Validate();
        using var output = new AtomicOutput(outDirectory);
        var files = new List<string>();
        var report = result.Report;
        void Tables()
        {
            files.AddRange(MatchOutputWriter.WriteTables(
                output, result.Matches, achievements, demands,
                result.Reranked ? MatchOutputWriter.RerankedRunTag : MatchOutputWriter.RunTag,
                result.Strengths,
                result.RankingKeys,
                result.AchievementQueries));

            output.WriteText(PairsFile, writer => CsvTable.Write(writer,
                ["rank", "university", "enterprise", "score", "evidence_count", "evidence", "p_accept"],
                report.Pairs.Select((p, i) => new[]
                {
                    CsvTable.Int(i + 1), p.University, p.Enterprise, CsvTable.Score(p.Score),
                    CsvTable.Int(p.Evidence.Count),
                    string.Join("; ", p.Evidence.Select(e => $"{e.DemandId}→{e.AchievementId} {CsvTable.Score(e.Strength)}")),
                    CsvTable.Score(p.Acceptance),
                })));
            files.Add(Path.Combine(output.Directory, PairsFile));

            var manual = report.ManualMatching;
            output.WriteText(ManualMatchingFile, writer => CsvTable.Write(writer,
                ["side", "id", "title", "organization", "best_match_id", "best_match_title", "best_strength"],
                manual.Demands.Select(u => Unmatched("demand", u)).Concat(manual.Achievements.Select(u => Unmatched("achievement", u)))));
            files.Add(Path.Combine(output.Directory, ManualMatchingFile));

            output.WriteText(UniversityViewFile, writer => CsvTable.Write(writer,
                ["university", "achievement_id", "achievement_title", "demand_id", "demand_title", "enterprise", "strength"],
                UniversityAnswers.From(report).SelectMany(u => u.Achievements.SelectMany(a => a.Demands.Select(d => new[]
                {
                    u.University, a.Id, a.Title, d.Id, d.Title, d.Enterprise, CsvTable.Score(d.Strength),
                })))));
            files.Add(Path.Combine(output.Directory, UniversityViewFile));

            if (report.Agenda is { } agenda)
            {
                var briefs = MeetingBriefs.Of(report);
                output.WriteText(AgendaBySlotFile, writer => AgendaWriter.WriteBySlot(writer, agenda, briefs));
                output.WriteText(AgendaByOrganizationFile, writer => AgendaWriter.WriteByOrganization(writer, agenda, briefs));
                files.Add(Path.Combine(output.Directory, AgendaBySlotFile));
                files.Add(Path.Combine(output.Directory, AgendaByOrganizationFile));
                if (WriteMustMeets(output, agenda))
                {
                    files.Add(Path.Combine(output.Directory, MustMeetUnscheduledFile));
                }
            }
        }

        if (withReport)
        {
            // The tables are written beside the workbook too (file names and their order do not depend on it).
            WriteReport(output, report, reportOptions, Tables);
            files.AddRange([Path.Combine(output.Directory, HtmlFile), Path.Combine(output.Directory, WorkbookFile), Path.Combine(output.Directory, JsonFile)]);
        }
        else
        {
            Tables();
        }

        output.Commit();
        return files;
    }
}
