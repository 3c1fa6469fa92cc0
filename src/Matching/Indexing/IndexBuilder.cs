using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;
using Matching.Text;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Indexing;

/// <summary>What an index update did.</summary>
/// <summary>Counts of one index update.</summary>
/// <param name="Added">New ids.</param>
/// <param name="Updated">Ids whose record changed and was replaced.</param>
/// <param name="Unchanged">Ids whose record was identical and skipped.</param>
/// <param name="Deleted">Ids removed by pruning.</param>
/// <param name="Total">Records in the index after the update.</param>
public sealed record IndexCounts(int Added, int Updated, int Unchanged, int Deleted, int Total);

/// <summary>Builds or incrementally updates an index of one record kind, ending in exactly one commit.</summary>
/// <remarks>Records are matched by id: new ids are added, changed records replaced, unchanged ones skipped;
/// with prune, ids absent from the input are deleted. Nothing is visible until the final commit, so a run
/// that fails or is killed leaves the previous commit as it was.</remarks>
internal static class IndexBuilder
{
    private static readonly FieldType s_textField = CreateTextFieldType();

    private static FieldType CreateTextFieldType()
    {
        var type = new FieldType(TextField.TYPE_NOT_STORED) { StoreTermVectors = true };
        type.Freeze();
        return type;
    }

    /// <summary>Updates the index with <paramref name="records"/> (read lazily, one at a time) in one commit.</summary>
    /// <remarks>With <paramref name="verifyChecksums"/> every file of an existing on-disk index is verified before
    /// anything is appended, so a damaged index is reported rather than extended (a sequential read of the index).</remarks>
    public static IndexCounts Update(
        LuceneDirectory directory,
        RecordKind kind,
        AnalyzerKind analyzerKind,
        IEnumerable<IndexedRecord> records,
        bool prune = false,
        bool rebuild = false,
        bool verifyChecksums = true,
        int threads = 0,
        bool merge = false,
        Func<string?, IIndexSidecar>? sidecar = null)
    {
        using var update = Begin(directory, kind, analyzerKind, prune, rebuild, verifyChecksums, threads, merge, sidecar);
        update.Add(records);
        update.PrepareCommit();
        return update.Commit();
    }

    /// <summary>Opens a writer for a two-phase update: <see cref="IndexUpdate.Add"/> records, then
    /// <see cref="IndexUpdate.PrepareCommit"/> and <see cref="IndexUpdate.Commit"/>; disposing it uncommitted rolls back.</summary>
    /// <remarks>Two updates prepared before either commits fail together on bad input: the streaming path reads the
    /// achievements and demands files into two open updates and commits only when both have been read.
    /// <paramref name="sidecar"/>, when given, makes the files kept beside the index from the value the last commit
    /// recorded for them (null: none, or a rebuild).</remarks>
    public static IndexUpdate Begin(
        LuceneDirectory directory,
        RecordKind kind,
        AnalyzerKind analyzerKind,
        bool prune = false,
        bool rebuild = false,
        bool verifyChecksums = true,
        int threads = 0,
        bool merge = false,
        Func<string?, IIndexSidecar>? sidecar = null)
    {
        var analyzerVersion = MatchingAnalyzer.VersionOf(analyzerKind);
        var exists = DirectoryReader.IndexExists(directory);
        if (exists && !rebuild)
        {
            IndexIdentity.Check(directory, kind, analyzerVersion);
        }

        var existing = exists && !rebuild
            ? ReadHashes(directory, kind, verifyChecksums)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        var analyzer = MatchingAnalyzer.ForIndexing(analyzerKind);
        IIndexSidecar? companion = null;
        try
        {
            if (sidecar is not null)
            {
                string? previous = null;
                if (exists && !rebuild)
                {
                    DirectoryReader.ListCommits(directory)[^1].UserData.TryGetValue(IndexSchema.CommitSidecar, out previous);
                }

                companion = sidecar(previous);
            }

            var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
            {
                OpenMode = exists && !rebuild ? OpenMode.APPEND : OpenMode.CREATE,
                Similarity = new Lucene8Bm25Similarity(),
                RAMBufferSizeMB = 64,
                // A merge reads old segments and writes a new one with a fresh checksum: verify first, so damage
                // that appeared after the open is reported instead of laundered into a valid-looking segment.
                CheckIntegrityAtMerge = true,
            };
            var writer = new IndexWriter(directory, config);
            return new IndexUpdate(writer, analyzer, kind, analyzerVersion, existing, prune, threads, merge, companion);
        }
        catch
        {
            companion?.Dispose();
            analyzer.Dispose();
            throw;
        }
    }

    internal static Document ToDocument(IndexedRecord record, string hash)
    {
        var document = new Document
        {
            new StringField(IndexSchema.Id, record.Id, Field.Store.YES),
            new StoredField(IndexSchema.Hash, hash),
            new StoredField(IndexSchema.Source, record.SourceJson),
        };
        AddText(document, IndexSchema.Title, record.Title);
        AddText(document, IndexSchema.Keywords, record.Keywords);
        AddText(document, IndexSchema.Body, record.Body);
        return document;
    }

