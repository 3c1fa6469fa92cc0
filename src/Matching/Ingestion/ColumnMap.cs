namespace Matching.Ingestion;

/// <summary>The header row of a table (CSV, TSV, XLSX) resolved against a schema: which column holds which field.</summary>
internal sealed class ColumnMap<T>
{
    private const int Unnamed = -2;
    private const int ExtraColumn = -1;

    private readonly string _path;
    private readonly ReadOptions _options;
    private readonly RecordSchema<T> _schema;
    private readonly string[] _headers;
    private readonly int[] _fieldOf;

    private ColumnMap(string path, ReadOptions options, int headerLine, RecordSchema<T> schema, string[] headers, int[] fieldOf)
    {
        _path = path;
        _options = options;
        HeaderLine = headerLine;
        _schema = schema;
        _headers = headers;
        _fieldOf = fieldOf;
    }

    public int HeaderLine { get; }

    /// <summary>Reads the header row; every problem with it concerns the whole file and throws. <paramref name="cut"/> lists
    /// the columns the reader stopped holding at the field limit (null when none).</summary>
    public static ColumnMap<T> Create(string path, int line, IReadOnlyList<string?> cells, RecordSchema<T> schema, ReadOptions? options = null, ISet<int>? cut = null)
    {
        options ??= ReadOptions.Default;
        if (cells.Count > options.MaxColumns)
        {
            throw TooManyCells(path, line, "the header has", options.MaxColumns);
        }

        for (var column = 0; column < cells.Count; column++)
        {
            if (cut?.Contains(column) == true || FieldLimit.PrefixLength(cells[column] ?? "", options.MaxFieldBytes) < (cells[column] ?? "").Length)
            {
                throw new InputFormatException(path, line, null, FieldLimit.Invariant(
                    $"header cell {column + 1} is longer than {options.MaxFieldBytes:N0} bytes, the field limit (--max-field-bytes): not a header row"));
            }
        }

        var headers = new string[cells.Count];
        var fieldOf = new int[cells.Count];
        var columnOfField = new int[schema.Fields.Count];
        Array.Fill(columnOfField, -1);
        var extraColumns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var column = 0; column < cells.Count; column++)
        {
            var header = (cells[column] ?? "").Trim().Trim('\uFEFF');
            headers[column] = header;
            if (header.Length == 0)
            {
                fieldOf[column] = Unnamed;
                continue;
            }

            var field = schema.FindField(header);
            if (field >= 0)
            {
                if (columnOfField[field] >= 0)
                {
                    var first = columnOfField[field];
                    throw new InputFormatException(path, line, schema.Fields[field].Name,
                        $"two columns mean this field: '{headers[first]}' (column {first + 1}) and '{header}' (column {column + 1})");
                }

                columnOfField[field] = column;
                fieldOf[column] = field;
            }
            else
            {
                if (extraColumns.TryGetValue(header, out var first))
                {
                    throw new InputFormatException(path, line, header,
                        $"duplicate column name (columns {first + 1} and {column + 1})");
                }

                extraColumns[header] = column;
                fieldOf[column] = ExtraColumn;
            }
        }

        foreach (var (field, header) in schema.Named)
        {
            if (columnOfField[field] < 0)
            {
                var other = schema.Kind == "achievements" ? "demands" : "achievements";
                var hint = schema.Shared.Contains(field)
                    ? $"; if only the {other} file has it, write {other}.{schema.Fields[field].Name}={header}"
                    : "";
                throw new InputFormatException(path, line, schema.Fields[field].Name,
                    $"--columns names the header '{header}', which the file does not have; headers seen: {HeaderName.Seen(headers)}{hint}");
            }
        }

        if (columnOfField[RecordSchema<T>.Id] < 0)
        {
            var seen = HeaderName.Seen(headers);
            var expected = string.Join(", ", schema.Fields[RecordSchema<T>.Id].Aliases);
            var rowNumber = Array.FindIndex(headers, HeaderName.IsRowNumber);
            var why = rowNumber < 0
                ? "no id column"
                : $"no id column ('{headers[rowNumber]}' in column {rowNumber + 1} numbers the rows, it is not an id)";
            throw new InputFormatException(path, line, "id",
                $"{why}; headers seen: {seen} (expected one of: {expected}; or name it with --columns id=HEADER)");
        }

