using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Matching.Ranking;

/// <summary>The AVX-512 kernels: 16 rows (batch) or 16 trees (single row) per vector.</summary>
internal sealed partial class CompiledTreeEnsemble
{
    /// <summary>Below this many leftover rows, scoring them one by one beats a padded 16-row block
    /// (measured: a 16-row block costs about as much as six or seven single rows).</summary>
    private const int SingleRowTail = 7;

    /// <summary>How many 16-lane vectors a block keeps live; a type parameter so that the JIT compiles one
    /// loop per width with the unused lanes removed.</summary>
    private interface IBlockWidth
    {
        static abstract int Vectors { get; }
    }

    private readonly struct OneVector : IBlockWidth
    {
        public static int Vectors => 1;
    }

    private readonly struct TwoVectors : IBlockWidth
    {
        public static int Vectors => 2;
    }

    private readonly struct FourVectors : IBlockWidth
    {
        public static int Vectors => 4;
    }

    private void ScoreBlocksAvx512(ReadOnlySpan<float> rows, int count, Span<float> scores, Span<float> tile)
    {
        int features = FeatureCount;
        int r = 0;

        // Four vectors per node amortise the node's loads and loop overhead over 64 rows and give the
        // core four independent mask chains; narrower blocks only finish the batch.
        for (; count - r >= 64; r += 64)
        {
            BlockAvx512<FourVectors>(rows.Slice(r * features, 64 * features), 64, tile, scores.Slice(r, 64));
        }

        // A partly filled wide block beats several narrow ones (measured per block: 64 rows ~3.8 us,
        // 32 rows ~2.2 us, 16 rows ~1.5 us, one row ~0.2 us).
        int left = count - r;
        if (left > 48)
        {
            BlockAvx512<FourVectors>(rows.Slice(r * features, left * features), left, tile, scores.Slice(r, left));
            return;
        }

        if (left > 16 + SingleRowTail && left < 32)
        {
            BlockAvx512<TwoVectors>(rows.Slice(r * features, left * features), left, tile, scores.Slice(r, left));
            return;
        }

        if (count - r >= 32)
        {
            BlockAvx512<TwoVectors>(rows.Slice(r * features, 32 * features), 32, tile, scores.Slice(r, 32));
            r += 32;
        }

        for (; count - r >= 16; r += 16)
        {
            BlockAvx512<OneVector>(rows.Slice(r * features, 16 * features), 16, tile, scores.Slice(r, 16));
        }

        int rest = count - r;
        if (rest == 0)
        {
            return;
        }

        if (rest >= SingleRowTail || _groupStart is null)
        {
            BlockAvx512<OneVector>(rows.Slice(r * features, rest * features), rest, tile, scores.Slice(r, rest));
            return;
        }

        for (; r < count; r++)
        {
            scores[r] = ScoreRowAvx512(rows.Slice(r * features, features));
        }
    }

    private void BlockAvx512<TWidth>(ReadOnlySpan<float> rows, int live, Span<float> tile, Span<float> scores)
        where TWidth : struct, IBlockWidth
    {
        FillTile(rows, live, tile);
        ref float tile0 = ref MemoryMarshal.GetReference(tile);
        ref SplitNode split = ref MemoryMarshal.GetArrayDataReference(_nodes);
        ref double leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);

        // Two double accumulators per 16 rows, even rows and odd rows (see AddLeaves).
        var even0 = Vector512<double>.Zero;
        var odd0 = Vector512<double>.Zero;
        var even1 = Vector512<double>.Zero;
        var odd1 = Vector512<double>.Zero;
        var even2 = Vector512<double>.Zero;
        var odd2 = Vector512<double>.Zero;
        var even3 = Vector512<double>.Zero;
        var odd3 = Vector512<double>.Zero;

