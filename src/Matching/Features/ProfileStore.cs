using System.Security.Cryptography;
using System.Text;
using Matching.Indexing;
using Microsoft.Win32.SafeHandles;

namespace Matching.Features;

/// <summary>The pair-feature profiles of one on-disk index (achievements or demands), written when the index is built
/// or updated, so that a batch reads each record's profile when it needs it instead of segmenting every text again
/// and holding all profiles in memory.</summary>
/// <remarks>
/// <para>One file per commit, <c>profiles/{kind}.{token}.prof</c> beside the Lucene indexes; the token is the hash of
/// the indexed records (ids and content hashes), this format and the feature definitions, and the index's commit
/// records it (<see cref="IndexSchema.CommitSidecar"/>): a store whose token the commit does not name is never read.
/// Records are in id order (ordinal), as <c>RecordSearcher.AllSources</c> reads them, and term ids are handed out in
/// that order, each record's terms in the order they first occur: reading the stores in that order gives every term
/// the id the in-memory path gives it, so feature sums run in the same order and are bit-identical.</para>
/// <para>Layout: a 64-byte header; the bodies (<see cref="ProfileCodec.WriteBody"/>); the term lists
/// (<see cref="ProfileCodec.WriteList"/>), read alone in one sequential pass for the corpus statistics; the ids and
/// the term strings (length-prefixed UTF-8); the start of every body and list (int64, one more than records); and a
/// SHA-256 of the header and everything after the term lists.</para>
/// </remarks>
internal sealed class ProfileStore : IDisposable
{
    /// <summary>The folder of the stores inside an index folder.</summary>
    public const string Folder = "profiles";

    /// <summary>Bump when the encoding or what a profile holds changes (the token changes with it).</summary>
    public const int FormatVersion = 1;

    private const string Magic = "MPROFS01";
    private const int HeaderSize = 64;

    private readonly SafeFileHandle _file;
    private readonly long[] _bodies;
    private readonly long[] _lists;
    private readonly Dictionary<string, int> _ordinals;

