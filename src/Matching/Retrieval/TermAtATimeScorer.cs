using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Matching.Indexing;

namespace Matching.Retrieval;

/// <summary>One scored clause of a query: a term (and its UTF-8 bytes) in one field, with its boost and looked-up
/// term states.</summary>
internal readonly record struct ScoredClause(int Field, string Term, BytesRef Bytes, float Boost, TermContext States);

/// <summary>BM25 top-k over a disjunction of term clauses, scored term at a time into one accumulator per document.
/// Gives the scores and the top-k of Lucene's <see cref="BooleanQuery"/> of SHOULD <see cref="TermQuery"/> clauses
/// (without coord) bit for bit, at a fraction of its cost per posting. Thread-safe.</summary>
/// <remarks>
/// <para>Lucene 4.8 scores such a query with its BooleanScorer: windows of 2,048 documents, a bucket object per
/// document, a linked list of the buckets hit, a virtual collector call and a virtual similarity call (which reads the
/// length norm through another virtual call) for every posting, and a priority-queue check for every matching
/// document. Long demand texts (150–300 terms, three fields each) against a million achievements touch tens of
/// millions of postings a query, so that per-posting overhead is the cost of retrieval.</para>
/// <para>Here each clause's postings are walked once, its BM25 weight (idf × boost × (k1 + 1)) and the per-field
/// length table are computed once, the length bytes are read from arrays filled when the index was opened, and
/// scores are summed into a per-thread array of doubles. The arithmetic is Lucene's own, in the same order:
/// each clause's score in single precision as <c>BM25DocScorer</c> computes it, summed in double precision over
/// the clauses in the order BooleanScorer visits them (the last clause first), then rounded to single precision.
/// Ties at the cut keep the lower document number, as Lucene's collector does, or the lower id when the caller gives
/// the ids (document numbers depend on indexing threads and segments; ids do not).</para>
/// <para>Memory: a length byte per document and field, 8 bytes per document for each thread's accumulators (8 MB a
/// thread at 1M records), and the kept postings lists (see <see cref="ScorerSettings"/>).</para>
/// </remarks>
internal sealed class TermAtATimeScorer : IDisposable
{
    private readonly IndexReader _reader;
    private readonly Lucene8Bm25Similarity _similarity;
    private readonly AtomicReaderContext[] _leaves;
    private readonly string[] _fields;

    /// <summary>Length bytes, [leaf][field][doc]; null where a segment lacks the field.</summary>
    private readonly byte[]?[][] _norms;

