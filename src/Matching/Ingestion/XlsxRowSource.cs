using System.Globalization;
using MiniExcelLibs;

namespace Matching.Ingestion;

/// <summary>Streams the rows of one worksheet of an .xlsx workbook; a row's line is its Excel row number.</summary>
internal static class XlsxRowSource
{
    public static IEnumerable<RawRecord> Read<T>(string path, string? sheet, RecordSchema<T> schema)
    {
        // Probe first so a missing file reads "file not found", not a MiniExcel message.
        TextEncodings.OpenRead(path).Dispose();
        var sheets = Guard(path, () => MiniExcel.GetSheetNames(path));
        var sheetName = ChooseSheet(path, sheets, sheet);

        using var rows = Guard(path, () => MiniExcel.Query(path, useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX).GetEnumerator());
        ColumnMap<T>? columns = null;
        var rowNumber = 0;
        while (Guard(path, rows.MoveNext))
        {
            // MiniExcel fills the rows a sheet leaves out with empty ones, so counting rows gives Excel's row number.
            rowNumber++;
            var cells = Cells((IDictionary<string, object?>)rows.Current);
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

    /// <summary>The row's cells as invariant-culture text, indexed by column (A = 0).</summary>
    private static string[] Cells(IDictionary<string, object?> row)
    {
        var width = 0;
        foreach (var key in row.Keys)
        {
            width = Math.Max(width, ColumnIndex(key) + 1);
        }

        var cells = new string[width];
        Array.Fill(cells, "");
        foreach (var (key, value) in row)
        {
            var column = ColumnIndex(key);
            if (column >= 0)
            {
                cells[column] = Text(value);
            }
        }

        return cells;
    }

    private static int ColumnIndex(string letters)
    {
        var index = 0;
        foreach (var c in letters)
        {
            if (c is < 'A' or > 'Z')
            {
                return -1;
            }

            index = (index * 26) + (c - 'A' + 1);
        }

        return index - 1;
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

    /// <summary>Runs a MiniExcel call, turning whatever a damaged or foreign file makes it throw into one message.</summary>
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
