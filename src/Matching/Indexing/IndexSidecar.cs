namespace Matching.Indexing;

/// <summary>Files kept beside an index in step with its commits (the pair-feature profile store): told of every record
/// an update writes, and asked, before the commit, for the value the commit records under <see cref="IndexSchema.CommitSidecar"/>.</summary>
/// <remarks>The value names the sidecar's files: a commit that records none, or names files that are missing, has no
/// sidecar (readers then do without it), so a crash between the sidecar's write and the commit is harmless.</remarks>
internal interface IIndexSidecar : IDisposable
{
    /// <summary>A record added or replaced by the update (thread-safe: called by the indexing threads).</summary>
    void Written(IndexedRecord record);

    /// <summary>Writes the sidecar for the index after the update and returns the value to record in the commit, or
    /// null to record none.</summary>
    /// <param name="existing">Every record indexed before the update (id → content hash).</param>
    /// <param name="deleted">The ids the update deletes.</param>
    string? Prepare(IReadOnlyDictionary<string, string> existing, IReadOnlySet<string> deleted);

    /// <summary>The update is committed: files of earlier commits may go.</summary>
    void Committed();
}
