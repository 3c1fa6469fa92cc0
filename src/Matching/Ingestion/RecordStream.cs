namespace Matching.Ingestion;

/// <summary>The streaming core behind <see cref="RecordReader"/>: yields validated records one by one, so a large
/// file is read in bounded memory (only the set of ids seen grows with it).</summary>
internal static class RecordStream
{
    /// <summary>Streams the valid records of <paramref name="path"/>. Row-level problems throw under
    /// <see cref="BadRowPolicy.Fail"/> and are added to <paramref name="problems"/> under <see cref="BadRowPolicy.Skip"/>;
    /// fields cut under <see cref="ReadOptions.TruncateLongFields"/> go to <paramref name="warnings"/>, accepted records with a
    /// data-quality problem to <paramref name="quality"/>.</summary>
    public static IEnumerable<T> Read<T>(
        string path, ReadOptions options, RecordSchema<T> schema, ICollection<InputFormatException> problems, ICollection<InputFormatException>? warnings = null,
        ICollection<DataQualityWarning>? quality = null)
    {
        schema = schema.WithColumns(options.Columns);
        var qualityCheck = quality is null ? null : new DataQualityCheck<T>(path, schema);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = 0;
        var read = 0;
        var rows = 0;
        foreach (var row in Rows(path, options, schema))
        {
            if (row.IsEmpty)
            {
                continue;
            }

            if (++rows > options.MaxRecords)
            {
                throw new InputFormatException(path, row.Line, null, FieldLimit.Invariant(
                    $"more than {options.MaxRecords:N0} records, the record limit (--max-records)"));
            }

            var problem = row.Problem ?? Check(path, row, schema, firstSeen);
            if (problem is not null)
            {
                if (options.OnBadRow == BadRowPolicy.Fail)
                {
                    throw problem;
                }

                problems.Add(problem);
                skipped++;
                continue;
            }

            // Only accepted rows claim their id, so a row dropped for another reason cannot make a later good row a duplicate.
            firstSeen.Add(row.Values[RecordSchema<T>.Id], row.Line);
            read++;
            foreach (var warning in row.Warnings ?? [])
            {
                warnings?.Add(warning);
            }

            qualityCheck?.Check(row, quality!);
            yield return schema.Build(row);
        }

        if (read == 0)
        {
            throw new InputFormatException(path, 0, null, skipped == 0
                ? "no records: the file has a header but no data rows"
                : $"no records: all {skipped} data rows have problems");
        }
    }

    /// <summary>The rows of a file in the format its extension names.</summary>
    public static IEnumerable<RawRecord> Rows<T>(string path, ReadOptions options, RecordSchema<T> schema) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => CsvRowSource.Read(path, ',', options, schema),
            ".tsv" => CsvRowSource.Read(path, '\t', options, schema),
            ".jsonl" or ".ndjson" => JsonlRowSource.Read(path, options, schema),
            // .xlsm is read like .xlsx (its macros never run); .xls and .et are looked at only to say what they are.
            ".xlsx" or ".xlsm" or ".xls" or ".et" => XlsxRowSource.Read(path, options, schema),
            var other => throw new InputFormatException(path, 0, null,
                $"unsupported file type '{other}' (use .csv, .tsv, .jsonl or .xlsx)"),
        };

    private static InputFormatException? Check<T>(string path, RawRecord row, RecordSchema<T> schema, Dictionary<string, int> firstSeen)
    {
        var id = row.Values[RecordSchema<T>.Id];
        if (id.Length == 0)
        {
            return new InputFormatException(path, row.Line, "id", "missing id");
        }

        if (firstSeen.TryGetValue(id, out var first))
        {
            return new InputFormatException(path, row.Line, "id", $"duplicate id (first seen at line {first})", id);
        }

        return schema.HasText(row) ? null : new InputFormatException(path, row.Line, "title", schema.NoTextProblem);
    }
}
