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

    /// <summary>Opens an on-disk index folder with positional file reads (<see cref="Lucene.Net.Store.NIOFSDirectory"/>).</summary>
    /// <remarks>Not <c>FSDirectory.Open</c>: on 64-bit Linux and Windows that picks <c>MMapDirectory</c>, whose
    /// byte-at-a-time reads in Lucene.Net 4.8.0-beta00017 are many times slower (apache/lucenenet#1151; measured
    /// here: a 5,000 × 500 batch on disk did not finish in 10 CPU-minutes against 1 minute in memory, and term
    /// lookups dominated the profile). The fix is not in a released package yet.</remarks>
    public static Lucene.Net.Store.FSDirectory OpenDirectory(string path) => new Lucene.Net.Store.NIOFSDirectory(path);

    public const string CommitFormat = "matching.format";
    public const string CommitKind = "matching.kind";
    public const string CommitAnalyzer = "matching.analyzer";

    /// <summary>Commit data naming the index's sidecar files (<see cref="IIndexSidecar"/>); absent when it has none.</summary>
    public const string CommitSidecar = "matching.profiles";
}