    private static void AddText(Document document, string name, string value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            document.Add(new Field(name, value, s_textField));
        }
    }

    private static Dictionary<string, string> ReadHashes(LuceneDirectory directory, RecordKind kind, bool verifyChecksums)
    {
        using var reader = IndexIntegrity.Open(directory, kind, verifyChecksums);
        return IndexIntegrity.Read(directory, kind, () =>
        {
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            var fields = new HashSet<string> { IndexSchema.Id, IndexSchema.Hash };
            var live = MultiFields.GetLiveDocs(reader);
            for (var doc = 0; doc < reader.MaxDoc; doc++)
            {
                if (live is not null && !live.Get(doc))
                {
                    continue;
                }

                var stored = reader.Document(doc, fields);
                hashes[stored.Get(IndexSchema.Id)] = stored.Get(IndexSchema.Hash);
            }

            return hashes;
        });
    }
}

/// <summary>One open, uncommitted index update (see <see cref="IndexBuilder.Begin"/>). Memory stays bounded by
/// the writer's RAM buffer plus two id sets (indexed id → hash, ids seen in this input): records are consumed one at
/// a time and never collected.</summary>
internal sealed class IndexUpdate : IDisposable
{
    private readonly IndexWriter _writer;
    private readonly Lucene.Net.Analysis.Analyzer _analyzer;
    private readonly RecordKind _kind;
    private readonly string _analyzerVersion;
    private readonly Dictionary<string, string> _existing;
    private readonly bool _prune;
    private readonly int _threads;
    private readonly bool _merge;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deletedIds = new(StringComparer.Ordinal);
    private readonly IIndexSidecar? _sidecar;
    private int _added, _updated, _unchanged, _deleted;
    private bool _prepared, _committed, _disposed;

    internal IndexUpdate(IndexWriter writer, Lucene.Net.Analysis.Analyzer analyzer, RecordKind kind, string analyzerVersion,
        Dictionary<string, string> existing, bool prune, int threads, bool merge, IIndexSidecar? sidecar = null)
    {
        _sidecar = sidecar;
        _threads = threads;
        _merge = merge;
        _writer = writer;
        _analyzer = analyzer;
        _kind = kind;
        _analyzerVersion = analyzerVersion;
        _existing = existing;
        _prune = prune;
    }

