using Matching.Indexing;

namespace Matching.Features;

/// <summary>Keeps an index's <see cref="ProfileStore"/> in step with an update of it: profiles each record the update
/// writes (on the indexing threads, into a temporary spill file) and, before the commit, writes the store of the
/// updated index — the unchanged records' profiles copied from the previous store, never segmented again.</summary>
/// <remarks>An index without a store (built by an older version, or whose store is missing or damaged) gets one only
/// when every record it keeps is written by the update; otherwise it stays without, and batches build profiles as
/// they always did.</remarks>
internal sealed class ProfileStoreUpdate : IIndexSidecar
{
    private readonly string _folder;
    private readonly RecordKind _kind;
    private readonly ProfileStore? _previous;
    private readonly TermDictionary _terms;
    private readonly ProfileBuilder _builder;
    private readonly FileStream _spill;
    private readonly object _spillLock = new();
    private readonly List<(string Id, string Hash, long Offset, int ListLength, int BodyLength)> _written = [];
    private readonly ThreadLocal<(ByteWriter List, ByteWriter Body)> _buffers = new(() => (new ByteWriter(), new ByteWriter()));
    private string? _token;

    public ProfileStoreUpdate(string folder, RecordKind kind, string? previousToken)
    {
        _folder = folder;
        _kind = kind;
        Directory.CreateDirectory(folder);
        _previous = previousToken is null ? null : ProfileStore.TryOpen(folder, kind, previousToken);
        // The previous store's ids stay the ids of its terms, so its term lists are copied as they are.
        _terms = new TermDictionary(_previous?.Terms ?? []);
        _builder = new ProfileBuilder(new TermDictionary());
        _spill = new FileStream(
            Path.Combine(folder, $"{kind.ToString().ToLowerInvariant()}.{Guid.NewGuid():N}.spill.tmp"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
    }

    /// <summary>The factory <see cref="IndexBuilder.Begin"/> takes, for the stores in <paramref name="folder"/>.</summary>
    public static Func<string?, IIndexSidecar> For(string folder, RecordKind kind) => previous => new ProfileStoreUpdate(folder, kind, previous);

    public void Written(IndexedRecord record)
    {
        // The profile of the record as the index stores it, exactly as a batch would build it from the index.
        var analyzed = _kind == RecordKind.Achievements
            ? _builder.Analyze(IndexedRecord.ToAchievement(record.SourceJson))
            : _builder.Analyze(IndexedRecord.ToDemand(record.SourceJson));
        var parts = ProfileBuilder.Parts(analyzed);
        var ids = new int[parts.TermStrings!.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = _terms.GetOrAdd(parts.TermStrings[i]);
        }

        var (list, body) = _buffers.Value;
        list.Clear();
        body.Clear();
        ProfileCodec.WriteList(list, parts.Length, ids);
        ProfileCodec.WriteBody(body, parts);
        lock (_spillLock)
        {
            var offset = _spill.Position;
            _spill.Write(list.Written);
            _spill.Write(body.Written);
            _written.Add((record.Id, record.Hash, offset, list.Length, body.Length));
        }
    }

    public string? Prepare(IReadOnlyDictionary<string, string> existing, IReadOnlySet<string> deleted)
    {
        var written = new Dictionary<string, int>(_written.Count, StringComparer.Ordinal);
        for (var i = 0; i < _written.Count; i++)
        {
            written[_written[i].Id] = i;
        }

        // (id, content hash, previous ordinal or −1 − index in the spill)
        var records = new List<(string Id, string Hash, int Source)>(existing.Count + _written.Count);
        foreach (var (id, hash) in existing)
        {
            if (deleted.Contains(id) || written.ContainsKey(id))
            {
                continue;
            }

            var ordinal = _previous?.IndexOf(id) ?? -1;
            if (ordinal < 0)
            {
                // A kept record without a stored profile: no complete store can be written without segmenting it.
                return null;
            }

            records.Add((id, hash, ordinal));
        }

        foreach (var (id, index) in written)
        {
            records.Add((id, _written[index].Hash, -1 - index));
        }

        records.Sort((x, y) => string.CompareOrdinal(x.Id, y.Id));
        var token = ProfileStore.TokenOf(_kind, records.Select(r => (r.Id, r.Hash)));
        if (token == _previous?.Token)
        {
            _token = token;
            return token;
        }

        _spill.Flush();
        var strings = _terms.Strings();
        ProfileStore.Write(_folder, _kind, token, [.. records.Select(r => r.Id)], i => Read(records[i].Source), id => strings[id], strings.Length);
        _token = token;
        return token;
    }

    private (byte[] List, byte[] Body) Read(int source)
    {
        if (source >= 0)
        {
            return _previous!.ReadRaw(source);
        }

        var (_, _, offset, listLength, bodyLength) = _written[-1 - source];
        var list = new byte[listLength];
        var body = new byte[bodyLength];
        ProfileStore.ReadExactly(_spill.SafeFileHandle, list, offset);
        ProfileStore.ReadExactly(_spill.SafeFileHandle, body, offset + listLength);
        return (list, body);
    }

    public void Committed() => ProfileStore.DeleteOthers(_folder, _kind, _token);

    public void Dispose()
    {
        _spill.Dispose();
        _previous?.Dispose();
        _buffers.Dispose();
    }
}
