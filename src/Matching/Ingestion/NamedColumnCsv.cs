using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Matching.Ingestion;

/// <summary>The small side files (event outcomes, pair lists) read the same way: a CSV with a header, a few
/// columns found by name, blank rows skipped, the record files' encoding detection, and every problem an
/// <see cref="InputFormatException"/> naming file and line. They are read within the record files' default limits
/// (<see cref="ReadOptions"/>), so a broken side file costs no more than a record file.</summary>
internal static class NamedColumnCsv
{
    /// <summary>The trimmed values of the named columns for every non-blank row, with the row's line.</summary>
    /// <param name="path">The file, named in errors as given.</param>
    /// <param name="columns">Per wanted column: Matching's field name and the header names that mean it (lower case).</param>
    public static List<(int Line, string[] Values)> Read(string path, params (string Field, string[] Names)[] columns) =>
        Read(path, columns.Length, columns);

    /// <summary>As the other overload, with only the first
    /// <paramref name="required"/> columns required: an absent optional column reads as "".</summary>
    public static List<(int Line, string[] Values)> Read(string path, int required, params (string Field, string[] Names)[] columns)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, "file not found");
        }

        // Decoded as the record files are: UTF-8 (BOM or not), UTF-16 with a BOM, or GB18030/GBK, with undecodable
        // bytes reported by line before parsing starts.
        var choice = TextEncodings.Choose(path, requested: null);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, null, invalid.Problem);
        }

        // Within the record files' default limits, so a broken side file cannot be held whole either.
        var limits = ReadOptions.Default;
        using var reader = new CsvLimitReader(TextEncodings.OpenReader(path, choice), ',', limits.MaxFieldBytes, limits.MaxColumns, limits.MaxLineLength);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = false,
            BadDataFound = null,
            MissingFieldFound = null,
        });

        try
        {
            if (!csv.Read() || !csv.ReadHeader())
            {
                throw new InputFormatException(path, 0, null, "empty file: no header row");
            }

            var header = csv.HeaderRecord ?? [];
            var indexes = columns.Select((c, i) => Column(path, header, c.Names, c.Field, i < required)).ToArray();
            CheckLimits(path, reader, csv.Parser, limits, "the header has");
            var rows = new List<(int, string[])>();
            while (csv.Read())
            {
                CheckLimits(path, reader, csv.Parser, limits, "the row has");
                var values = indexes.Select(i => i < 0 ? "" : (csv.GetField(i) ?? "").Trim()).ToArray();
                if (values.Any(v => v.Length > 0))
                {
                    rows.Add((csv.Parser.RawRow, values));
                }
            }

            return rows;
        }
        catch (Exception e) when (e is CsvHelperException or System.Text.DecoderFallbackException)
        {
            throw new InputFormatException(path, csv.Parser.RawRow, null, $"not a readable CSV ({e.GetType().Name})", inner: e);
        }
    }

    private static void CheckLimits(string path, CsvLimitReader reader, IParser parser, ReadOptions limits, string what)
    {
        if (reader.TakeHitsBefore(parser.CharCount) is [var hit, ..])
        {
            throw hit.Kind switch
            {
                CsvLimit.Field => new InputFormatException(path, parser.RawRow, null, FieldLimit.Invariant(
                    $"a field longer than {limits.MaxFieldBytes:N0} characters, the field limit")),
                CsvLimit.Columns => ColumnMap<object>.TooManyCells(path, parser.RawRow, what, limits.MaxColumns),
                _ => new InputFormatException(path, parser.RawRow, null, FieldLimit.Invariant(
                    $"a line longer than {limits.MaxLineLength:N0} characters, the line limit")),
            };
        }
    }

    private static int Column(string path, string[] header, string[] names, string field, bool required)
    {
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            if (names.Contains(name))
            {
                return i;
            }
        }

        return required ? throw new InputFormatException(path, 1, field, $"no {field} column; headers seen: {HeaderName.Seen(header)}") : -1;
    }
}
