using System.Globalization;

namespace Matching.Ingestion;

/// <summary>Streams the rows of one worksheet of an .xlsx workbook (read by <see cref="XlsxWorkbook"/>); a row's line is
/// its Excel row number.</summary>
internal static class XlsxRowSource
{
    public static IEnumerable<RawRecord> Read<T>(string path, string? sheet, RecordSchema<T> schema)
    {
        // Probe first so a missing file reads "file not found", not a zip message.
        TextEncodings.OpenRead(path).Dispose();
        using var workbook = Guard(path, () => XlsxWorkbook.Open(path));
        var sheetName = ChooseSheet(path, workbook.SheetNames, sheet);

        using var rows = Guard(path, () => workbook.Rows(sheetName).GetEnumerator());
        ColumnMap<T>? columns = null;
        while (Guard(path, rows.MoveNext))
        {
            var (rowNumber, cells) = rows.Current;
            if (Array.TrueForAll(cells, string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (columns is null)
            {
                columns = ColumnMap<T>.Create(path, rowNumber, cells, schema);
                continue;
            }

            yield return columns.ToRecord(rowNumber, cells);
        }

        if (columns is null)
        {
            throw new InputFormatException(path, 0, null, $"empty sheet '{sheetName}': no header row");
        }
    }

    private static string ChooseSheet(string path, List<string> sheets, string? wanted)
    {
        if (sheets.Count == 0)
        {
            throw new InputFormatException(path, 0, null, "the workbook has no sheets");
        }

        if (wanted is null)
        {
            return sheets[0];
        }

        return sheets.Find(s => s == wanted)
            ?? sheets.Find(s => string.Equals(s.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InputFormatException(path, 0, null,
                $"no sheet named '{wanted}'; the workbook has: {string.Join(", ", sheets)}");
    }

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
