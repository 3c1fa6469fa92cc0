using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Cloud.Unum.USearch;

namespace Matching.Retrieval;

/// <summary>One record's text vector, with the content hash of the record it was computed from.</summary>
internal readonly record struct VectorEntry(string Id, string Hash, float[] Vector);

/// <summary>Unit text vectors of one collection, searched by inner product: exactly (every dot product, on SIMD) up to
/// <see cref="HnswThreshold"/> records, through an HNSW graph (USearch) beyond, whose candidates are re-scored exactly.
/// Results are ordered by score, ties by ordinal id, so they do not depend on the path. Persisted as one file with the
/// encoder fingerprint, the record-set hash and a checksum; a file built by another encoder or damaged is refused.</summary>
internal sealed class VectorIndex : IDisposable
{
    /// <summary>Records above which search goes through HNSW. Exact search of 20,000 64-d vectors is about 1 ms.</summary>
    public const int DefaultHnswThreshold = 20_000;

    private const string Magic = "MATCHING-VECTORS 1";
    private const int HnswOversample = 4;

    private readonly string[] _ids;
    private readonly string[] _hashes;
    private readonly float[] _data;
    private readonly Dictionary<string, int> _rows;
    private Lazy<USearchIndex?> _hnsw;

    private VectorIndex(string fingerprint, int dimension, List<VectorEntry> entries, int hnswThreshold)
    {
        entries.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        Fingerprint = fingerprint;
        Dimension = dimension;
        HnswThreshold = hnswThreshold;
        _ids = [.. entries.Select(e => e.Id)];
        _hashes = [.. entries.Select(e => e.Hash)];
        _data = new float[entries.Count * dimension];
        _rows = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Vector.Length != dimension)
            {
                throw new ArgumentException($"vector of {entries[i].Id} has length {entries[i].Vector.Length}, not {dimension}");
            }

            if (!_rows.TryAdd(entries[i].Id, i))
            {
                throw new ArgumentException($"duplicate id {entries[i].Id}");
            }

