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

/// <summary>How <see cref="RecordReader"/> reads an input file.</summary>
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

        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid read options: {string.Join("; ", problems)}", "options");
        }
    }
}