        for (int t = 0; t < TreeCount; t++)
        {
            ref SplitNode end = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nodes), _treeStart[t + 1]);
            var keep0 = Vector512<uint>.AllBitsSet;
            var keep1 = Vector512<uint>.AllBitsSet;
            var keep2 = Vector512<uint>.AllBitsSet;
            var keep3 = Vector512<uint>.AllBitsSet;
            for (; Unsafe.IsAddressLessThan(ref split, ref end); split = ref Unsafe.Add(ref split, 1))
            {
                ref float x = ref Unsafe.Add(ref tile0, split.TileOffset);
                var threshold = Vector512.Create(split.Threshold);
                var mask = Vector512.Create(split.KeepIfRight);

                // Written as a select so that the JIT emits a compare into a k-register and a masked AND.
                keep0 = Vector512.ConditionalSelect(GoesRight(threshold, ref x, 0), keep0 & mask, keep0);
                if (TWidth.Vectors >= 2)
                {
                    keep1 = Vector512.ConditionalSelect(GoesRight(threshold, ref x, 16), keep1 & mask, keep1);
                }

                if (TWidth.Vectors >= 4)
                {
                    keep2 = Vector512.ConditionalSelect(GoesRight(threshold, ref x, 32), keep2 & mask, keep2);
                    keep3 = Vector512.ConditionalSelect(GoesRight(threshold, ref x, 48), keep3 & mask, keep3);
                }
            }

            ref double table = ref Unsafe.Add(ref leaves, t * MaskLeaves);
            var leaf0 = Vector512.LoadUnsafe(ref table);
            var leaf1 = Vector512.LoadUnsafe(ref table, 8);
            if (!_wideTree[t])
            {
                AddLeaves(keep0, leaf0, leaf1, ref even0, ref odd0);
                if (TWidth.Vectors >= 2)
                {
                    AddLeaves(keep1, leaf0, leaf1, ref even1, ref odd1);
                }

                if (TWidth.Vectors >= 4)
                {
                    AddLeaves(keep2, leaf0, leaf1, ref even2, ref odd2);
                    AddLeaves(keep3, leaf0, leaf1, ref even3, ref odd3);
                }
            }
            else
            {
                var leaf2 = Vector512.LoadUnsafe(ref table, 16);
                var leaf3 = Vector512.LoadUnsafe(ref table, 24);
                AddLeaves(keep0, leaf0, leaf1, leaf2, leaf3, ref even0, ref odd0);
                if (TWidth.Vectors >= 2)
                {
                    AddLeaves(keep1, leaf0, leaf1, leaf2, leaf3, ref even1, ref odd1);
                }

                if (TWidth.Vectors >= 4)
                {
                    AddLeaves(keep2, leaf0, leaf1, leaf2, leaf3, ref even2, ref odd2);
                    AddLeaves(keep3, leaf0, leaf1, leaf2, leaf3, ref even3, ref odd3);
                }
            }
        }

        Span<float> result = stackalloc float[TileStride];
        ref float result0 = ref MemoryMarshal.GetReference(result);
        Interleave(even0, odd0).StoreUnsafe(ref result0);
        if (TWidth.Vectors >= 2)
        {
            Interleave(even1, odd1).StoreUnsafe(ref result0, 16);
        }

        if (TWidth.Vectors >= 4)
        {
            Interleave(even2, odd2).StoreUnsafe(ref result0, 32);
            Interleave(even3, odd3).StoreUnsafe(ref result0, 48);
        }

        result[..live].CopyTo(scores);
    }

    /// <summary>Whether 16 rows go right at a split: "not threshold &gt;= x" is "not x &lt;= threshold", true for
    /// NaN as in ML.NET, and written with the threshold first so that the tile load folds into the compare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> GoesRight(Vector512<float> threshold, ref float x, nuint offset) =>
        Avx512F.CompareNotGreaterThanOrEqual(threshold, Vector512.LoadUnsafe(ref x, offset)).AsUInt32();

    /// <summary>Adds 16 rows' leaf values from a tree of at most 16 leaves, whose table fits two registers.</summary>
    /// <remarks>lzcnt leaves each row's leaf position in a 32-bit lane. Read as 8 64-bit lanes, the low halves
    /// are the even rows and the high halves the odd rows; the permute looks only at an index's low four bits,
    /// so the even rows need no conversion and the odd rows one shift. The lookup is a register permute: no
    /// gather, and no memory access that depends on a row's data.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLeaves(Vector512<uint> keep, Vector512<double> leaf0, Vector512<double> leaf1, ref Vector512<double> even, ref Vector512<double> odd)
    {
        var position = Avx512CD.LeadingZeroCount(keep).AsUInt64();
        even += Avx512F.PermuteVar8x64x2(leaf0, position.AsInt64(), leaf1);
        odd += Avx512F.PermuteVar8x64x2(leaf0, Vector512.ShiftRightLogical(position, 32).AsInt64(), leaf1);
    }

    /// <summary>As above for trees of 17-32 leaves: bit 4 of the position picks the table's upper half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLeaves(
        Vector512<uint> keep, Vector512<double> leaf0, Vector512<double> leaf1, Vector512<double> leaf2, Vector512<double> leaf3,
        ref Vector512<double> even, ref Vector512<double> odd)
    {
        var position = Avx512CD.LeadingZeroCount(keep).AsUInt64();
        var high = Vector512.ShiftRightLogical(position, 32);
        var evenLow = Vector512.Equals(position & Vector512.Create(16UL), Vector512<ulong>.Zero).AsDouble();
        var oddLow = Vector512.Equals(high & Vector512.Create(16UL), Vector512<ulong>.Zero).AsDouble();
        even += Vector512.ConditionalSelect(evenLow, Avx512F.PermuteVar8x64x2(leaf0, position.AsInt64(), leaf1), Avx512F.PermuteVar8x64x2(leaf2, position.AsInt64(), leaf3));
        odd += Vector512.ConditionalSelect(oddLow, Avx512F.PermuteVar8x64x2(leaf0, high.AsInt64(), leaf1), Avx512F.PermuteVar8x64x2(leaf2, high.AsInt64(), leaf3));
    }

    /// <summary>Rounds 8 even-row and 8 odd-row sums to float (as ML.NET does) and puts them back in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Interleave(Vector512<double> even, Vector512<double> odd) =>
        Avx512F.PermuteVar16x32(
            Vector512.Create(Avx512F.ConvertToVector256Single(even), Avx512F.ConvertToVector256Single(odd)),
            Vector512.Create(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));

    /// <summary>One row, 16 trees per vector: a permute picks each lane's split feature out of the row's
    /// (at most 32) features held in two registers, so one compare tests node <c>s</c> of 16 trees.</summary>
    /// <remarks>The sum still runs tree by tree in model order, in scalar <see cref="double"/>, to give the
    /// batch kernels' (and ML.NET's) result bit for bit; it is the latency chain that bounds this path.</remarks>
    private float ScoreRowAvx512(ReadOnlySpan<float> row)
    {
        Span<float> buffer = stackalloc float[32];
        row.CopyTo(buffer);
        ref float buffer0 = ref MemoryMarshal.GetReference(buffer);
        var low = Vector512.LoadUnsafe(ref buffer0);
        var high = Vector512.LoadUnsafe(ref buffer0, 16);

        Span<int> positions = stackalloc int[16];
        ref int position0 = ref MemoryMarshal.GetReference(positions);
        ref int features = ref MemoryMarshal.GetArrayDataReference(_slotFeature!);
        ref float thresholds = ref MemoryMarshal.GetArrayDataReference(_slotThreshold!);
        ref uint keeps = ref MemoryMarshal.GetArrayDataReference(_slotKeep!);
        ref double leaves = ref MemoryMarshal.GetArrayDataReference(_leaves);
        int[] groupStart = _groupStart!;

        double sum = 0;
        for (int g = 0; g < groupStart.Length - 1; g++)
        {
            var keep = Vector512<uint>.AllBitsSet;
            for (nuint slot = (nuint)groupStart[g] * 16, end = (nuint)groupStart[g + 1] * 16; slot < end; slot += 16)
            {
                var x = Avx512F.PermuteVar16x32x2(low, Vector512.LoadUnsafe(ref features, slot), high);
                var right = Avx512F.CompareNotLessThanOrEqual(x, Vector512.LoadUnsafe(ref thresholds, slot)).AsUInt32();
                keep = Vector512.ConditionalSelect(right, keep & Vector512.LoadUnsafe(ref keeps, slot), keep);
            }

            Avx512CD.LeadingZeroCount(keep).AsInt32().StoreUnsafe(ref position0);
            int trees = TreeCount - (g * 16);
            ref double table = ref Unsafe.Add(ref leaves, g * 16 * MaskLeaves);
            if (trees >= 16)
            {
                sum = AddSixteenLeaves(sum, ref table, ref position0);
                continue;
            }

            for (int j = 0; j < trees; j++)
            {
                sum += Leaf(ref table, ref position0, j);
            }
        }

        return (float)sum;
    }

    /// <summary>Adds 16 trees' leaves in tree order. Unrolled because the adds form one dependent chain (the
    /// order is ML.NET's), so everything around them must cost next to nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double AddSixteenLeaves(double sum, ref double table, ref int position)
    {
        sum += Leaf(ref table, ref position, 0);
        sum += Leaf(ref table, ref position, 1);
        sum += Leaf(ref table, ref position, 2);
        sum += Leaf(ref table, ref position, 3);
        sum += Leaf(ref table, ref position, 4);
        sum += Leaf(ref table, ref position, 5);
        sum += Leaf(ref table, ref position, 6);
        sum += Leaf(ref table, ref position, 7);
        sum += Leaf(ref table, ref position, 8);
        sum += Leaf(ref table, ref position, 9);
        sum += Leaf(ref table, ref position, 10);
        sum += Leaf(ref table, ref position, 11);
        sum += Leaf(ref table, ref position, 12);
        sum += Leaf(ref table, ref position, 13);
        sum += Leaf(ref table, ref position, 14);
        sum += Leaf(ref table, ref position, 15);
        return sum;
    }

    /// <summary>Tree <paramref name="lane"/>'s leaf; the mask keeps a corrupt position inside the tree's table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Leaf(ref double table, ref int position, int lane) =>
        Unsafe.Add(ref table, (lane * MaskLeaves) + (Unsafe.Add(ref position, lane) & (MaskLeaves - 1)));

    /// <summary>Lays the nodes out for <see cref="ScoreRowAvx512"/>: slot row <c>s</c> of a group holds node
    /// <c>s</c> of its 16 trees; shorter trees (and the lanes past the last tree) are padded with splits whose
    /// mask keeps every leaf, so whatever they compare they change nothing.</summary>
    private (int[] GroupStart, int[] Feature, float[] Threshold, uint[] Keep) BuildTreeParallelSlots()
    {
        int groups = (TreeCount + 15) / 16;
        var groupStart = new int[groups + 1];
        int slots = 0;
        for (int g = 0; g < groups; g++)
        {
            groupStart[g] = slots;
            int deepest = 0;
            for (int t = g * 16; t < Math.Min(TreeCount, (g + 1) * 16); t++)
            {
                deepest = Math.Max(deepest, _treeStart[t + 1] - _treeStart[t]);
            }

            slots += deepest;
        }

        groupStart[groups] = slots;
        var feature = new int[slots * 16];
        var threshold = new float[slots * 16];
        var keep = new uint[slots * 16];
        keep.AsSpan().Fill(uint.MaxValue);
        for (int g = 0; g < groups; g++)
        {
            for (int t = g * 16; t < Math.Min(TreeCount, (g + 1) * 16); t++)
            {
                for (int node = _treeStart[t]; node < _treeStart[t + 1]; node++)
                {
                    int at = ((groupStart[g] + node - _treeStart[t]) * 16) + (t - (g * 16));
                    feature[at] = _splitFeature[node];
                    threshold[at] = _nodes[node].Threshold;
                    keep[at] = _nodes[node].KeepIfRight;
                }
            }
        }

        return (groupStart, feature, threshold, keep);
    }
}
