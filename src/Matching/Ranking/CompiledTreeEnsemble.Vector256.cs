using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Matching.Ranking;

/// <summary>The 256-bit kernel for machines without AVX-512 (AVX2): 8 rows per vector, cross-platform
/// <see cref="Vector256"/> operations only.</summary>
internal sealed partial class CompiledTreeEnsemble
{
    private void ScoreBlocksVector256(ReadOnlySpan<float> rows, int count, Span<float> scores, Span<float> tile)
    {
        int features = FeatureCount;
        int r = 0;
        for (; count - r >= 32; r += 32)
        {
            BlockVector256<FourVectors>(rows.Slice(r * features, 32 * features), 32, tile, scores.Slice(r, 32));
        }

        for (; r < count; r += 8)
        {
            int live = Math.Min(8, count - r);
            BlockVector256<OneVector>(rows.Slice(r * features, live * features), live, tile, scores.Slice(r, live));
        }
    }

    /// <remarks>Without lane masks or a vector lzcnt the kernel keeps leaf 0 in bit 0 instead: a node clears
    /// its left subtree with an and-not, and the exit leaf is the lowest surviving bit, isolated as
    /// <c>k &amp; -k</c> (a power of two, so its conversion to float is exact) and read off the float's
    /// exponent. Leaf values are then fetched lane by lane from the same double tables.</remarks>
    private void BlockVector256<TWidth>(ReadOnlySpan<float> rows, int live, Span<float> tile, Span<float> scores)
        where TWidth : struct, IBlockWidth
    {
        const int Lanes = 8;
        FillTile(rows, live, tile);
        ref float tile0 = ref MemoryMarshal.GetReference(tile);
        uint[] leftLeaves = _leftLeavesLsb!;
        Span<int> positions = stackalloc int[4 * Lanes];
        Span<double> sums = stackalloc double[4 * Lanes];
        var exponentBias = Vector256.Create(127);

        int node = 0;
        for (int t = 0; t < TreeCount; t++)
        {
            int end = _treeStart[t + 1];
            var keep0 = Vector256<uint>.AllBitsSet;
            var keep1 = Vector256<uint>.AllBitsSet;
            var keep2 = Vector256<uint>.AllBitsSet;
            var keep3 = Vector256<uint>.AllBitsSet;
            for (; node < end; node++)
            {
                ref float x = ref Unsafe.Add(ref tile0, _nodes[node].TileOffset);
                var threshold = Vector256.Create(_nodes[node].Threshold);
                var left = Vector256.Create(leftLeaves[node]);
                // Clear the left subtree where the row does not go left: left & ~(x <= t), so NaN goes right.
                keep0 = Vector256.AndNot(keep0, Vector256.AndNot(left, Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x), threshold).AsUInt32()));
                if (TWidth.Vectors >= 4)
                {
                    keep1 = Vector256.AndNot(keep1, Vector256.AndNot(left, Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, 8), threshold).AsUInt32()));
                    keep2 = Vector256.AndNot(keep2, Vector256.AndNot(left, Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, 16), threshold).AsUInt32()));
                    keep3 = Vector256.AndNot(keep3, Vector256.AndNot(left, Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, 24), threshold).AsUInt32()));
                }
            }

            LowestBit(keep0, exponentBias).CopyTo(positions);
            if (TWidth.Vectors >= 4)
            {
                LowestBit(keep1, exponentBias).CopyTo(positions[Lanes..]);
                LowestBit(keep2, exponentBias).CopyTo(positions[(2 * Lanes)..]);
                LowestBit(keep3, exponentBias).CopyTo(positions[(3 * Lanes)..]);
            }

            // Lanes past the live rows are never written out, so they are not summed either.
            ReadOnlySpan<double> table = _leaves.AsSpan(t * MaskLeaves, MaskLeaves);
            for (int lane = 0; lane < live; lane++)
            {
                sums[lane] += table[positions[lane] & (MaskLeaves - 1)];
            }
        }

        for (int lane = 0; lane < live; lane++)
        {
            scores[lane] = (float)sums[lane];
        }
    }

    private static Vector256<int> LowestBit(Vector256<uint> keep, Vector256<int> exponentBias)
    {
        var lowest = keep & (Vector256<uint>.Zero - keep);
        var asFloat = Vector256.ConvertToSingle(lowest.AsInt32()).AsInt32();
        return (Vector256.ShiftRightLogical(asFloat, 23) & Vector256.Create(0xFF)) - exponentBias;
    }
}
