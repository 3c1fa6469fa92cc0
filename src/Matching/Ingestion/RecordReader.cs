namespace Matching.Ingestion;

/// <summary>Reads achievements and demands from .csv, .tsv, .jsonl (.ndjson) or .xlsx (.xlsm) files, chosen by extension.</summary>
/// <remarks>
/// <para>Columns are found by header, in English or the Chinese analysts use (成果名称, 需求描述, 关键词 …), ignoring
/// case, spaces, full-width parentheses and a trailing * or （必填）. Unknown columns are kept in <c>Extra</c>; a column
/// that numbers the rows (序号, 序號, No., 行号) is never taken as the id; <see cref="ReadOptions.Columns"/> names the
/// columns no alias knows. A file with no id column, or with no title, abstract (description) or keywords column, fails
/// at its header, listing the headers seen.</para>
/// <para>Every record needs an id, unique in the file, and at least one of title, abstract (description) or
/// keywords. Rows that are entirely empty are skipped. Problems are reported as <see cref="InputFormatException"/>
/// naming the file as given, the line (the Excel row for .xlsx) and the field. Records accepted without a title, an
/// abstract (description) or an organisation, or with the same text as an earlier record, are listed in
/// <see cref="ReadResult{T}.DataQuality"/>.</para>
/// <para>What one file may hold is bounded by the limits of <see cref="ReadOptions"/> (field size, line length, cells,
/// records, JSON depth, and for .xlsx the inflated size, compression ratio and number of parts), so a hostile file is
/// refused in bounded time and memory.</para>
/// </remarks>
public static class RecordReader
{
    /// <summary>Reads the achievements (科技成果) in <paramref name="path"/>.</summary>
    /// <param name="path">The input file; its extension chooses the format. Messages name it exactly as given.</param>
    /// <param name="options">Encoding, sheet and bad-row policy; <see langword="null"/> means <see cref="ReadOptions.Default"/>.</param>
    /// <returns>The records in file order and, under <see cref="BadRowPolicy.Skip"/>, the rows dropped.</returns>
    /// <exception cref="InputFormatException">The file cannot be read, a file-level rule is broken, a row-level rule is
    /// broken under <see cref="BadRowPolicy.Fail"/>, or no valid record remains.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or <paramref name="options"/> are invalid.</exception>
    public static ReadResult<Achievement> ReadAchievements(string path, ReadOptions? options = null) =>
        Read(path, options, Schemas.Achievements);

    /// <summary>Reads the enterprise demands (技术需求) in <paramref name="path"/>.</summary>
    /// <param name="path">The input file; its extension chooses the format. Messages name it exactly as given.</param>
    /// <param name="options">Encoding, sheet and bad-row policy; <see langword="null"/> means <see cref="ReadOptions.Default"/>.</param>
    /// <returns>The records in file order and, under <see cref="BadRowPolicy.Skip"/>, the rows dropped.</returns>
    /// <exception cref="InputFormatException">The file cannot be read, a file-level rule is broken, a row-level rule is
    /// broken under <see cref="BadRowPolicy.Fail"/>, or no valid record remains.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or <paramref name="options"/> are invalid.</exception>
    public static ReadResult<Demand> ReadDemands(string path, ReadOptions? options = null) =>
        Read(path, options, Schemas.Demands);

    /// <summary>Streams achievements one by one, for inputs too large to hold; skipped rows go to <paramref name="problems"/>,
    /// cut fields to <paramref name="warnings"/>.</summary>
    internal static IEnumerable<Achievement> StreamAchievements(
        string path, ReadOptions options, ICollection<InputFormatException> problems, ICollection<InputFormatException>? warnings = null,
        ICollection<DataQualityWarning>? quality = null) =>
        RecordStream.Read(path, options, Schemas.Achievements, problems, warnings, quality);

    /// <summary>Streams demands one by one, for inputs too large to hold; skipped rows go to <paramref name="problems"/>,
    /// cut fields to <paramref name="warnings"/>.</summary>
    internal static IEnumerable<Demand> StreamDemands(
        string path, ReadOptions options, ICollection<InputFormatException> problems, ICollection<InputFormatException>? warnings = null,
        ICollection<DataQualityWarning>? quality = null) =>
        RecordStream.Read(path, options, Schemas.Demands, problems, warnings, quality);

    private static ReadResult<T> Read<T>(string path, ReadOptions? options, RecordSchema<T> schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= ReadOptions.Default;
        options.Validate();
        var problems = new List<InputFormatException>();
        var warnings = new List<InputFormatException>();
        var quality = new List<DataQualityWarning>();
        var records = RecordStream.Read(path, options, schema, problems, warnings, quality).ToList();
        return new ReadResult<T>(records, problems) { Warnings = warnings, DataQuality = quality };
    }
}