    private ProfileStore(string path, SafeFileHandle file, string token, RecordKind kind, string[] ids, string[] terms, long[] bodies, long[] lists)
    {
        Path = path;
        _file = file;
        Token = token;
        Kind = kind;
        Ids = ids;
        Terms = terms;
        _bodies = bodies;
        _lists = lists;
        _ordinals = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            _ordinals[ids[i]] = i;
        }
    }

    public string Path { get; }

    public string Token { get; }

    public RecordKind Kind { get; }

    /// <summary>The records' ids, in ordinal order.</summary>
    public string[] Ids { get; }

    /// <summary>The term strings by store id.</summary>
    public string[] Terms { get; }

    public int Count => Ids.Length;

    /// <summary>The file of a store.</summary>
    public static string FileOf(string folder, RecordKind kind, string token) =>
        System.IO.Path.Combine(folder, $"{kind.ToString().ToLowerInvariant()}.{token}.prof");

    /// <summary>The token of a record set: its (id, content hash) pairs in ordinal id order.</summary>
    public static string TokenOf(RecordKind kind, IEnumerable<(string Id, string Hash)> sortedRecords)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{Magic};{FormatVersion};{PairFeatures.Hash};{kind}\n"));
        foreach (var (id, hash) in sortedRecords)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(id));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(hash));
            sha.AppendData([0]);
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..32].ToLowerInvariant();
    }

    /// <summary>Opens the store a commit names.</summary>
    /// <exception cref="IndexMismatchException">The file is missing, damaged, or not the store of this commit.</exception>
    public static ProfileStore Open(string folder, RecordKind kind, string token)
    {
        var path = FileOf(folder, kind, token);
        if (!File.Exists(path))
        {
            throw new IndexMismatchException(
                $"{path}: the index's profile store is missing; rebuild it with `matching index --rebuild` (or run `matching index` on the index again to go on without it).");
        }

        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            return Read(path, file, kind, token);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or IOException or ArgumentException or OverflowException)
        {
            file.Dispose();
            throw new IndexMismatchException(
                $"{path}: the profile store is damaged ({e.Message}); rebuild it with `matching index --rebuild` (or run `matching index` on the index again to go on without it).", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens a store, or null when it is missing or damaged (an update then does without it).</summary>
    public static ProfileStore? TryOpen(string folder, RecordKind kind, string token)
    {
        try
        {
            return Open(folder, kind, token);
        }
        catch (IndexMismatchException)
        {
            return null;
        }
    }

    private static ProfileStore Read(string path, SafeFileHandle file, RecordKind kind, string token)
    {
        var size = RandomAccess.GetLength(file);
        var header = new byte[HeaderSize];
        ReadExactly(file, header, 0);
        using var headerReader = new BinaryReader(new MemoryStream(header));
        if (Encoding.ASCII.GetString(headerReader.ReadBytes(8)) != Magic)
        {
            throw new FormatException("not a Matching profile store");
        }

        var version = headerReader.ReadInt32();
        var storedKind = headerReader.ReadInt32();
        var count = headerReader.ReadInt64();
        var termCount = headerReader.ReadInt64();
        var listsOffset = headerReader.ReadInt64();
        var idsOffset = headerReader.ReadInt64();
        var termsOffset = headerReader.ReadInt64();
        var indexOffset = headerReader.ReadInt64();
        var indexEnd = indexOffset + ((count + 1) * 16);
        if (version != FormatVersion || storedKind != (int)kind || count < 0 || termCount < 0 || count > int.MaxValue || termCount > int.MaxValue
            || listsOffset < HeaderSize || idsOffset < listsOffset || termsOffset < idsOffset || indexOffset < termsOffset || indexEnd + 32 != size)
        {
            throw new FormatException("unexpected header");
        }

        var tail = new byte[indexEnd - idsOffset];
        ReadExactly(file, tail, idsOffset);
        var checksum = new byte[32];
        ReadExactly(file, checksum, indexEnd);
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(header);
            sha.AppendData(tail);
            if (!sha.GetHashAndReset().AsSpan().SequenceEqual(checksum))
            {
                throw new FormatException("checksum mismatch");
            }
        }

        using var reader = new BinaryReader(new MemoryStream(tail), Encoding.UTF8);
        var ids = new string[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.ReadString();
        }

        var terms = new string[termCount];
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = reader.ReadString();
        }

        if (reader.BaseStream.Position != indexOffset - idsOffset)
        {
            throw new FormatException("ids and terms do not fill their sections");
        }

        var bodies = new long[count + 1];
        var lists = new long[count + 1];
        for (var i = 0; i < bodies.Length; i++)
        {
            bodies[i] = reader.ReadInt64();
        }

        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = reader.ReadInt64();
        }

        for (var i = 0; i < count; i++)
        {
            if (bodies[i + 1] < bodies[i] || lists[i + 1] < lists[i] || (i > 0 && string.CompareOrdinal(ids[i - 1], ids[i]) >= 0))
            {
                throw new FormatException("records out of order");
            }
        }

        if (bodies[0] != HeaderSize || bodies[^1] != listsOffset || lists[0] != listsOffset || lists[^1] != idsOffset)
        {
            throw new FormatException("record offsets do not fill their sections");
        }

        return new ProfileStore(path, file, token, kind, ids, terms, bodies, lists);
    }

    internal static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0)
            {
                throw new EndOfStreamException("the profile store is cut short");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>The ordinal of a record, or −1.</summary>
    public int IndexOf(string id) => _ordinals.TryGetValue(id, out var i) ? i : -1;

    /// <summary>Every record's term list in ordinal order: its document length and the store ids of its terms.</summary>
    public void ForEachList(Action<int, int, ReadOnlySpan<int>> visit)
    {
        // A stream of its own: one over the shared handle would close it.
        using var buffered = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20);
        buffered.Position = _lists[0];
        var bytes = new byte[256];
        var ids = new int[64];
        for (var i = 0; i < Count; i++)
        {
            var size = checked((int)(_lists[i + 1] - _lists[i]));
            if (bytes.Length < size)
            {
                bytes = new byte[Math.Max(size, bytes.Length * 2)];
            }

            buffered.ReadExactly(bytes, 0, size);
            var length = ProfileCodec.ReadList(bytes.AsSpan(0, size), ref ids, out var count);
            foreach (var id in ids.AsSpan(0, count))
            {
                if ((uint)id >= (uint)Terms.Length)
                {
                    throw new FormatException($"record {Ids[i]} names term {id} of {Terms.Length}");
                }
            }

            visit(i, length, ids.AsSpan(0, count));
        }
    }

    /// <summary>A record's encoded term list and body (thread-safe).</summary>
    public (byte[] List, byte[] Body) ReadRaw(int ordinal)
    {
        var list = new byte[checked((int)(_lists[ordinal + 1] - _lists[ordinal]))];
        var body = new byte[checked((int)(_bodies[ordinal + 1] - _bodies[ordinal]))];
        ReadExactly(_file, list, _lists[ordinal]);
        ReadExactly(_file, body, _bodies[ordinal]);
        return (list, body);
    }

    /// <summary>The store ids of a record's terms, in first-occurrence order, without its body (thread-safe).</summary>
    public int[] ReadTerms(int ordinal)
    {
        try
        {
            var list = new byte[checked((int)(_lists[ordinal + 1] - _lists[ordinal]))];
            ReadExactly(_file, list, _lists[ordinal]);
            int[] ids = [];
            ProfileCodec.ReadList(list, ref ids, out var count);
            return ids.Length == count ? ids : ids[..count];
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw Damaged(ordinal, e);
        }
    }

    /// <summary>A record's profile parts, with the store ids of its terms (thread-safe).</summary>
    public ProfileParts Read(int ordinal, out int[] storeIds)
    {
        try
        {
            var (list, body) = ReadRaw(ordinal);
            storeIds = [];
            var length = ProfileCodec.ReadList(list, ref storeIds, out var count);
            if (storeIds.Length != count)
            {
                storeIds = storeIds[..count];
            }

            return ProfileCodec.ReadBody(body, count, length);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw Damaged(ordinal, e);
        }
    }

    /// <summary>A record's profile parts read into this thread's <paramref name="buffers"/>: the store ids of its terms in
    /// <see cref="ReadBuffers.Ids"/>[..<paramref name="count"/>], its per-term data and word pairs there too (the parts'
    /// arrays for them are empty). Thread-safe; nothing but the parts and what the profile keeps is allocated.</summary>
    public ProfileParts Read(int ordinal, ReadBuffers buffers, out int count)
    {
        try
        {
            var list = buffers.ListBytes(checked((int)(_lists[ordinal + 1] - _lists[ordinal])));
            var body = buffers.BodyBytes(checked((int)(_bodies[ordinal + 1] - _bodies[ordinal])));
            ReadExactly(_file, list, _lists[ordinal]);
            ReadExactly(_file, body, _bodies[ordinal]);
            var length = ProfileCodec.ReadList(list, ref buffers.Ids, out count);
            return ProfileCodec.ReadBody(body, count, length, buffers);
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException)
        {
            throw Damaged(ordinal, e);
        }
    }

    private IndexMismatchException Damaged(int ordinal, Exception e) => new(
        $"{Path}: the profile of record {Ids[ordinal]} is damaged ({e.Message}); run `matching index --rebuild` to rewrite the index.", e);

    public void Dispose() => _file.Dispose();

    /// <summary>Writes a store: records in ordinal id order, each as its term list (in any id space) and body, the term
    /// ids renumbered in first-occurrence order. Atomic: a temporary file renamed into place.</summary>
    /// <param name="folder">The folder of the stores.</param>
    /// <param name="kind">Achievements or demands.</param>
    /// <param name="token">The record set's token (<see cref="TokenOf"/>).</param>
    /// <param name="ids">The ids, in ordinal order.</param>
    /// <param name="read">The encoded term list and body of the i-th record.</param>
    /// <param name="termOf">The string of a term id of the lists <paramref name="read"/> gives.</param>
    /// <param name="termIds">How many term ids those lists may use.</param>
    public static string Write(string folder, RecordKind kind, string token, IReadOnlyList<string> ids, Func<int, (byte[] List, byte[] Body)> read,
        Func<int, string> termOf, int termIds)
    {
        Directory.CreateDirectory(folder);
        var path = FileOf(folder, kind, token);
        var temp = path + $".{Environment.ProcessId}.tmp";
        var listsTemp = temp + ".lists";
        try
        {
            var final = new int[termIds];
            Array.Fill(final, -1);
            var terms = new List<string>();
            var bodies = new long[ids.Count + 1];
            var lists = new long[ids.Count + 1];
            using (var main = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var listStream = new FileStream(listsTemp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose))
            {
                main.Write(new byte[HeaderSize]);
                var list = new ByteWriter();
                var local = new int[64];
                for (var i = 0; i < ids.Count; i++)
                {
                    var (listBytes, body) = read(i);
                    var length = ProfileCodec.ReadList(listBytes, ref local, out var count);
                    for (var j = 0; j < count; j++)
                    {
                        ref var id = ref final[local[j]];
                        if (id < 0)
                        {
                            id = terms.Count;
                            terms.Add(termOf(local[j]));
                        }

                        local[j] = id;
                    }

                    list.Clear();
                    ProfileCodec.WriteList(list, length, local.AsSpan(0, count));
                    bodies[i] = main.Position;
                    main.Write(body);
                    lists[i] = listStream.Position;
                    listStream.Write(list.Written);
                }

                var listsOffset = main.Position;
                bodies[ids.Count] = listsOffset;
                lists[ids.Count] = listStream.Position;
                listStream.Position = 0;
                listStream.CopyTo(main);
                var idsOffset = main.Position;
                for (var i = 0; i < lists.Length; i++)
                {
                    lists[i] += listsOffset;
                }

                var tail = new MemoryStream();
                long termsOffset, indexOffset;
                using (var writer = new BinaryWriter(tail, Encoding.UTF8, leaveOpen: true))
                {
                    foreach (var id in ids)
                    {
                        writer.Write(id);
                    }

                    termsOffset = idsOffset + tail.Position;
                    foreach (var term in terms)
                    {
                        writer.Write(term);
                    }

                    indexOffset = idsOffset + tail.Position;
                    foreach (var offset in bodies)
                    {
                        writer.Write(offset);
                    }

                    foreach (var offset in lists)
                    {
                        writer.Write(offset);
                    }
                }

                var header = new MemoryStream(HeaderSize);
                using (var writer = new BinaryWriter(header, Encoding.ASCII, leaveOpen: true))
                {
                    writer.Write(Encoding.ASCII.GetBytes(Magic));
                    writer.Write(FormatVersion);
                    writer.Write((int)kind);
                    writer.Write((long)ids.Count);
                    writer.Write((long)terms.Count);
                    writer.Write(listsOffset);
                    writer.Write(idsOffset);
                    writer.Write(termsOffset);
                    writer.Write(indexOffset);
                }

                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                sha.AppendData(header.GetBuffer(), 0, (int)header.Length);
                sha.AppendData(tail.GetBuffer(), 0, (int)tail.Length);
                main.Write(tail.GetBuffer(), 0, (int)tail.Length);
                main.Write(sha.GetHashAndReset());
                main.Position = 0;
                main.Write(header.GetBuffer(), 0, (int)header.Length);
                main.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Deletes the stores of <paramref name="kind"/> other than <paramref name="keep"/>'s, and stale temporary files
    /// (a store still open elsewhere is left for the next time).</summary>
    public static void DeleteOthers(string folder, RecordKind kind, string? keep)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        var prefix = kind.ToString().ToLowerInvariant() + ".";
        var kept = keep is null ? null : System.IO.Path.GetFileName(FileOf(folder, kind, keep));
        foreach (var file in Directory.EnumerateFiles(folder, prefix + "*"))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name == kept || !(name.EndsWith(".prof", StringComparison.Ordinal) || name.EndsWith(".tmp", StringComparison.Ordinal)))
            {
                continue;
            }

            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Open by a reader (Windows): the next update deletes it.
            }
        }
    }
}