    /// <summary>The length part of BM25's denominator per field and length byte (index-wide statistics).</summary>
    private readonly float[][] _lengthNorms;
    private readonly ThreadLocal<double[]> _accumulators;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Leaf, int Field, string Term), Postings> _cache = new();
    private long _cachedBytes;
    private readonly ScorerSettings _settings;

    /// <summary>Lists shorter than this are decoded each time: <see cref="ScorerSettings.CacheMinDocFreq"/>, or 1 on a
    /// small index (every list it reads is kept).</summary>
    private readonly int _minCachedDocFreq;

    public TermAtATimeScorer(IndexSearcher searcher, Lucene8Bm25Similarity similarity, string[] fields, ScorerSettings? settings = null)
    {
        _settings = settings ?? new ScorerSettings();
        _reader = searcher.IndexReader;
        _similarity = similarity;
        _fields = fields;
        _leaves = [.. _reader.Leaves];
        _lengthNorms = [.. fields.Select(f => similarity.LengthNormCache(searcher.CollectionStatistics(f)))];
        _norms = new byte[]?[_leaves.Length][];
        for (var l = 0; l < _leaves.Length; l++)
        {
            var segment = _leaves[l].AtomicReader;
            _norms[l] = new byte[]?[fields.Length];
            for (var f = 0; f < fields.Length; f++)
            {
                if (segment.GetNormValues(fields[f]) is not { } values)
                {
                    continue;
                }

                var bytes = new byte[segment.MaxDoc];
                for (var doc = 0; doc < bytes.Length; doc++)
                {
                    bytes[doc] = (byte)values.Get(doc);
                }

                _norms[l][f] = bytes;
            }
        }

        var maxDoc = _reader.MaxDoc;
        _accumulators = new ThreadLocal<double[]>(() => new double[maxDoc]);
        _minCachedDocFreq = maxDoc <= _settings.SmallIndexDocs ? 1 : _settings.CacheMinDocFreq;
    }

    /// <summary>Memory held by kept postings lists, in bytes.</summary>
    public long CachedBytes => Interlocked.Read(ref _cachedBytes);

    /// <summary>Lets go of the per-thread accumulators and the kept lists.</summary>
    public void Dispose()
    {
        _accumulators.Dispose();
        _cache.Clear();
    }

    /// <summary>The <paramref name="count"/> best documents (score descending, then document number, or then id when
    /// <paramref name="idsForTies"/> is given), with their scores.</summary>
    /// <param name="clauses">The query.</param>
    /// <param name="count">Documents kept.</param>
    /// <param name="idsForTies">Record id per document: equal scores are then ordered by id (ordinal), so which of
    /// many tied documents make the cut does not depend on document numbers, which vary with indexing threads.
    /// Null: by document number, as Lucene's collector orders them.</param>
    public List<ScoreDoc> Top(IReadOnlyList<ScoredClause> clauses, int count, string?[]? idsForTies = null)
    {
        var scores = _accumulators.Value!;
        try
        {
            return Accumulate(scores, clauses, count, idsForTies);
        }
        catch
        {
            Array.Clear(scores);
            throw;
        }
    }

    // Fully optimised from the first call: one query runs these loops millions of times, so there is nothing to
    // gain from tiered compilation's unoptimised first version.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private List<ScoreDoc> Accumulate(double[] scores, IReadOnlyList<ScoredClause> clauses, int count, string?[]? idsForTies)
    {
        var k1Plus1 = _similarity.K1 + 1;
        var minDoc = int.MaxValue;
        var maxDoc = -1;
        var termsEnums = new TermsEnum?[_fields.Length];
        var lists = new Postings[clauses.Count];
        var cursors = new int[clauses.Count];
        var weights = new float[clauses.Count];
        for (var c = 0; c < clauses.Count; c++)
        {
            weights[c] = _similarity.IdfOf(clauses[c].States.DocFreq, _reader.MaxDoc) * clauses[c].Boost * k1Plus1;
        }

        var rented = new List<Postings>();
        using var tables = new ScoreTables(clauses.Count);
        try
        {
            for (var l = 0; l < _leaves.Length; l++)
            {
                var leaf = _leaves[l];
                var segment = leaf.AtomicReader;
                Array.Clear(termsEnums);
                Array.Clear(cursors);
                for (var c = 0; c < clauses.Count; c++)
                {
                    lists[c] = default;
                    var clause = clauses[c];
                    if (clause.States.Get(leaf.Ord) is not { } state
                        || (termsEnums[clause.Field] ??= segment.GetTerms(_fields[clause.Field])?.GetEnumerator()) is not { } termsEnum)
                    {
                        continue;
                    }

                    lists[c] = Cached(l, clause, termsEnum, state, segment.LiveDocs) ?? Decode(termsEnum, clause, state, segment.LiveDocs, rented);
                }

                var docBase = leaf.DocBase;
                for (var windowStart = 0; windowStart < segment.MaxDoc; windowStart += _settings.Window)
                {
                    var windowEnd = Math.Min(segment.MaxDoc, windowStart + _settings.Window);
                    // BooleanScorer chains its sub-scorers by prepending, so it adds the last clause's score first.
                    for (var c = clauses.Count - 1; c >= 0; c--)
                    {
                        var list = lists[c];
                        var i = cursors[c];
                        if (i >= list.Count)
                        {
                            continue;
                        }

                        var docs = list.Docs;
                        var weight = weights[c];
                        var lengthNorms = _lengthNorms[clauses[c].Field];
                        var end = list.Count;
                        if (list.Codes is { } codes)
                        {
                            // Frequency and length byte packed in one code: a table of this clause's score per code
                            // when the list is long enough to repay it (the same float operations, so the same bits).
                            var table = list.Count >= _settings.PostingsPerTableEntry * ((list.MaxFreq + 1) << 8) ? tables.For(c, weight, list.MaxFreq, lengthNorms) : null;
                            if (table is not null)
                            {
                                i = AddFromTable(scores, docBase, docs, codes, table, i, end, windowEnd);
                            }
                            else
                            {
                                for (; i < end; i++)
                                {
                                    var doc = docs[i];
                                    if (doc >= windowEnd)
                                    {
                                        break;
                                    }

                                    float freq = codes[i] >> 8;
                                    scores[docBase + doc] += weight * freq / (freq + lengthNorms[codes[i] & 0xFF]);
                                }
                            }
                        }
                        else
                        {
                            var freqs = list.Freqs!;
                            var norms = _norms[l][clauses[c].Field];
                            for (; i < end; i++)
                            {
                                var doc = docs[i];
                                if (doc >= windowEnd)
                                {
                                    break;
                                }

                                float freq = freqs[i];
                                var norm = norms is null ? _similarity.K1 : lengthNorms[norms[doc]];
                                scores[docBase + doc] += weight * freq / (freq + norm);
                            }
                        }

                        cursors[c] = i;
                    }
                }

                for (var c = 0; c < clauses.Count; c++)
                {
                    if (lists[c].Count > 0)
                    {
                        minDoc = Math.Min(minDoc, docBase + lists[c].Docs[0]);
                        maxDoc = Math.Max(maxDoc, docBase + lists[c].Docs[lists[c].Count - 1]);
                    }
                }
            }
        }
        finally
        {
            foreach (var list in rented)
            {
                System.Buffers.ArrayPool<int>.Shared.Return(list.Docs);
                System.Buffers.ArrayPool<int>.Shared.Return(list.Freqs!);
            }
        }

        return Collect(scores, minDoc, maxDoc, count, idsForTies);
    }

    /// <summary>Adds a kept list's scores from its table for the postings before <paramref name="windowEnd"/>;
    /// returns where it stopped.</summary>
    /// <remarks>The hottest loop of retrieval (millions of postings a query): array bounds are checked once, up
    /// front, instead of four times a posting. Codes index the table (its size covers the list's largest
    /// frequency), and documents of the segment are below <paramref name="scores"/>' length less the segment's base.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int AddFromTable(double[] scores, int docBase, int[] docs, ushort[] codes, float[] table, int i, int end, int windowEnd)
    {
        if ((uint)end > (uint)docs.Length || (uint)end > (uint)codes.Length || (uint)i > (uint)end)
        {
            throw new ArgumentOutOfRangeException(nameof(end));
        }

        ref var doc0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(docs);
        ref var code0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(codes);
        ref var table0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(table);
        ref var scores0 = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(scores);
        for (; i < end; i++)
        {
            var doc = System.Runtime.CompilerServices.Unsafe.Add(ref doc0, i);
            if (doc >= windowEnd)
            {
                break;
            }

            System.Runtime.CompilerServices.Unsafe.Add(ref scores0, docBase + doc) +=
                System.Runtime.CompilerServices.Unsafe.Add(ref table0, System.Runtime.CompilerServices.Unsafe.Add(ref code0, i));
        }

        return i;
    }

    /// <summary>For the scale benchmark: walks the clauses' postings through Lucene's <see cref="DocsEnum"/> without
    /// scoring (what decoding alone costs) and counts them.</summary>
    internal long CountPostings(IReadOnlyList<ScoredClause> clauses, bool freqs)
    {
        long n = 0;
        DocsEnum? docs = null;
        foreach (var leaf in _leaves)
        {
            foreach (var clause in clauses)
            {
                var state = clause.States.Get(leaf.Ord);
                if (state is null)
                {
                    continue;
                }

                var termsEnum = leaf.AtomicReader.GetTerms(_fields[clause.Field])!.GetEnumerator();
                termsEnum.SeekExact(clause.Bytes, state);
                docs = termsEnum.Docs(leaf.AtomicReader.LiveDocs, docs, freqs ? DocsFlags.FREQS : DocsFlags.NONE);
                while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                {
                    n += freqs ? docs.Freq : 1;
                }
            }
        }

        return n;
    }

    /// <summary>A long postings list decoded once and kept (documents of one segment, live ones only, with their
    /// frequencies), or null for a short list (cheaper to decode each time) or when the cache is full.</summary>
    /// <remarks>Lucene.Net's block decoding costs about 10 ns a posting, and long demand texts share their common
    /// terms: at 1M achievements a query walks about 5 million postings, most of them in lists every query reads.
    /// Kept as arrays, a posting costs a few nanoseconds. The reader is a fixed snapshot, so a kept list never goes
    /// stale; the cache holds at most <see cref="ScorerSettings.CacheBudgetBytes"/>.</remarks>
    private Postings? Cached(int leaf, ScoredClause clause, TermsEnum termsEnum, TermState state, IBits? live)
    {
        if (clause.States.DocFreq < _minCachedDocFreq)
        {
            return null;
        }

        var key = (leaf, clause.Field, clause.Term);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (Interlocked.Read(ref _cachedBytes) >= _settings.CacheBudgetBytes)
        {
            return null;
        }

        termsEnum.SeekExact(clause.Bytes, state);
        var docsEnum = termsEnum.Docs(live, null, DocsFlags.FREQS);
        var docs = new List<int>(clause.States.DocFreq);
        var freqs = new List<int>(clause.States.DocFreq);
        var maxFreq = 0;
        int doc;
        while ((doc = docsEnum.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
        {
            docs.Add(doc);
            freqs.Add(docsEnum.Freq);
            maxFreq = Math.Max(maxFreq, docsEnum.Freq);
        }

        var norms = _norms[leaf][clause.Field];
        if (norms is not null && maxFreq <= byte.MaxValue)
        {
            // The length byte is fixed for the reader's snapshot: pack it with the frequency, 6 bytes a posting.
            var codes = new ushort[docs.Count];
            for (var i = 0; i < codes.Length; i++)
            {
                codes[i] = (ushort)((freqs[i] << 8) | norms[docs[i]]);
            }

            cached = new Postings([.. docs], null, codes, docs.Count, maxFreq);
        }
        else
        {
            cached = new Postings([.. docs], [.. freqs], null, docs.Count, maxFreq);
        }

        if (_cache.TryAdd(key, cached))
        {
            Interlocked.Add(ref _cachedBytes, (cached.Count * (cached.Codes is null ? 8L : 6L)) + 64);
        }

        return _cache[key];
    }

    /// <summary>A short list decoded into pooled arrays for this query (returned by the caller).</summary>
    private static Postings Decode(TermsEnum termsEnum, ScoredClause clause, TermState state, IBits? live, List<Postings> rented)
    {
        termsEnum.SeekExact(clause.Bytes, state);
        var docsEnum = termsEnum.Docs(live, null, DocsFlags.FREQS);
        var capacity = Math.Max(1, clause.States.DocFreq);
        var docs = System.Buffers.ArrayPool<int>.Shared.Rent(capacity);
        var freqs = System.Buffers.ArrayPool<int>.Shared.Rent(capacity);
        var list = new Postings(docs, freqs, null, 0, 0);
        rented.Add(list);
        var n = 0;
        int doc;
        while ((doc = docsEnum.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
        {
            docs[n] = doc;
            freqs[n] = docsEnum.Freq;
            n++;
        }

        return list with { Count = n };
    }


    /// <summary>A postings list as arrays: segment document numbers (live documents only) and either their
    /// frequencies or, for kept lists, codes of frequency × 256 + length byte.</summary>
    private readonly record struct Postings(int[] Docs, int[]? Freqs, ushort[]? Codes, int Count, int MaxFreq);

    /// <summary>The best <paramref name="count"/> of the accumulated documents; clears what it read.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static List<ScoreDoc> Collect(double[] scores, int minDoc, int maxDoc, int count, string?[]? ids)
    {
        // A min-heap on (score, −doc) or (score, −id): its root is the weakest kept hit.
        var heap = new PriorityQueue<int, (float Score, int Doc)>(count + 1, ids is null ? Weakest.ByDoc : new Weakest(ids));
        var floor = float.NegativeInfinity;
        var floorDoc = -1;
        for (var doc = minDoc; doc <= maxDoc; doc++)
        {
            var sum = scores[doc];
            if (sum == 0)
            {
                continue;
            }

            scores[doc] = 0;
            var score = (float)sum;
            if (heap.Count == count)
            {
                // Documents come in increasing order, so by document number an equal score loses to the one already
                // kept; by id it wins when its id sorts before the weakest kept one's.
                if (score < floor || (score == floor && (ids is null || string.CompareOrdinal(ids[doc], ids[floorDoc]) > 0)))
                {
                    continue;
                }

                heap.Dequeue();
            }

            heap.Enqueue(doc, (score, doc));
            if (heap.Count == count)
            {
                heap.TryPeek(out floorDoc, out var weakest);
                floor = weakest.Score;
            }
        }

        var hits = new List<ScoreDoc>(heap.Count);
        while (heap.TryDequeue(out var doc, out var key))
        {
            hits.Add(new ScoreDoc(doc, key.Score));
        }

        hits.Reverse();
        return hits;
    }

    /// <summary>Orders hits weakest first: lower score, then (equal scores) the larger document number or id.</summary>
    private sealed class Weakest(string?[]? ids) : IComparer<(float Score, int Doc)>
    {
        public static readonly Weakest ByDoc = new(null);

        public int Compare((float Score, int Doc) x, (float Score, int Doc) y)
        {
            var byScore = x.Score.CompareTo(y.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            return ids is null ? y.Doc.CompareTo(x.Doc) : string.CompareOrdinal(ids[y.Doc], ids[x.Doc]);
        }
    }
}

/// <summary>Tuning of <see cref="TermAtATimeScorer"/> (tests shrink them to reach every path on a small index).</summary>
internal sealed record ScorerSettings
{
    /// <summary>Lists shorter than this are decoded from the index each time.</summary>
    public int CacheMinDocFreq { get; init; } = 256;

    /// <summary>An index of at most this many documents keeps every list it reads, short ones too. An event's
    /// smaller side (a few thousand demands) is queried by every achievement: each query reads hundreds of short
    /// lists, and decoding one from the index (a seek, a block, a lock on an in-memory file) costs more than
    /// scoring it. Its lists are few and small, so keeping them all costs little memory.</summary>
    public int SmallIndexDocs { get; init; } = 50_000;

    /// <summary>The most memory kept postings may take (6 bytes a posting: 1.5 GiB is 268 million postings).</summary>
    public long CacheBudgetBytes { get; init; } = 3L << 29;

    /// <summary>Documents scored per pass over the clauses: the accumulators and length bytes of a window stay in
    /// the core's cache while every clause adds to them.</summary>
    public int Window { get; init; } = 1 << 15;

    /// <summary>A kept list is scored through a per-query table of its (frequency, length byte) scores when it has
    /// at least this many postings per table entry (the table costs a division an entry).</summary>
    public int PostingsPerTableEntry { get; init; } = 4;
}

/// <summary>One query's score tables: per clause, its score for every (frequency, length byte) code up to a
/// frequency, made on first use and pooled (a query makes hundreds of them).</summary>
internal sealed class ScoreTables(int clauses) : IDisposable
{
    private readonly float[]?[] _tables = new float[]?[clauses];
    private readonly int[] _maxFreqs = new int[clauses];

    /// <summary>The table of a clause covering frequencies up to <paramref name="maxFreq"/>.</summary>
    /// <remarks>The entries depend only on the clause (its weight and the index-wide length table), not the segment,
    /// so a table made for one segment serves the next if it covers that segment's largest frequency. Each entry is
    /// computed with the float operations of the scoring loop, so a looked-up score has the same bits.</remarks>
    public float[] For(int clause, float weight, int maxFreq, float[] lengthNorms)
    {
        if (_tables[clause] is { } made && _maxFreqs[clause] >= maxFreq)
        {
            return made;
        }

        if (_tables[clause] is { } smaller)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(smaller);
        }

        var table = System.Buffers.ArrayPool<float>.Shared.Rent((maxFreq + 1) << 8);
        for (var f = 1; f <= maxFreq; f++)
        {
            float freq = f;
            for (var n = 0; n < 256; n++)
            {
                table[(f << 8) | n] = weight * freq / (freq + lengthNorms[n]);
            }
        }

        _maxFreqs[clause] = maxFreq;
        return _tables[clause] = table;
    }

    public void Dispose()
    {
        for (var i = 0; i < _tables.Length; i++)
        {
            if (_tables[i] is { } table)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(table);
                _tables[i] = null;
            }
        }
    }
}
