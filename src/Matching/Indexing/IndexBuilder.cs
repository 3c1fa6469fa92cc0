using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Util;
using Matching.Text;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Indexing;

/// <summary>What an index update did.</summary>
internal sealed record IndexUpdateStats(int Added, int Updated, int Unchanged, int Deleted, int Total);

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

    public static IndexUpdateStats Update(
        LuceneDirectory directory,
        RecordKind kind,
        AnalyzerKind analyzerKind,
        IEnumerable<IndexedRecord> records,
        bool prune = false,
        bool rebuild = false)
    {
        var analyzerVersion = MatchingAnalyzer.VersionOf(analyzerKind);
        var exists = DirectoryReader.IndexExists(directory);
        if (exists && !rebuild)
        {
            IndexIdentity.Check(directory, kind, analyzerVersion);
        }

        var existing = exists && !rebuild ? ReadHashes(directory) : new Dictionary<string, string>(StringComparer.Ordinal);
        using var analyzer = MatchingAnalyzer.ForIndexing(analyzerKind);
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = exists && !rebuild ? OpenMode.APPEND : OpenMode.CREATE,
            Similarity = new Lucene8Bm25Similarity(),
            RAMBufferSizeMB = 64,
        };

        var writer = new IndexWriter(directory, config);
        try
        {
            int added = 0, updated = 0, unchanged = 0, deleted = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                if (!seen.Add(record.Id))
                {
                    throw new MatchingException($"record id '{record.Id}' appears twice in the input to the {kind} index");
                }

                var hash = record.Hash;
                if (existing.TryGetValue(record.Id, out var oldHash))
                {
                    if (oldHash == hash)
                    {
                        unchanged++;
                        continue;
                    }

                    writer.UpdateDocument(new Term(IndexSchema.Id, record.Id), ToDocument(record, hash));
                    updated++;
                }
                else
                {
                    writer.AddDocument(ToDocument(record, hash));
                    added++;
                }
            }

            if (prune)
            {
                foreach (var id in existing.Keys.Where(id => !seen.Contains(id)).Order(StringComparer.Ordinal))
                {
                    writer.DeleteDocuments(new Term(IndexSchema.Id, id));
                    deleted++;
                }
            }

            writer.SetCommitData(new Dictionary<string, string>
            {
                [IndexSchema.CommitFormat] = IndexSchema.FormatVersion,
                [IndexSchema.CommitKind] = kind.ToString(),
                [IndexSchema.CommitAnalyzer] = analyzerVersion,
            });
            writer.Commit();
            var total = writer.NumDocs;
            writer.Dispose();
            return new IndexUpdateStats(added, updated, unchanged, deleted, total);
        }
        catch
        {
            // Drop everything since the last commit; the previous index stays as it was.
            writer.Rollback();
            throw;
        }
    }

    private static Document ToDocument(IndexedRecord record, string hash)
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

    private static Dictionary<string, string> ReadHashes(LuceneDirectory directory)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = DirectoryReader.Open(directory);
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

    private static string Describe(LuceneDirectory directory) =>
        directory is Lucene.Net.Store.FSDirectory fs ? fs.Directory.FullName : "memory";
}
