using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Matching.Ingestion;

/// <summary>Streams the rows of a CSV or TSV file, with the physical line each starts on.</summary>
internal static class CsvRowSource
{
    public static IEnumerable<RawRecord> Read<T>(string path, char delimiter, ReadOptions options, RecordSchema<T> schema)
    {
        var choice = TextEncodings.Choose(path, options.Encoding);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, FieldAtLine(path, choice, delimiter, invalid.Line, schema, options), invalid.Problem);
        }

        using var reader = Limited(TextEncodings.OpenReader(path, choice), delimiter, options);
        ColumnMap<T>? columns = null;
        foreach (var row in Rows(reader, delimiter))
        {
            if (row.UnclosedQuoteLine > 0)
            {
                throw new InputFormatException(path, row.UnclosedQuoteLine, columns?.FieldName(row.Cells.Length - 1),
                    "unbalanced quote: the quoted field that starts on this line is never closed");
            }

            var overLimit = row.Hits?.Find(h => h.Kind != CsvLimit.Field);
            HashSet<int>? cut = row.Hits is null ? null : [.. row.Hits.Where(h => h.Kind == CsvLimit.Field).Select(h => h.Column)];
            if (IsBlank(row.Cells) && overLimit is null)
            {
                continue;
            }

            if (columns is null)
            {
                if (overLimit is not null)
                {
                    throw LimitProblem(path, row.StartLine, overLimit, options, "the header has");
                }

                columns = ColumnMap<T>.Create(path, row.StartLine, row.Cells, schema, options, cut);
                continue;
            }

            yield return overLimit is not null
                ? RawRecord.Failed(LimitProblem(path, row.StartLine, overLimit, options, "the row has", columns.FieldName(overLimit.Column)))
                : columns.ToRecord(row.StartLine, row.Cells, cut);
        }

        if (columns is null)
        {
            throw new InputFormatException(path, 0, null, "empty file: no header row");
        }
    }

    /// <summary>A parsed CSV record and the lines it spans; <see cref="UnclosedQuoteLine"/> is set when the record
    /// only ended because the file did, inside a quoted field that starts on that line; <see cref="Hits"/> lists the
    /// limits the record ran into (null when none).</summary>
    private sealed record CsvRow(int StartLine, int EndLine, string[] Cells, int UnclosedQuoteLine, List<CsvLimitHit>? Hits);

    private static CsvLimitReader Limited(TextReader reader, char delimiter, ReadOptions options) =>
        // A field of n UTF-8 bytes has at most n characters: the reader holds no more, the byte count is checked later.
        new(reader, delimiter, maxFieldChars: options.MaxFieldBytes, options.MaxColumns, options.MaxLineLength);

    private static InputFormatException LimitProblem(string path, int line, CsvLimitHit hit, ReadOptions options, string what, string? field = null) =>
        hit.Kind == CsvLimit.Columns
            ? ColumnMap<object>.TooManyCells(path, line, what, options.MaxColumns)
            : new InputFormatException(path, line, field, FieldLimit.Invariant(
                $"a line longer than {options.MaxLineLength:N0} characters, the line limit (--max-line-length)"));

    private static IEnumerable<CsvRow> Rows(CsvLimitReader reader, char delimiter)
    {
        string? unclosedField = null;
        string? unclosedRecord = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            HasHeaderRecord = false,
            // Blank lines come through as records so that every physical line is counted; callers skip them.
            IgnoreBlankLines = false,
            Mode = CsvMode.RFC4180,
            // A stray quote inside an unquoted field (所谓"卡脖子"技术) is kept as written. In RFC 4180 mode a quoted
            // field that is never closed swallows the rest of the file and ends up here too: that one is fatal.
            BadDataFound = args =>
            {
                if (IsUnclosed(args.Field, args.RawRecord))
                {
                    unclosedField = args.Field;
                    unclosedRecord = args.RawRecord;
                }
            },
        };

        using var parser = new CsvParser(reader, config);
        var previousEnd = 0;
        var dropped = 0;
        while (parser.Read())
        {
            var start = previousEnd + 1;
            // Line breaks inside text the limits dropped were never seen by the parser: add them back.
            var hits = reader.TakeHitsBefore(parser.CharCount);
            dropped += hits?.Sum(h => h.DroppedLineBreaks) ?? 0;
            previousEnd = parser.RawRow + dropped;
            // Fields are parsed lazily, on first access: only then has BadDataFound seen this record.
            var cells = parser.Record ?? [];
            var unclosedLine = 0;
            if (unclosedField is not null && unclosedRecord is not null)
            {
                var fieldStart = unclosedRecord.Length - unclosedField.Length;
                unclosedLine = start + CountLineBreaks(unclosedRecord.AsSpan(0, fieldStart));
            }

            yield return new CsvRow(start, previousEnd, cells, unclosedLine, hits);
        }
    }

    /// <summary>True for a field that opened a quote and never closed it, which in RFC 4180 mode only the end of the
    /// file can end: it starts with a quote, holds an odd number of them, and is the tail of the raw record.</summary>
    private static bool IsUnclosed(string field, string rawRecord) =>
        field.StartsWith('"') && field.AsSpan().Count('"') % 2 == 1 && rawRecord.EndsWith(field, StringComparison.Ordinal);

    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }

    private static bool IsBlank(string[] cells) => Array.TrueForAll(cells, string.IsNullOrWhiteSpace);

    /// <summary>Finds the field holding the undecodable bytes on <paramref name="line"/> by parsing the file again
    /// with replacement characters; null when they are in the header or cannot be placed.</summary>
    private static string? FieldAtLine<T>(string path, TextEncodingChoice choice, char delimiter, int line, RecordSchema<T> schema, ReadOptions options)
    {
        try
        {
            using var reader = Limited(TextEncodings.OpenReader(path, choice, choice.Lenient), delimiter, options);
            ColumnMap<T>? columns = null;
            foreach (var row in Rows(reader, delimiter))
            {
                if (row.StartLine > line)
                {
                    return null;
                }

                if (IsBlank(row.Cells))
                {
                    continue;
                }

                if (columns is null)
                {
                    if (row.EndLine >= line)
                    {
                        return null;
                    }

                    columns = ColumnMap<T>.Create(path, row.StartLine, row.Cells, schema, options);
                    continue;
                }

                if (row.EndLine >= line)
                {
                    var column = Array.FindIndex(row.Cells, c => c.Contains('\uFFFD', StringComparison.Ordinal));
                    return columns.FieldName(column);
                }
            }
        }
        catch (InputFormatException)
        {
            // The header itself is broken; the encoding error is still the one to report.
        }

        return null;
    }
}
