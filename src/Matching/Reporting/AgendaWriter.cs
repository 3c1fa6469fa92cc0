using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;

using Matching.Scheduling;

namespace Matching.Reporting;

/// <summary>Renders an <see cref="Agenda"/> as tables: by slot (the organisers' run sheet) and by organisation (each
/// organisation's own timetable), as CSV text or as one XLSX workbook.</summary>
/// <remarks>Writers only write; the caller opens the destination and makes it atomic. CSV uses the invariant culture,
/// <c>\n</c> line ends and scores with 6 decimals; a cell starting with = + - @ (or a tab or carriage return) that is
/// not a number is prefixed with an apostrophe so a spreadsheet does not run it as a formula.</remarks>
internal static class AgendaWriter
{
    /// <summary>The workbook sheet ordered by slot.</summary>
    public const string BySlotSheet = "按时段";

    /// <summary>The workbook sheet ordered by organisation.</summary>
    public const string ByOrganizationSheet = "按单位";

    /// <summary>The columns both agenda CSVs add after the score for each side of a meeting: person, phone, e-mail.</summary>
    private static string[] ContactCells(RecordContact? contact) => [contact?.Person ?? "", contact?.Phone ?? "", contact?.Email ?? ""];

    /// <summary>CSV <c>slot,table,university,enterprise,score,topic,demand_id,achievement_id,university_contact,
    /// university_phone,university_email,enterprise_contact,enterprise_phone,enterprise_email</c>, by slot, then table.
    /// The topic is the pair's strongest evidence ("需求标题 ↔ 成果标题"); topic and contacts are empty where
    /// <paramref name="briefs"/> (null: none) does not know them.</summary>
    public static void WriteBySlot(TextWriter writer, Agenda agenda, MeetingBriefs? briefs = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agenda);
        briefs ??= MeetingBriefs.None;
        string[] header = ["slot", "table", "university", "enterprise", "score", "topic", "demand_id", "achievement_id",
             "university_contact", "university_phone", "university_email", "enterprise_contact", "enterprise_phone", "enterprise_email"];
        var rows = BySlot(agenda).Select(briefs.For).Select(b => (string[])[
                CsvTable.Int(b.Meeting.Slot), CsvTable.Int(b.Meeting.Table), b.Meeting.University, b.Meeting.Enterprise, CsvTable.Score(b.Meeting.Score),
                b.TopicText, b.Topic?.DemandId ?? "", b.Topic?.AchievementId ?? "",
                .. ContactCells(b.UniversityContact), .. ContactCells(b.EnterpriseContact)]);
        WriteWithTimes(writer, agenda, header, rows, BySlot(agenda).Select(m => m.Slot));
    }

    /// <summary>CSV <c>organization,slot,table,counterpart,score,role,topic,demand_id,achievement_id,contact,phone,email,
    /// counterpart_contact,counterpart_phone,counterpart_email</c>: every meeting once for each of its two
    /// organisations, by organisation (ordinal), then slot — every organisation's schedule, however many there are.
    /// Role is <c>university</c> or <c>enterprise</c>; contact, phone and email are the organisation's own.</summary>
    public static void WriteByOrganization(TextWriter writer, Agenda agenda, MeetingBriefs? briefs = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agenda);
        briefs ??= MeetingBriefs.None;
        string[] header = ["organization", "slot", "table", "counterpart", "score", "role", "topic", "demand_id", "achievement_id",
             "contact", "phone", "email", "counterpart_contact", "counterpart_phone", "counterpart_email"];
        var rows = ByOrganization(agenda).Select(r => (Row: r, Brief: briefs.For(r.Meeting))).Select(x => (string[])[
                x.Row.Organization, CsvTable.Int(x.Row.Meeting.Slot), CsvTable.Int(x.Row.Meeting.Table), x.Row.Counterpart, CsvTable.Score(x.Row.Meeting.Score),
                x.Row.IsUniversity ? "university" : "enterprise", x.Brief.TopicText, x.Brief.Topic?.DemandId ?? "", x.Brief.Topic?.AchievementId ?? "",
                .. ContactCells(x.Row.IsUniversity ? x.Brief.UniversityContact : x.Brief.EnterpriseContact),
                .. ContactCells(x.Row.IsUniversity ? x.Brief.EnterpriseContact : x.Brief.UniversityContact)]);
        WriteWithTimes(writer, agenda, header, rows, ByOrganization(agenda).Select(r => r.Meeting.Slot));
    }

    /// <summary>Writes the table; with clock times (<see cref="Agenda.SlotTimes"/>) a last column <c>time</c> holds each
    /// row's slot time (09:00–09:20), so files of events without times keep their columns.</summary>
    private static void WriteWithTimes(TextWriter writer, Agenda agenda, string[] header, IEnumerable<string[]> rows, IEnumerable<int> slots)
    {
        if (agenda.SlotTimes is null)
        {
            CsvTable.Write(writer, header, rows);
            return;
        }

        CsvTable.Write(writer, [.. header, "time"], rows.Zip(slots, (row, slot) => (string[])[.. row, agenda.TimeOf(slot)]));
    }

    /// <summary>CSV <c>organization,counterpart,reason,原因</c>: every must-meet the agenda could not hold, in the order
    /// stated, with the reason code (capacity, no_common_slot, vetoed, no_table) and its Chinese label.</summary>
    public static void WriteMustMeetUnscheduled(TextWriter writer, Agenda agenda)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agenda);
        CsvTable.Write(writer, ["organization", "counterpart", "reason", "原因"],
            agenda.MustMeetUnscheduled.Select(m => new[] { m.Organization, m.Counterpart, m.Reason, MustMeetReasons.Chinese(m.Reason) }));
    }

    /// <summary>An XLSX workbook with the sheets 按时段 (时段, 桌号, 高校, 企业, 匹配分, 会谈主题, 高校联系人, 企业联系人) and
    /// 按单位 (单位, 时段, 桌号, 对接单位, 匹配分, 会谈主题, 本方联系人, 对方联系人), in the same orders as the CSV files,
    /// each contact on one line ("张伟 · 0731-88830000 · zhangwei@example.cn"). Numbers are numeric cells; text cells
    /// that would start with = + - @ get the same apostrophe as everywhere else (the file may be re-saved as CSV).</summary>
    public static void WriteWorkbook(Stream stream, Agenda agenda, MeetingBriefs? briefs = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(agenda);
        briefs ??= MeetingBriefs.None;
        var sheets = new Dictionary<string, object>
        {
            [BySlotSheet] = BySlot(agenda).Select(briefs.For)
                .Select(b => new SlotRow
                {
                    Slot = b.Meeting.Slot,
                    Table = b.Meeting.Table,
                    University = CsvTable.SpreadsheetSafe(b.Meeting.University),
                    Enterprise = CsvTable.SpreadsheetSafe(b.Meeting.Enterprise),
                    Score = Math.Round(b.Meeting.Score, 6),
                    Topic = CsvTable.SpreadsheetSafe(b.TopicText),
                    UniversityContact = CsvTable.SpreadsheetSafe(b.UniversityContact?.ToString() ?? ""),
                    EnterpriseContact = CsvTable.SpreadsheetSafe(b.EnterpriseContact?.ToString() ?? ""),
                })
                .ToList(),
            [ByOrganizationSheet] = ByOrganization(agenda)
                .Select(r => (Row: r, Brief: briefs.For(r.Meeting)))
                .Select(x => new OrganizationRow
                {
                    Organization = CsvTable.SpreadsheetSafe(x.Row.Organization),
                    Slot = x.Row.Meeting.Slot,
                    Table = x.Row.Meeting.Table,
                    Counterpart = CsvTable.SpreadsheetSafe(x.Row.Counterpart),
                    Score = Math.Round(x.Row.Meeting.Score, 6),
                    Topic = CsvTable.SpreadsheetSafe(x.Brief.TopicText),
                    Contact = CsvTable.SpreadsheetSafe((x.Row.IsUniversity ? x.Brief.UniversityContact : x.Brief.EnterpriseContact)?.ToString() ?? ""),
                    CounterpartContact = CsvTable.SpreadsheetSafe((x.Row.IsUniversity ? x.Brief.EnterpriseContact : x.Brief.UniversityContact)?.ToString() ?? ""),
                })
                .ToList(),
        };
        // Through the report workbook's deterministic copy: MiniExcel stamps entries with the time and gives sheets
        // random relationship ids, so the same agenda would otherwise give a different file each run.
        using var package = new MemoryStream();
        package.SaveAs(sheets, excelType: ExcelType.XLSX);
        package.Position = 0;
        WorkbookWriter.CopyDeterministically(package, stream);
    }

    private static IEnumerable<Meeting> BySlot(Agenda agenda) => agenda.Meetings.OrderBy(m => m.Slot).ThenBy(m => m.Table);

    private static IEnumerable<(string Organization, string Counterpart, bool IsUniversity, Meeting Meeting)> ByOrganization(Agenda agenda) =>
        agenda.Meetings
            .SelectMany(m => new[] { (m.University, m.Enterprise, true, m), (m.Enterprise, m.University, false, m) })
            .OrderBy(r => r.Item1, StringComparer.Ordinal)
            .ThenBy(r => r.m.Slot)
            .ThenBy(r => r.m.Table)
            .ThenBy(r => r.Item2, StringComparer.Ordinal);

    /// <summary>A row of the 按时段 sheet (public for MiniExcel's reflection only).</summary>
    public sealed class SlotRow
    {
        [ExcelColumnName("时段")]
        public int Slot { get; init; }

        [ExcelColumnName("桌号")]
        public int Table { get; init; }

        [ExcelColumnName("高校")]
        public string University { get; init; } = "";

        [ExcelColumnName("企业")]
        public string Enterprise { get; init; } = "";

        [ExcelColumnName("匹配分")]
        public double Score { get; init; }

        [ExcelColumnName("会谈主题")]
        public string Topic { get; init; } = "";

        [ExcelColumnName("高校联系人")]
        public string UniversityContact { get; init; } = "";

        [ExcelColumnName("企业联系人")]
        public string EnterpriseContact { get; init; } = "";
    }

    /// <summary>A row of the 按单位 sheet (public for MiniExcel's reflection only).</summary>
    public sealed class OrganizationRow
    {
        [ExcelColumnName("单位")]
        public string Organization { get; init; } = "";

        [ExcelColumnName("时段")]
        public int Slot { get; init; }

        [ExcelColumnName("桌号")]
        public int Table { get; init; }

        [ExcelColumnName("对接单位")]
        public string Counterpart { get; init; } = "";

        [ExcelColumnName("匹配分")]
        public double Score { get; init; }

        [ExcelColumnName("会谈主题")]
        public string Topic { get; init; } = "";

        [ExcelColumnName("本方联系人")]
        public string Contact { get; init; } = "";

        [ExcelColumnName("对方联系人")]
        public string CounterpartContact { get; init; } = "";
    }
}
