using Lucene.Net.Store;
using Matching.Indexing;
using Matching.Ingestion;

namespace Matching.Engine;

public sealed partial class MatchingEngine
{
    /// <summary>Builds or incrementally updates the on-disk indexes at <see cref="EngineOptions.IndexPath"/> straight
    /// from input files, streaming them record by record, so inputs of any size are indexed in bounded memory.</summary>
    /// <remarks>
    /// <para>Memory does not grow with the text of the input, only with its number of ids (the ids already indexed
    /// with their content hashes, and the ids seen in this input: about 150 bytes a record), plus Lucene's fixed
    /// RAM buffer.</para>
    /// <para>Both files are read into uncommitted updates of their indexes, and the two commits happen only after both
    /// have been read to the end: a bad row (under <see cref="BadRowPolicy.Fail"/>) or a file-level problem anywhere
    /// leaves both indexes exactly as they were. Each index still ends in one Lucene commit, so a process killed at
    /// any point leaves each index at its previous or its new commit.</para>
    /// </remarks>
    /// <param name="achievementsPath">Achievements file (.csv, .tsv, .jsonl or .xlsx); null adds none (the index is
    /// still created when missing).</param>
    /// <param name="demandsPath">Demands file; null adds none.</param>
    /// <param name="options">Where and how; <see cref="EngineOptions.IndexPath"/> is required.</param>
    /// <param name="readOptions">Encoding, sheet and bad-row policy of both files.</param>
    /// <param name="prune">Delete indexed ids that are absent from the input; needs both files.</param>
    /// <param name="rebuild">Start from empty indexes (also the way past an analyzer change or a damaged index).</param>
    /// <param name="skipped">Receives, in file order, the rows dropped under <see cref="BadRowPolicy.Skip"/>; null
    /// discards them. Pass a collection that keeps only what it needs when inputs are large.</param>
    /// <param name="warnings">Receives, in file order, the fields cut under <see cref="ReadOptions.TruncateLongFields"/>;
    /// null discards them.</param>
    /// <param name="quality">Receives, in file order, the records accepted with a data-quality problem (see
    /// <see cref="ReadResult{T}.DataQuality"/>); null discards them.</param>
    /// <returns>What the update did to each index; records read from a file = added + updated + unchanged.</returns>
    /// <exception cref="InputFormatException">An input cannot be read, breaks a file-level rule, or breaks a row-level
    /// rule under <see cref="BadRowPolicy.Fail"/>; neither index is changed.</exception>
    /// <exception cref="IndexMismatchException">An existing index is damaged or from another analyzer or format.</exception>
    /// <exception cref="ArgumentException">No input, a blank path, invalid read options, or prune with one input.</exception>
    public static IndexReport UpdateIndexFromFiles(
        string? achievementsPath,
        string? demandsPath,
        EngineOptions options,
        ReadOptions readOptions,
        bool prune = false,
        bool rebuild = false,
        ICollection<InputFormatException>? skipped = null,
        ICollection<InputFormatException>? warnings = null,
        ICollection<DataQualityWarning>? quality = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.IndexPath, nameof(options.IndexPath));
        ArgumentNullException.ThrowIfNull(readOptions);
        readOptions.Validate();
        if (achievementsPath is null && demandsPath is null)
        {
            throw new ArgumentException("give an achievements file, a demands file or both", nameof(achievementsPath));
        }

        if (achievementsPath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(achievementsPath);
        }

        if (demandsPath is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(demandsPath);
        }

        if (prune && (achievementsPath is null || demandsPath is null))
        {
            throw new ArgumentException("prune needs both files: a missing input would empty its index", nameof(prune));
        }

        skipped ??= new DiscardedRows();
        var report = UpdateLuceneFromFiles(achievementsPath, demandsPath, options, readOptions, prune, rebuild, skipped, warnings, quality);
        UpdateVectors(options, rebuild);
        return report;
    }

    private static IndexReport UpdateLuceneFromFiles(string? achievementsPath, string? demandsPath, EngineOptions options, ReadOptions readOptions,
        bool prune, bool rebuild, ICollection<InputFormatException> skipped, ICollection<InputFormatException>? warnings, ICollection<DataQualityWarning>? quality)
    {
        using var achievementDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath!, "achievements"));
        using var demandDirectory = IndexSchema.OpenDirectory(Path.Combine(options.IndexPath!, "demands"));
        using var achievementUpdate = IndexBuilder.Begin(achievementDirectory, RecordKind.Achievements, options.Analyzer, prune, rebuild, threads: options.IndexThreads, merge: options.MergeSegments,
            sidecar: Profiles(options, RecordKind.Achievements));
        using var demandUpdate = IndexBuilder.Begin(demandDirectory, RecordKind.Demands, options.Analyzer, prune, rebuild, threads: options.IndexThreads, merge: options.MergeSegments,
            sidecar: Profiles(options, RecordKind.Demands));
        if (achievementsPath is not null)
        {
            achievementUpdate.Add(RecordReader.StreamAchievements(achievementsPath, readOptions, skipped, warnings, quality).Select(options.Indexed));
        }

        if (demandsPath is not null)
        {
            demandUpdate.Add(RecordReader.StreamDemands(demandsPath, readOptions, skipped, warnings, quality).Select(options.Indexed));
        }

        // Both inputs are read: only now may either index change.
        achievementUpdate.PrepareCommit();
        demandUpdate.PrepareCommit();
        var a = achievementUpdate.Commit();
        var d = demandUpdate.Commit();
        return new IndexReport(a, d);
    }

    /// <summary>Drops the skipped rows nobody asked for instead of keeping them.</summary>
    private sealed class DiscardedRows : System.Collections.ObjectModel.Collection<InputFormatException>
    {
        protected override void InsertItem(int index, InputFormatException item)
        {
        }
    }
}
