using System.Text;

namespace Matching.Ingestion;

/// <summary>What to do with a row that breaks a row-level rule (missing or duplicate id, no text, too many cells).</summary>
public enum BadRowPolicy
{
    /// <summary>Stop at the first bad row with an <see cref="InputFormatException"/>. The default.</summary>
    Fail,

    /// <summary>Drop the bad row, report it in <see cref="ReadResult{T}.Problems"/> and go on.</summary>
    Skip,
}

/// <summary>How <see cref="RecordReader"/> reads an input file, and how much of it it accepts.</summary>
/// <remarks>The limits (the <c>Max…</c> properties) keep one hostile or broken file from taking the process down:
/// reading stops, or the row is refused, as soon as one is reached, so time and memory are bounded by the limits and not
/// by the file. Their defaults are far above any real event's data; raise one only for a file known to need it.</remarks>
public sealed class ReadOptions
{
    /// <summary>The shared default options: detect the encoding, first sheet, fail on the first bad row.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>The text encoding of a .csv, .tsv or .jsonl file; <see langword="null"/> (the default) detects it:
    /// a byte-order mark wins, then UTF-8, then GB18030/GBK. Decoding is strict either way: undecodable bytes are an error.</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>The worksheet of an .xlsx workbook to read; <see langword="null"/> (the default) reads the first.</summary>
    public string? Sheet { get; init; }

    /// <summary>What to do with a row that breaks a row-level rule; <see cref="BadRowPolicy.Fail"/> by default.
    /// File-level problems (encoding, header, empty file, unbalanced quote) always fail.</summary>
    public BadRowPolicy OnBadRow { get; init; } = BadRowPolicy.Fail;

    /// <summary>The largest field (a CSV/TSV cell, an .xlsx cell or shared string, a JSON string or keyword list), in bytes
    /// of UTF-8; default 1 MiB (1,048,576 bytes, about 350,000 Chinese characters). A longer field makes its row bad (an
    /// error, or a skipped row under <see cref="BadRowPolicy.Skip"/>), unless <see cref="TruncateLongFields"/> is set.
    /// Readers never hold more of a field than this, whatever the file holds.</summary>
    public int MaxFieldBytes { get; init; } = 1 << 20;

    /// <summary>Whether a field longer than <see cref="MaxFieldBytes"/> is cut to that length (at a character boundary)
    /// and reported in <see cref="ReadResult{T}.Warnings"/> instead of making its row bad. Default false.</summary>
    public bool TruncateLongFields { get; init; }

    /// <summary>The longest physical line of a CSV, TSV or JSONL file, in characters (after long fields were cut under
    /// <see cref="TruncateLongFields"/>); default 8 Mi (8,388,608). A longer line makes its row bad; the rest of it is
    /// skipped without being held.</summary>
    public int MaxLineLength { get; init; } = 8 << 20;

    /// <summary>The most cells in a row (CSV, TSV, .xlsx) or keys in a JSON object; default 16,384, as many as an Excel
    /// sheet has. A header with more is a file-level error, a data row with more is bad.</summary>
    public int MaxColumns { get; init; } = 16_384;

    /// <summary>The most data rows a file may hold (blank rows aside); default 10,000,000. One more is a file-level
    /// error.</summary>
    public int MaxRecords { get; init; } = 10_000_000;

    /// <summary>How deep arrays and objects may nest in a JSONL line; default 64, System.Text.Json's own (a record
    /// needs 2). A deeper line is bad.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>The most bytes one part (file) of an .xlsx package may inflate to; default 1 GiB. Counted while
    /// inflating, whatever the package declares.</summary>
    public long MaxXlsxPartBytes { get; init; } = 1L << 30;

    /// <summary>How many times larger than its compressed size a part of an .xlsx package may inflate (a zip bomb
    /// inflates a thousandfold); default 100, as in Apache POI. Parts that inflate to less than 1 MiB are exempt, since
    /// tiny parts compress unevenly.</summary>
    public int MaxXlsxCompressionRatio { get; init; } = 100;

    /// <summary>The most parts (files) an .xlsx package may hold; default 10,000 (a workbook has a dozen, a few hundred
    /// with pictures). Checked before the package's directory is read.</summary>
    public int MaxXlsxParts { get; init; } = 10_000;

    /// <summary>Columns named explicitly, for headers no alias knows: field name → header as written in the file (compared
    /// the way aliases are: ignoring case, spaces, full-width forms). Field names are those of the README's table: <c>id</c>,
    /// <c>title</c>, <c>abstract</c>, <c>description</c>, <c>keywords</c>, <c>organization</c>, <c>field</c>, <c>industry</c>,
    /// <c>region</c>, <c>maturity</c>, <c>requiredMaturity</c>, <c>ipType</c>, <c>budget</c>; prefixed <c>achievements.</c>
    /// or <c>demands.</c> an entry applies to that kind of file only. An entry applies to a file whose records have the field
    /// (<c>abstract</c>, <c>field</c>, <c>maturity</c>, <c>ipType</c> to achievements; <c>description</c>, <c>industry</c>,
    /// <c>requiredMaturity</c>, <c>budget</c> to demands; the others to both); there the named header must be in the file,
    /// it wins over every alias, and the field takes no other column. <see langword="null"/> (the default) names none.</summary>
    public IReadOnlyDictionary<string, string>? Columns { get; init; }

    /// <summary>Checks every option at once, so one message names everything that is wrong.</summary>
    internal void Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(OnBadRow))
        {
            problems.Add($"OnBadRow must be Fail or Skip, not {(int)OnBadRow}");
        }

        if (Sheet is not null && string.IsNullOrWhiteSpace(Sheet))
        {
            problems.Add("Sheet must be a sheet name or null for the first sheet, not blank");
        }

        foreach (var (key, header) in Columns ?? new Dictionary<string, string>())
        {
            if (!ColumnNames.TryParse(key ?? "", out _, out _))
            {
                problems.Add($"Columns: unknown field '{key}' (use {string.Join(", ", ColumnNames.Fields)}, optionally prefixed achievements. or demands.)");
            }
            else if (string.IsNullOrWhiteSpace(header))
            {
                problems.Add($"Columns: no header given for '{key}'");
            }
        }

        Positive(problems, nameof(MaxFieldBytes), MaxFieldBytes);
        Positive(problems, nameof(MaxLineLength), MaxLineLength);
        Positive(problems, nameof(MaxColumns), MaxColumns);
        Positive(problems, nameof(MaxRecords), MaxRecords);
        Positive(problems, nameof(MaxJsonDepth), MaxJsonDepth);
        Positive(problems, nameof(MaxXlsxPartBytes), MaxXlsxPartBytes);
        Positive(problems, nameof(MaxXlsxCompressionRatio), MaxXlsxCompressionRatio);
        Positive(problems, nameof(MaxXlsxParts), MaxXlsxParts);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid read options: {string.Join("; ", problems)}", "options");
        }
    }

    private static void Positive(List<string> problems, string name, long value)
    {
        if (value < 1)
        {
            problems.Add($"{name} must be at least 1, not {value}");
        }
    }
}
