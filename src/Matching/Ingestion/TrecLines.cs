namespace Matching.Ingestion;

/// <summary>The whitespace-separated lines shared by the TREC formats.</summary>
internal static class TrecLines
{
    private static readonly char[] Whitespace = [' ', '\t'];

    public static IEnumerable<(int Line, string[] Columns)> Read(string path, string layout, int minColumns, int maxColumns)
    {
        var choice = TextEncodings.Choose(path, requested: null);
        if (choice.Invalid is { } invalid)
        {
            throw new InputFormatException(path, invalid.Line, null, invalid.Problem);
        }

        // A TREC line is a hundred characters; the record files' line limit keeps a broken one from being held whole.
        var maxLength = ReadOptions.Default.MaxLineLength;
        using var reader = new BoundedLineReader(TextEncodings.OpenReader(path, choice), maxLength);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (reader.LastLineTooLong)
            {
                throw new InputFormatException(path, line, null, FieldLimit.Invariant($"a line longer than {maxLength:N0} characters, the line limit"));
            }

            var columns = text.Split(Whitespace, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (columns.Length == 0)
            {
                continue;
            }

            if (columns.Length < minColumns || columns.Length > maxColumns)
            {
                var expected = minColumns == maxColumns ? $"{minColumns}" : $"{minColumns} or {maxColumns}";
                throw new InputFormatException(path, line, null,
                    $"expected {expected} columns ({layout}), found {columns.Length}", text.Trim());
            }

            yield return (line, columns);
        }
    }
}
