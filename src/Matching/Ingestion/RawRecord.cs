namespace Matching.Ingestion;

/// <summary>One input row after its columns or keys were mapped to a schema's fields, before validation.</summary>
/// <remarks>Either <see cref="Problem"/> is set (the row could not even be mapped) or the values are.</remarks>
internal sealed class RawRecord
{
    public RawRecord(int line, int fieldCount)
    {
        Line = line;
        Values = new string[fieldCount];
        Array.Fill(Values, "");
    }

    private RawRecord(InputFormatException problem)
    {
        Line = problem.Line;
        Values = [];
        Problem = problem;
    }

    /// <summary>The 1-based line (CSV, JSONL) or Excel row number where the row starts.</summary>
    public int Line { get; }

    /// <summary>Trimmed values by field index of the schema; the keywords slot stays empty.</summary>
    public string[] Values { get; }

    public IReadOnlyList<string> Keywords { get; set; } = [];

    /// <summary>Unknown columns by their header as written; null when there are none.</summary>
    public Dictionary<string, string>? Extra { get; set; }

    public InputFormatException? Problem { get; }

    /// <summary>Fields cut to the field limit under <see cref="ReadOptions.TruncateLongFields"/>, reported once the row
    /// is accepted; null when there are none.</summary>
    public List<InputFormatException>? Warnings { get; set; }

    public bool IsEmpty =>
        Problem is null
        && Keywords.Count == 0
        && Array.TrueForAll(Values, v => v.Length == 0)
        && (Extra is null || Extra.Values.All(v => v.Length == 0));

    public static RawRecord Failed(InputFormatException problem) => new(problem);
}
