using System.Collections.Frozen;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Matching.Ingestion;

/// <summary>The rows of a small side file (preferences, confirmed meetings) with a header row: CSV or TSV (the record
/// files' encoding detection, every physical line counted) or the first worksheet of an .xlsx workbook (Excel row
/// numbers), through the record files' readers and limits. Columns are found by header alias, matched like the record
/// files' headers (ignoring case, spaces, <c>_</c>/<c>-</c>, full-width forms and Traditional characters).</summary>
internal static class SideFileRows
{
    /// <summary>The trimmed cells of the wanted columns ("" where a column is absent) for every non-blank data row, with
    /// its line.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">Per field: its name (for messages) and the headers that mean it.</param>
    /// <param name="required">How many of the first fields must have a column.</param>
    public static IEnumerable<(int Line, string[] Values)> Read(string path, (string Field, string[] Aliases)[] columns, int required)
    {
        var aliases = columns
            .SelectMany((c, field) => c.Aliases.Select(a => (Alias: HeaderName.Normalize(a), Field: field)))
            .DistinctBy(a => a.Alias)
            .ToFrozenDictionary(a => a.Alias, a => a.Field, StringComparer.Ordinal);
        int[]? columnOf = null;
        foreach (var (line, cells) in Rows(path))
        {
            if (Array.TrueForAll(cells, string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (columnOf is null)
            {
                columnOf = MapHeader(path, line, cells, columns, aliases, required);
                continue;
            }

            yield return (line, [.. columnOf.Select(c => c >= 0 && c < cells.Length ? (cells[c] ?? "").Trim() : "")]);
        }

        if (columnOf is null)
        {
            throw new InputFormatException(path, 0, null, "empty file: no header row");
        }
    }

    private static int[] MapHeader(string path, int line, string[] cells, (string Field, string[] Aliases)[] columns, FrozenDictionary<string, int> aliases, int required)
    {
        var columnOf = new int[columns.Length];
        Array.Fill(columnOf, -1);
        for (var column = 0; column < cells.Length; column++)
        {
            if (string.IsNullOrWhiteSpace(cells[column]) || !aliases.TryGetValue(HeaderName.Normalize(cells[column]), out var field))
            {
                continue;
            }

            if (columnOf[field] >= 0)
            {
                throw new InputFormatException(path, line, columns[field].Field,
                    $"two columns mean this field: '{cells[columnOf[field]].Trim()}' (column {columnOf[field] + 1}) and '{cells[column].Trim()}' (column {column + 1})");
            }

            columnOf[field] = column;
        }

        for (var field = 0; field < required; field++)
        {
            if (columnOf[field] < 0)
            {
                throw new InputFormatException(path, line, columns[field].Field,
                    $"no {columns[field].Field} column; headers seen: {HeaderName.Seen(cells)} (expected one of: {string.Join(", ", columns[field].Aliases)})");
            }
        }

        return columnOf;
    }

    private static IEnumerable<(int Line, string[] Cells)> Rows(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => CsvRows(path, ','),
            ".tsv" => CsvRows(path, '\t'),
            ".xlsx" or ".xlsm" => XlsxRows(path),
            _ => throw new InputFormatException(path, 0, null, $"unsupported file type '{extension}' (use .csv, .tsv or .xlsx)"),
        };
    }

    private static IEnumerable<(int, string[])> XlsxRows(string path)
    {
        TextEncodings.OpenRead(path).Dispose();
        XlsxWorkbook workbook;
        try
        {
            workbook = XlsxWorkbook.Open(path, ReadOptions.Default);
        }
        catch (Exception e) when (e is not MatchingException and not OutOfMemoryException)
        {
            throw new InputFormatException(path, 0, null, $"not a valid .xlsx workbook: {e.Message}", inner: e);
        }

        using (workbook)
        {
            var sheet = workbook.Sheets.Where(s => s.Kind == SheetKind.Worksheet).Select(s => s.Name).FirstOrDefault()
                ?? throw new InputFormatException(path, 0, null, "the workbook has no worksheet");
            foreach (var row in workbook.Rows(sheet))
            {
                yield return (row.Number, row.Cells);
            }
        }
    }

    private static IEnumerable<(int, string[])> CsvRows(string path, char delimiter)
    {
        var choice = TextEncodings.Choose(path, requested: null);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, null, invalid.Problem);
        }

        var limits = ReadOptions.Default;
        using var reader = new CsvLimitReader(TextEncodings.OpenReader(path, choice), delimiter, limits.MaxFieldBytes, limits.MaxColumns, limits.MaxLineLength);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            // Blank lines come through so that every physical line is counted; they are skipped by the caller.
            IgnoreBlankLines = false,
            Mode = CsvMode.RFC4180,
            BadDataFound = null,
        });
        var previousEnd = 0;
        while (parser.Read())
        {
            var line = previousEnd + 1;
            previousEnd = parser.RawRow;
            if (reader.TakeHitsBefore(parser.CharCount) is [_, ..])
            {
                throw new InputFormatException(path, line, null, "a field, line or column count beyond the record files' limits");
            }

            yield return (line, parser.Record ?? []);
        }
    }
}
