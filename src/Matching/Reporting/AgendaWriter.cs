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

    /// <summary>CSV <c>slot,table,university,enterprise,score</c>, by slot, then table.</summary>
    public static void WriteBySlot(TextWriter writer, Agenda agenda)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agenda);
        CsvTable.Write(writer, ["slot", "table", "university", "enterprise", "score"],
            BySlot(agenda).Select(m => new[] { CsvTable.Int(m.Slot), CsvTable.Int(m.Table), m.University, m.Enterprise, CsvTable.Score(m.Score) }));
    }

    /// <summary>CSV <c>organization,slot,table,counterpart,score</c>: every meeting once for each of its two
    /// organisations, by organisation (ordinal), then slot.</summary>
    public static void WriteByOrganization(TextWriter writer, Agenda agenda)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(agenda);
        CsvTable.Write(writer, ["organization", "slot", "table", "counterpart", "score"],
            ByOrganization(agenda).Select(r => new[] { r.Organization, CsvTable.Int(r.Meeting.Slot), CsvTable.Int(r.Meeting.Table), r.Counterpart, CsvTable.Score(r.Meeting.Score) }));
    }

    /// <summary>An XLSX workbook with the sheets 按时段 (时段, 桌号, 高校, 企业, 匹配分) and 按单位 (单位, 时段, 桌号,
    /// 对接单位, 匹配分), in the same orders as the CSV files. Numbers are numeric cells; text cells that would start
    /// with = + - @ get the same apostrophe as everywhere else (the file may be re-saved as CSV by a user).</summary>
    public static void WriteWorkbook(Stream stream, Agenda agenda)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(agenda);
        var sheets = new Dictionary<string, object>
        {
            [BySlotSheet] = BySlot(agenda)
                .Select(m => new SlotRow { Slot = m.Slot, Table = m.Table, University = CsvTable.SpreadsheetSafe(m.University), Enterprise = CsvTable.SpreadsheetSafe(m.Enterprise), Score = Math.Round(m.Score, 6) })
                .ToList(),
            [ByOrganizationSheet] = ByOrganization(agenda)
                .Select(r => new OrganizationRow
                {
                    Organization = CsvTable.SpreadsheetSafe(r.Organization),
                    Slot = r.Meeting.Slot,
                    Table = r.Meeting.Table,
                    Counterpart = CsvTable.SpreadsheetSafe(r.Counterpart),
                    Score = Math.Round(r.Meeting.Score, 6),
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

    private static IEnumerable<(string Organization, string Counterpart, Meeting Meeting)> ByOrganization(Agenda agenda) =>
        agenda.Meetings
            .SelectMany(m => new[] { (m.University, m.Enterprise, m), (m.Enterprise, m.University, m) })
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
    }
}