    /// <summary>Adds new ids, replaces changed records and skips unchanged ones (nothing visible until the commit).</summary>
    public void Add(IEnumerable<IndexedRecord> records)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_prepared)
        {
            throw new InvalidOperationException("the update is already prepared for commit");
        }

        // The caller's thread reads the records, checks ids and hashes and builds documents (cheap); the
        // analysis inside AddDocument/UpdateDocument (segmentation, the costly part) runs on every core.
        // IndexWriter is thread-safe: each thread fills its own in-memory segment. Scores never depend on which
        // segment a document lands in, and ties are broken by id, so results do not depend on the thread count.
        var threads = Math.Max(1, _threads > 0 ? _threads : Environment.ProcessorCount);
        if (threads == 1)
        {
            foreach (var record in records)
            {
                if (Plan(record) is { } work)
                {
                    Write(work);
                }
            }

            return;
        }

        using var queue = new System.Collections.Concurrent.BlockingCollection<(Term? Replace, Document Document, IndexedRecord Record)>(boundedCapacity: 256 * threads);
        using var failed = new CancellationTokenSource();
        var workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (var work in queue.GetConsumingEnumerable(failed.Token))
                    {
                        Write(work);
                    }
                }
                catch (OperationCanceledException) when (failed.IsCancellationRequested)
                {
                }
                catch
                {
                    failed.Cancel();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        try
        {
            foreach (var record in records)
            {
                if (Plan(record) is { } work)
                {
                    queue.Add(work, failed.Token);
                }
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // A worker failed: its exception is thrown below.
        }
        catch
        {
            failed.Cancel();
            WaitQuietly(workers);
            throw;
        }
        finally
        {
            queue.CompleteAdding();
        }

        try
        {
            Task.WaitAll(workers);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    /// <summary>What a record asks of the index: nothing (unchanged), an update or an addition.</summary>
    private (Term? Replace, Document Document, IndexedRecord Record)? Plan(IndexedRecord record)
    {
        if (!_seen.Add(record.Id))
        {
            throw new MatchingException($"record id '{record.Id}' appears twice in the input to the {_kind} index");
        }

        var hash = record.Hash;
        if (_existing.TryGetValue(record.Id, out var oldHash))
        {
            if (oldHash == hash)
            {
                _unchanged++;
                return null;
            }

            _updated++;
            return (new Term(IndexSchema.Id, record.Id), IndexBuilder.ToDocument(record, hash), record);
        }

        _added++;
        return (null, IndexBuilder.ToDocument(record, hash), record);
    }

    private void Write((Term? Replace, Document Document, IndexedRecord Record) work)
    {
        // On the same thread just before the document, so that the profile's segmentation serves the index too.
        using var memo = _sidecar is null ? null : ChineseSegmenter.Remember();
        _sidecar?.Written(work.Record);
        if (work.Replace is { } term)
        {
            _writer.UpdateDocument(term, work.Document);
        }
        else
        {
            _writer.AddDocument(work.Document);
        }
    }

    private static void WaitQuietly(Task[] tasks)
    {
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // The caller's own exception is the one that matters.
        }
    }

    /// <summary>Prunes (when asked), records the index identity and flushes everything but the final commit point.</summary>
    public void PrepareCommit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_prepared)
        {
            return;
        }

        if (_prune)
        {
            foreach (var id in _existing.Keys.Where(id => !_seen.Contains(id)).Order(StringComparer.Ordinal))
            {
                _writer.DeleteDocuments(new Term(IndexSchema.Id, id));
                _deletedIds.Add(id);
                _deleted++;
            }
        }

        if (_merge)
        {
            // One segment: each query term is looked up once instead of once per segment (batch runs on a
            // catalogue that is built once and queried many times). Still part of this update's single commit.
            _writer.ForceMerge(1);
        }

        var data = new Dictionary<string, string>
        {
            [IndexSchema.CommitFormat] = IndexSchema.FormatVersion,
            [IndexSchema.CommitKind] = _kind.ToString(),
            [IndexSchema.CommitAnalyzer] = _analyzerVersion,
        };
        if (_sidecar?.Prepare(_existing, _deletedIds) is { } sidecar)
        {
            data[IndexSchema.CommitSidecar] = sidecar;
        }

        _writer.SetCommitData(data);
        _writer.PrepareCommit();
        _prepared = true;
    }

    /// <summary>Makes the update visible (one Lucene commit) and closes the writer.</summary>
    public IndexCounts Commit()
    {
        PrepareCommit();
        _writer.Commit();
        _committed = true;
        _sidecar?.Committed();
        var total = _writer.NumDocs;
        Dispose();
        return new IndexCounts(_added, _updated, _unchanged, _deleted, total);
    }

    /// <summary>Closes the writer; an update not committed is rolled back, leaving the previous commit as it was.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (_committed)
            {
                _writer.Dispose();
            }
            else
            {
                // Drop everything since the last commit (a prepared commit too); the previous index stays as it was.
                _writer.Rollback();
            }
        }
        finally
        {
            _sidecar?.Dispose();
            _analyzer.Dispose();
        }
    }
}

/// <summary>Checks that an index was written by this format and analyzer.</summary>
internal static class IndexIdentity
{
    public static void Check(LuceneDirectory directory, RecordKind kind, string analyzerVersion)
    {
        IDictionary<string, string> data;
        try
        {
            var commits = DirectoryReader.ListCommits(directory);
            data = commits[^1].UserData;
        }
        catch (Exception e) when (e is IOException or IndexFormatTooOldException or IndexFormatTooNewException or CorruptIndexException)
        {
            // A segments file that is cut short or overwritten is damage, reported with CheckIndex's verdict; a format
            // from another Lucene version is not.
            if (IndexIntegrity.MaySignalDamage(e) && IndexIntegrity.Diagnose(directory, kind, e) is { } damaged)
            {
                throw damaged;
            }

            throw new IndexMismatchException($"the index in {Describe(directory)} cannot be read ({e.Message}); rebuild it with `matching index --rebuild`.", e);
        }

        data.TryGetValue(IndexSchema.CommitFormat, out var format);
        data.TryGetValue(IndexSchema.CommitKind, out var storedKind);
        data.TryGetValue(IndexSchema.CommitAnalyzer, out var analyzer);
        if (format != IndexSchema.FormatVersion)
        {
            throw new IndexMismatchException(
                $"the index in {Describe(directory)} has format version '{format ?? "none"}', this Matching writes '{IndexSchema.FormatVersion}'; rebuild it with `matching index --rebuild`.");
        }

        if (storedKind != kind.ToString())
        {
            throw new IndexMismatchException($"the index in {Describe(directory)} holds {storedKind}, not {kind}.");
        }

        if (analyzer != analyzerVersion)
        {
            throw new IndexMismatchException(
                $"the index in {Describe(directory)} was built with analyzer '{analyzer}', this run uses '{analyzerVersion}'; " +
                "rebuild it with `matching index --rebuild` (or pass the --analyzer it was built with).");
        }
    }

    internal static string Describe(LuceneDirectory directory) =>
        directory is Lucene.Net.Store.FSDirectory fs ? fs.Directory.FullName : "memory";
}