            entries[i].Vector.CopyTo(_data, i * dimension);
        }

        RecordSetHash = HashOf(_ids, _hashes);
        _hnsw = new Lazy<USearchIndex?>(BuildHnsw, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The encoder that computed the vectors.</summary>
    public string Fingerprint { get; }

    public int Dimension { get; }

    public int Count => _ids.Length;

    public int HnswThreshold { get; }

    /// <summary>Whether searches go through the HNSW graph.</summary>
    public bool UsesHnsw => Count > HnswThreshold;

    /// <summary>Hash of the (id, content hash) pairs indexed.</summary>
    public string RecordSetHash { get; }

    public static VectorIndex Build(string fingerprint, int dimension, IEnumerable<VectorEntry> entries, int hnswThreshold = DefaultHnswThreshold) =>
        new(fingerprint, dimension, [.. entries], hnswThreshold);

    /// <summary>The record-set hash of (id, content hash) pairs, in any order.</summary>
    public static string RecordSetHashOf(IEnumerable<(string Id, string Hash)> records)
    {
        var sorted = records.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        return HashOf([.. sorted.Select(r => r.Id)], [.. sorted.Select(r => r.Hash)]);
    }

    private static string HashOf(string[] ids, string[] hashes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < ids.Length; i++)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(ids[i] + "\t" + hashes[i] + "\n"));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..32].ToLowerInvariant();
    }

    /// <summary>The stored vector of a record if it was computed from content with this hash, else null.</summary>
    public float[]? VectorOf(string id, string hash) =>
        _rows.TryGetValue(id, out var row) && _hashes[row] == hash ? _data.AsSpan(row * Dimension, Dimension).ToArray() : null;

    /// <summary>Every entry, in id order.</summary>
    public IEnumerable<VectorEntry> Entries() =>
        Enumerable.Range(0, Count).Select(i => new VectorEntry(_ids[i], _hashes[i], _data.AsSpan(i * Dimension, Dimension).ToArray()));

    /// <summary>The cosine of a unit <paramref name="query"/> with a record's stored vector, or null when the record is
    /// not held or its vector is all zero (no copy of the vector is made).</summary>
    public float? CosineWith(float[] query, string id) =>
        _rows.TryGetValue(id, out var row) ? Cosine(query, _data.AsSpan(row * Dimension, Dimension)) : null;

    /// <summary>The cosine of a unit <paramref name="query"/> and a unit (or all-zero) vector: their inner product, or null
    /// when the vector is all zero or of another length.</summary>
    internal static float? Cosine(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) =>
        query.Length == 0 || vector.Length != query.Length || TensorPrimitives.MaxMagnitude(vector) == 0 ? null : TensorPrimitives.Dot(query, vector);

    /// <summary>The stored vector of a record, or null.</summary>
    public float[]? VectorOf(string id) =>
        _rows.TryGetValue(id, out var row) ? _data.AsSpan(row * Dimension, Dimension).ToArray() : null;

    /// <summary>The <paramref name="k"/> records closest to <paramref name="query"/> (a unit vector) with a positive
    /// inner product, best first, ties by ordinal id; never <paramref name="excludeId"/>.</summary>
    public List<(string Id, float Score)> Search(float[] query, int k, string? excludeId = null)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(query.Length, Dimension, nameof(query));
        if (k < 1 || Count == 0 || !query.Any(v => v != 0))
        {
            return [];
        }

        IEnumerable<int> rows;
        if (UsesHnsw && _hnsw.Value is { } hnsw)
        {
            hnsw.Search(query, (k * HnswOversample) + 1, out var keys, out _);
            rows = keys.Select(key => (int)key);
        }
        else
        {
            rows = Enumerable.Range(0, Count);
        }

        // Top k by (score desc, id asc); the queue's minimum is the worst kept.
        var queue = new PriorityQueue<int, (float Score, int Row)>(k + 1, Comparer<(float Score, int Row)>.Create(
            (a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Row.CompareTo(a.Row)));
        foreach (var row in rows)
        {
            if (excludeId is not null && _ids[row] == excludeId)
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, _data.AsSpan(row * Dimension, Dimension));
            if (!(score > 0))
            {
                continue;
            }

            queue.Enqueue(row, (score, row));
            if (queue.Count > k)
            {
                queue.Dequeue();
            }
        }

        var result = new List<(string Id, float Score)>(queue.Count);
        while (queue.TryDequeue(out var row, out var key))
        {
            result.Add((_ids[row], key.Score));
        }

        result.Reverse();
        return result;
    }

    private USearchIndex? BuildHnsw()
    {
        if (!UsesHnsw)
        {
            return null;
        }

        var index = new USearchIndex(MetricKind.Ip, ScalarKind.Float32, (ulong)Dimension, connectivity: 16, expansionAdd: 128, expansionSearch: 256);
        var vector = new float[Dimension];
        for (var row = 0; row < Count; row++)
        {
            _data.AsSpan(row * Dimension, Dimension).CopyTo(vector);
            index.Add((ulong)row, vector);
        }

        return index;
    }

    /// <summary>The HNSW graph's file beside a vector file saved at <paramref name="path"/> (USearch's own format).</summary>
    public static string GraphPath(string path) => path + ".hnsw";

    /// <summary>The graph's seal: the SHA-256 of the vector file's content it was built from, then of the graph file.</summary>
    private static string SealPath(string path) => path + ".hnsw.sha256";

    /// <summary>Writes the index atomically (temporary file, then rename), ending with a SHA-256 of its bytes; above
    /// <see cref="HnswThreshold"/> also its HNSW graph (<see cref="GraphPath"/>) and the graph's seal, so that opening
    /// the index does not build the graph again (100,000 records: ≈ 20 s on one core).</summary>
    /// <remarks><see cref="Load"/> uses the graph only when its seal matches both the vectors and the graph file, else
    /// builds the graph again from the vectors, which gives the same graph (one thread, the same order).</remarks>
    public void Save(string path)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Fingerprint);
            writer.Write(RecordSetHash);
            writer.Write(Dimension);
            writer.Write(Count);
            for (var i = 0; i < Count; i++)
            {
                writer.Write(_ids[i]);
                writer.Write(_hashes[i]);
            }

            var bytes = new byte[_data.Length * sizeof(float)];
            Buffer.BlockCopy(_data, 0, bytes, 0, bytes.Length);
            writer.Write(bytes);
        }

        var content = memory.ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var contentHash = SHA256.HashData(content);
        // The graph and its seal first, then the vectors: a crash in between leaves a seal that matches nothing.
        if (UsesHnsw && _hnsw.Value is { } hnsw)
        {
            var graphTemp = GraphPath(path) + ".tmp";
            hnsw.Save(graphTemp);
            byte[] graphHash;
            using (var graph = File.OpenRead(graphTemp))
            {
                graphHash = SHA256.HashData(graph);
            }

            File.Move(graphTemp, GraphPath(path), overwrite: true);
            File.WriteAllBytes(SealPath(path) + ".tmp", [.. contentHash, .. graphHash]);
            File.Move(SealPath(path) + ".tmp", SealPath(path), overwrite: true);
        }
        else
        {
            File.Delete(GraphPath(path));
            File.Delete(SealPath(path));
        }

        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            stream.Write(content);
            stream.Write(contentHash);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Whether the HNSW graph was read from its file rather than built.</summary>
    internal bool GraphLoaded { get; private set; }

    /// <summary>Takes the graph saved beside the vectors when its seal names exactly these vectors and this graph file.</summary>
    private void UseSavedGraph(string path, ReadOnlySpan<byte> contentHash)
    {
        var (graph, seal) = (GraphPath(path), SealPath(path));
        if (!UsesHnsw || !File.Exists(graph) || !File.Exists(seal))
        {
            return;
        }

        var stamp = File.ReadAllBytes(seal);
        if (stamp.Length != 64 || !stamp.AsSpan(0, 32).SequenceEqual(contentHash))
        {
            return;
        }

        using (var stream = File.OpenRead(graph))
        {
            if (!SHA256.HashData(stream).AsSpan().SequenceEqual(stamp.AsSpan(32)))
            {
                return;
            }
        }

        var loaded = new USearchIndex(graph);
        if (loaded.Size() != (ulong)Count)
        {
            loaded.Dispose();
            return;
        }

        _hnsw = new Lazy<USearchIndex?>(loaded);
        GraphLoaded = true;
    }

    /// <summary>Reads an index written by <see cref="Save"/>, checking its checksum, its own record-set hash and that
    /// it was built by the encoder with <paramref name="expectedFingerprint"/>.</summary>
    /// <exception cref="IndexMismatchException">Damaged, not a vector index, or built by another encoder.</exception>
    public static VectorIndex Load(string path, string expectedFingerprint, int hnswThreshold = DefaultHnswThreshold)
    {
        var all = File.ReadAllBytes(path);
        if (all.Length < 32 || !SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
        {
            throw new IndexMismatchException($"{path}: the vector index is damaged (checksum mismatch); rebuild the index (matching index --rebuild).");
        }

        VectorIndex index;
        string storedHash;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(all, 0, all.Length - 32), Encoding.UTF8);
            if (reader.ReadString() != Magic)
            {
                throw new IndexMismatchException($"{path}: not a Matching vector index ({Magic}).");
            }

            var fingerprint = reader.ReadString();
            if (fingerprint != expectedFingerprint)
            {
                throw new IndexMismatchException(
                    $"{path}: the vector index was built by encoder {fingerprint}, but the engine uses {expectedFingerprint}; rebuild the index (matching index --rebuild) or use the encoder it was built with.");
            }

            storedHash = reader.ReadString();
            var dimension = reader.ReadInt32();
            var count = reader.ReadInt32();
            var keys = new (string Id, string Hash)[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = (reader.ReadString(), reader.ReadString());
            }

            var bytes = reader.ReadBytes(checked(count * dimension * sizeof(float)));
            if (bytes.Length != count * dimension * sizeof(float))
            {
                throw new EndOfStreamException("truncated vectors");
            }

            var entries = new List<VectorEntry>(count);
            for (var i = 0; i < count; i++)
            {
                var vector = new float[dimension];
                Buffer.BlockCopy(bytes, i * dimension * sizeof(float), vector, 0, dimension * sizeof(float));
                entries.Add(new VectorEntry(keys[i].Id, keys[i].Hash, vector));
            }

            index = new VectorIndex(fingerprint, dimension, entries, hnswThreshold);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException or ArgumentException)
        {
            throw new IndexMismatchException($"{path}: unreadable vector index ({e.Message}); rebuild the index.", e);
        }

        if (index.RecordSetHash != storedHash)
        {
            throw new IndexMismatchException($"{path}: the vector index's record-set hash {storedHash} does not match its records ({index.RecordSetHash}); rebuild the index.");
        }

        index.UseSavedGraph(path, all.AsSpan(all.Length - 32));
        return index;
    }

    public void Dispose()
    {
        if (_hnsw.IsValueCreated)
        {
            _hnsw.Value?.Dispose();
        }
    }
}
