namespace Matching.Indexing;

/// <summary>Which collection an index holds.</summary>
internal enum RecordKind
{
    Achievements,
    Demands,
}

/// <summary>Field names and the version of the on-disk layout.</summary>
internal static class IndexSchema
{
    /// <summary>Bump when fields or their analysis change in a way old indexes cannot serve.</summary>
    public const string FormatVersion = "1";

    public const string Id = "id";
    public const string Hash = "hash";
    public const string Source = "source";
    public const string Title = "title";
    public const string Body = "body";
    public const string Keywords = "keywords";

    /// <summary>The searchable text fields, in the order queries use them.</summary>
    public static readonly string[] TextFields = [Title, Keywords, Body];

    public const string CommitFormat = "matching.format";
    public const string CommitKind = "matching.kind";
    public const string CommitAnalyzer = "matching.analyzer";
}
