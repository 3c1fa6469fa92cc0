using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

namespace Matching.Indexing;

/// <summary>BM25 (k1 1.2, b 0.75) with document lengths stored as Lucene 8 stores them.</summary>
/// <remarks>Lucene.Net 4.8 squeezes a field's length into one coarse byte (1/√length as a 3-bit-mantissa
/// float), so many lengths share a value and its rankings drift from Lucene 8's (top-10 overlap ≈ .92 on
/// CSL). Lucene 8 stores small lengths exactly and larger ones with 4 significant bits; with the same
/// encoding and the average length taken over documents that have the field, rankings match.</remarks>
internal sealed class Lucene8Bm25Similarity : BM25Similarity
{
    // SmallFloat.intToByte4 in Lucene 8: values below 24 exactly, then a 4-bit float.
    private const int NumFreeValues = 24;

    public Lucene8Bm25Similarity() : base(1.2f, 0.75f) { }

    protected override byte EncodeNormValue(float boost, int fieldLength) => IntToByte4(fieldLength);

    protected override float DecodeNormValue(byte b) => Byte4ToInt(b);

    protected override float AvgFieldLength(CollectionStatistics collectionStats)
    {
        var sumTotalTermFreq = collectionStats.SumTotalTermFreq;
        var docCount = collectionStats.DocCount > 0 ? collectionStats.DocCount : collectionStats.MaxDoc;
        return sumTotalTermFreq <= 0 || docCount <= 0 ? 1f : (float)(sumTotalTermFreq / (double)docCount);
    }

    /// <summary>BM25's idf as <see cref="BM25Similarity"/> computes it (log(1 + (maxDoc − df + 0.5) / (df + 0.5))).</summary>
    internal float IdfOf(long docFreq, long maxDoc) => Idf(docFreq, maxDoc);

    /// <summary>The length part of BM25's denominator for each stored length byte, computed as
    /// <see cref="BM25Similarity.ComputeWeight"/> does: k1 × ((1 − b) + b × length / avgdl).</summary>
    internal float[] LengthNormCache(CollectionStatistics collectionStats)
    {
        var averageLength = AvgFieldLength(collectionStats);
        var cache = new float[256];
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i] = K1 * ((1 - B) + (B * DecodeNormValue((byte)i) / averageLength));
        }

        return cache;
    }

    internal static byte IntToByte4(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value < NumFreeValues ? (byte)value : (byte)(NumFreeValues + LongToInt4(value - NumFreeValues));
    }

    internal static int Byte4ToInt(byte b) => b < NumFreeValues ? b : (int)(NumFreeValues + Int4ToLong(b - NumFreeValues));

    private static int LongToInt4(long value)
    {
        var numBits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        if (numBits < 4)
        {
            return (int)value;
        }

        var shift = numBits - 4;
        var encoded = (int)((ulong)value >> shift) & 0x07;
        return encoded | ((shift + 1) << 3);
    }

    private static long Int4ToLong(int value)
    {
        long bits = value & 0x07;
        var shift = (value >> 3) - 1;
        return shift == -1 ? bits : (bits | 0x08) << shift;
    }
}