        if (columnOfField[RecordSchema<T>.Title] < 0 && columnOfField[RecordSchema<T>.Body] < 0 && columnOfField[RecordSchema<T>.KeywordList] < 0)
        {
            var unknown = headers.Where((h, column) => fieldOf[column] == ExtraColumn && !HeaderName.IsRowNumber(h)).ToList();
            var body = schema.Fields[RecordSchema<T>.Body].Name;
            var listed = unknown.Count == 0 ? "none" : HeaderName.Seen(unknown);
            throw new InputFormatException(path, line, null,
                $"no text column: no header means {schema.Fields[RecordSchema<T>.Title].Name}, {body} or keywords; headers not recognised: {listed} "
                + $"(name yours with --columns, e.g. --columns title={Example(unknown, 0)},{body}={Example(unknown, 1)})");
        }

        return new ColumnMap<T>(path, options, line, schema, headers, fieldOf);
    }

    private static string Example(List<string> headers, int index) =>
        index < headers.Count && headers[index].Length <= 40 && !headers[index].Contains(',', StringComparison.Ordinal) ? headers[index] : "HEADER";

    /// <summary>The error for a row with more cells than <see cref="ReadOptions.MaxColumns"/>.</summary>
    public static InputFormatException TooManyCells(string path, int line, string what, int maxColumns) =>
        new(path, line, null, FieldLimit.Invariant($"{what} more than {maxColumns:N0} cells, the column limit (--max-columns)"));

    /// <summary>The field a column holds: Matching's name for a known column, the header as written for others.</summary>
    public string? FieldName(int column) => column < 0 || column >= _headers.Length
        ? null
        : _fieldOf[column] >= 0 ? _schema.Fields[_fieldOf[column]].Name : _headers[column].Length > 0 ? _headers[column] : null;

    /// <summary>Maps one data row; a row-level problem comes back as a failed record, a file-level one throws.
    /// <paramref name="cut"/> lists the columns the reader stopped holding at the field limit (null when none).</summary>
    public RawRecord ToRecord(int line, IReadOnlyList<string?> cells, ISet<int>? cut = null)
    {
        if (cells.Count > _options.MaxColumns)
        {
            return RawRecord.Failed(TooManyCells(_path, line, "the row has", _options.MaxColumns));
        }

        var lastFilled = -1;
        for (var column = cells.Count - 1; column >= 0; column--)
        {
            if (!string.IsNullOrWhiteSpace(cells[column]))
            {
                lastFilled = column;
                break;
            }
        }

        // Trailing empty cells are what spreadsheets leave behind; only data past the header is a real misalignment.
        if (lastFilled >= _headers.Length)
        {
            return RawRecord.Failed(new InputFormatException(_path, line, null,
                $"{cells.Count} cells but the header has {_headers.Length}"));
        }

        var record = new RawRecord(line, _schema.Fields.Count);
        for (var column = 0; column <= lastFilled; column++)
        {
            var value = (cells[column] ?? "").Trim();
            if (_fieldOf[column] != Unnamed)
            {
                value = FieldLimit.Apply(_path, line, FieldName(column), value, cut?.Contains(column) == true, _options, record, out var tooLong)!;
                if (tooLong is not null)
                {
                    return RawRecord.Failed(tooLong);
                }
            }

            switch (_fieldOf[column])
            {
                case Unnamed when value.Length > 0:
                    throw new InputFormatException(_path, HeaderLine, null,
                        $"column {column + 1} has no header but holds data (first at line {line})");
                case Unnamed:
                    break;
                case ExtraColumn:
                    record.Extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    record.Extra[_headers[column]] = value;
                    break;
                case RecordSchema<T>.KeywordList:
                    record.Keywords = Keywords.Split(value);
                    break;
                default:
                    record.Values[_fieldOf[column]] = value;
                    break;
            }
        }

        // Every row carries every extra column, so a column reads the same whether a row left it empty or not.
        for (var column = lastFilled + 1; column < _headers.Length; column++)
        {
            if (_fieldOf[column] == ExtraColumn)
            {
                record.Extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                record.Extra[_headers[column]] = "";
            }
        }

        return record;
    }
}
