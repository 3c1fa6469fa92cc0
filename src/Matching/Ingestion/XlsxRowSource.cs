using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Streams the rows of one worksheet of an .xlsx workbook (read by <see cref="XlsxWorkbook"/>); a row's line is
/// its Excel row number.</summary>
internal static class XlsxRowSource
{
    public static IEnumerable<RawRecord> Read<T>(string path, ReadOptions options, RecordSchema<T> schema)
    {
        // Probe first so a missing file reads "file not found", not a zip message.
        TextEncodings.OpenRead(path).Dispose();
        using var workbook = Guard(path, () => XlsxWorkbook.Open(path, options));
        var sheetName = ChooseSheet(path, workbook, options.Sheet);

        using var rows = Guard(path, () => workbook.Rows(sheetName).GetEnumerator());
        ColumnMap<T>? columns = null;
        while (Guard(path, rows.MoveNext))
        {
            var (rowNumber, cells, cut) = rows.Current;
            if (Array.TrueForAll(cells, string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (columns is null)
            {
                columns = ColumnMap<T>.Create(path, rowNumber, cells, schema, options, cut);
                continue;
            }

            yield return columns.ToRecord(rowNumber, cells, cut);
        }

        if (columns is null)
        {
            throw new InputFormatException(path, 0, null, $"empty sheet '{sheetName}': no header row");
        }
    }

    private static string ChooseSheet(string path, XlsxWorkbook workbook, string? wanted)
    {
        var all = workbook.Sheets;
        if (all.Count == 0 && !workbook.HasVbaProject)
        {
            throw new InputFormatException(path, 0, null, "the workbook has no sheets");
        }

        var worksheets = all.Where(s => s.Kind == SheetKind.Worksheet).Select(s => s.Name).ToList();
        if (wanted is null)
        {
            return worksheets.Count > 0 ? worksheets[0] : throw NoWorksheet(path, workbook);
        }

        var sheets = all.Select(s => s.Name).ToList();
        var name = sheets.Find(s => s == wanted)
            ?? sheets.Find(s => string.Equals(s.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InputFormatException(path, 0, null,
                $"no sheet named '{wanted}'; the workbook has: {string.Join(", ", sheets)}");
        var kind = all.Find(s => s.Name == name).Kind;
        return kind == SheetKind.Worksheet
            ? name
            : throw new InputFormatException(path, 0, null,
                $"no sheet named '{wanted}' holds data: it is {Describe(kind)}, not a worksheet; the workbook's worksheets: {(worksheets.Count > 0 ? string.Join(", ", worksheets) : "none")}");
    }

    private static InputFormatException NoWorksheet(string path, XlsxWorkbook workbook)
    {
        var kinds = workbook.Sheets.Select(s => $"{Describe(s.Kind)} '{s.Name}'").ToList();
        if (workbook.HasVbaProject)
        {
            kinds.Add("a VBA project");
        }

        var macros = workbook.HasVbaProject || workbook.Sheets.Exists(s => s.Kind == SheetKind.Macro);
        return new InputFormatException(path, 0, null, macros
            ? $"the workbook holds only macros and no worksheet ({string.Join(", ", kinds)}); Matching reads data from worksheets and never runs macros"
            : $"the workbook holds no worksheet, only {string.Join(", ", kinds)}; Matching reads data from worksheets");
    }

    private static string Describe(SheetKind kind) => kind switch
    {
        SheetKind.Chart => "a chart sheet",
        SheetKind.Dialog => "a dialog sheet",
        SheetKind.Macro => "an Excel 4.0 macro sheet",
        _ => "a worksheet",
    };

    /// <summary>A cell as people read it: 1001 not 1001.0, dates as ISO dates.</summary>
    internal static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Runs a workbook call, turning whatever a damaged or foreign file makes the zip or XML readers throw into
    /// one message.</summary>
    private static TResult Guard<TResult>(string path, Func<TResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is not MatchingException and not OutOfMemoryException)
        {
            throw new InputFormatException(path, 0, null, $"not a valid .xlsx workbook: {e.Message}", inner: e);
        }
    }
}
