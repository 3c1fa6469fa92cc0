using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Matching.Ranking;

/// <summary>
/// A trained ML.NET tree ensemble (LightGBM or FastTree ranking) compiled into flat arrays, scoring rows
/// many times faster than ML.NET's own scorer and returning exactly the floats ML.NET's <c>Score</c> column holds.
/// </summary>
/// <remarks>
/// <para><b>Algorithm.</b> A tree walk is a chain of data-dependent branches: it mispredicts on every other
/// node and cannot use SIMD without gathers. We use QuickScorer's bit-vector formulation instead
/// (Lucchese et al., SIGIR 2015): number a tree's leaves left to right and give every split node a mask
/// that clears the leaves of its left subtree. A row's exit leaf is then the leftmost leaf that survives
/// AND-ing the masks of every node whose test sends the row right (not <c>x &lt;= threshold</c>), because those
/// are exactly the nodes that rule the leftmost candidates out. Evaluating <i>every</i> node costs more
/// comparisons than a walk (all ~19 instead of ~6 on the path) but each is one vector compare plus one
/// masked AND with no branch, and one compare serves 16 rows.</para>
/// <para><b>Layout.</b> With at most 32 leaves a tree's surviving set fits one <see cref="uint"/> per row,
/// leftmost leaf in bit 31, so the exit leaf is <c>lzcnt</c> of the mask. The batch kernel copies up to 64
/// rows into a feature-major tile (<c>tile[feature * 64 + row]</c>) so that a split's feature for 16 rows
/// is one aligned load, then walks the nodes tree by tree (each node: threshold, mask and the feature's
/// tile offset, 16 bytes) keeping 1-4 vectors of 16 masks live. Leaf values stay <see cref="double"/>
/// in 32-slot tables per tree, fetched with two-register permutes instead of gathers, and each row's sum
/// runs over the trees in model order in <see cref="double"/>, exactly as ML.NET sums, so the final
/// cast to <see cref="float"/> gives ML.NET's float bit for bit. Single rows use a tree-parallel variant
/// (16 trees per vector, features picked out of two registers by permute). Every kernel adds the same
/// doubles in the same order, so batch and single-row results are identical, whatever the batch size.</para>
/// <para><b>Scope.</b> Numerical splits only: a model with a categorical split is refused. Bias and tree
/// weights are ignored because ML.NET's scorer ignores them too (it sums leaf values; both are 0 and 1
/// for these trainers). NaN features: callers impute, but a NaN is safe and scored as ML.NET 5 scores it
/// for both trainers: every test is "go left when <c>x &lt;= threshold</c>", so NaN goes right (each kernel
/// compares with "not less-or-equal", which is true for NaN). Instances are immutable and thread-safe:
/// scratch space lives on the caller's stack or comes from the array pool.</para>
/// </remarks>
internal sealed partial class CompiledTreeEnsemble
{
    /// <summary>Leaves a per-row <see cref="uint"/> mask can track; larger trees use the scalar kernel.</summary>
    private const int MaskLeaves = 32;

    /// <summary>Rows per feature in the batch tile: the widest block (4 vectors of 16 lanes).</summary>
    private const int TileStride = 64;

    /// <summary>Largest tile taken from the stack (64 KiB); wider feature vectors rent from the pool.</summary>
    private const int StackTileFloats = 16 * 1024;

    private readonly ScoringKernel _kernel;

    /// <summary>Tree <c>t</c> owns nodes <c>[_treeStart[t], _treeStart[t + 1])</c> of the node arrays.</summary>
    private readonly int[] _treeStart;

    private readonly SplitNode[] _nodes;

    /// <summary>Per tree, whether it has more than 16 leaves (its exit leaf needs the second half of its table).</summary>
    private readonly bool[] _wideTree;

    /// <summary>Per node, the leaves of its left subtree with leaf 0 in bit 0: the Vector256 kernel's form.</summary>
    private readonly uint[]? _leftLeavesLsb;

    /// <summary>Per node, the split feature; read by the scalar kernel.</summary>
    private readonly int[] _splitFeature;

    /// <summary>Per node, its two children (local node index, or <c>~leaf position</c>), left first.</summary>
    private readonly int[] _children;

    /// <summary>Leaf values by left-to-right position, <see cref="_leafStride"/> slots per tree, zero-padded.
    /// A tree without nodes has 0.0 in slot 0, which is what ML.NET adds for it.</summary>
    private readonly double[] _leaves;

    private readonly int _leafStride;

    /// <summary>Single-row AVX-512 layout: trees in groups of 16, one vector lane per tree; group <c>g</c> owns
    /// slot rows <c>[_groupStart[g], _groupStart[g + 1])</c>, slot row <c>s</c> holding node <c>s - start</c> of
    /// each of the 16 trees at <c>[s * 16, s * 16 + 16)</c>. Null unless the AVX-512 kernel runs and
    /// <see cref="FeatureCount"/> &lt;= 32 (features are picked out of two registers).</summary>
    private readonly int[]? _groupStart;

    private readonly int[]? _slotFeature;
    private readonly float[]? _slotThreshold;
    private readonly uint[]? _slotKeep;

    // Set only by WithBlend, on a copy: null means the trees alone.
    private ScoreBlend? _blend;
    private int _rankFeature;

    private CompiledTreeEnsemble(IReadOnlyList<TreeSpec> trees, int featureCount, ScoringKernel kernel)
    {
        FeatureCount = featureCount;
        TreeCount = trees.Count;

        var shapes = new TreeShape[trees.Count];
        int totalNodes = 0;
        int maxLeaves = 1;
        for (int t = 0; t < trees.Count; t++)
        {
            shapes[t] = TreeShape.Analyse(trees[t], t, featureCount);
            totalNodes += shapes[t].NodeCount;
            maxLeaves = Math.Max(maxLeaves, shapes[t].NodeCount + 1);
        }

        _kernel = Resolve(kernel, maxLeaves);
        bool masks = _kernel != ScoringKernel.Scalar;
        _leafStride = Math.Max(MaskLeaves, maxLeaves);
        _treeStart = new int[trees.Count + 1];
        _nodes = new SplitNode[totalNodes];
        _wideTree = new bool[trees.Count];
        _splitFeature = new int[totalNodes];
        _children = new int[2 * totalNodes];
        _leaves = new double[trees.Count * _leafStride];
        _leftLeavesLsb = _kernel == ScoringKernel.Vector256 ? new uint[totalNodes] : null;

        int node = 0;
        for (int t = 0; t < trees.Count; t++)
        {
            _treeStart[t] = node;
            var tree = trees[t];
            var shape = shapes[t];
            _wideTree[t] = shape.NodeCount + 1 > 16;
            for (int i = 0; i < shape.NodeCount; i++, node++)
            {
                int feature = tree.SplitFeature[i];

                // Bits of the leaves in the node's left subtree; a range may end at bit 32, so shift in 64 bits.
                uint leftLsb = masks ? (uint)(((1UL << shape.LeftCount[i]) - 1) << shape.LeftFirst[i]) : 0;
                _nodes[node] = new SplitNode(feature * TileStride, tree.Threshold[i], masks ? ~ReverseBits(leftLsb) : 0);
                _splitFeature[node] = feature;
                _children[2 * node] = Local(tree.LeftChild[i], shape);
                _children[(2 * node) + 1] = Local(tree.RightChild[i], shape);
                if (_leftLeavesLsb is not null)
                {
                    _leftLeavesLsb[node] = leftLsb;
                }
            }

            for (int leaf = 0; leaf < shape.NodeCount + 1 && shape.NodeCount > 0; leaf++)
            {
                _leaves[(t * _leafStride) + shape.LeafPosition[leaf]] = tree.LeafValues[leaf];
            }
        }

        _treeStart[trees.Count] = node;

        if (_kernel == ScoringKernel.Avx512 && featureCount <= 32)
        {
            (_groupStart, _slotFeature, _slotThreshold, _slotKeep) = BuildTreeParallelSlots();
        }
    }

    /// <summary>Length of the feature vector a row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>Trees in the ensemble.</summary>
    public int TreeCount { get; }

    /// <summary>The kernel this instance runs (tests and benchmarks pin it).</summary>
    public ScoringKernel Kernel => _kernel;

    /// <summary>Compiles a LightGBM or FastTree ranking model whose feature vectors have
    /// <paramref name="featureCount"/> slots.</summary>
    /// <exception cref="ModelFormatException">The model has a categorical split, a malformed tree, or splits
    /// on a feature at or beyond <paramref name="featureCount"/>.</exception>
    public static CompiledTreeEnsemble Compile(TreeEnsembleModelParametersBasedOnRegressionTree model, int featureCount, ScoringKernel kernel = ScoringKernel.Auto)
    {
        ArgumentNullException.ThrowIfNull(model);

        // Other tree models score differently (FastTree Tweedie exponentiates, for one): only the two
        // rankers have been checked against ML.NET's scorer.
        if (model is not (LightGbmRankingModelParameters or FastTreeRankingModelParameters))
        {
            throw new ArgumentException(
                $"Only LightGBM and FastTree ranking models can be compiled, not {model.GetType().Name}.", nameof(model));
        }

        return Compile(model.TrainedTreeEnsemble, featureCount, kernel);
    }

    /// <summary>Compiles ML.NET's public view of a tree ensemble. Its <c>Bias</c> and <c>TreeWeights</c> are not
    /// used: ML.NET's scorer sums the trees' leaf values and nothing else.</summary>
    public static CompiledTreeEnsemble Compile(RegressionTreeEnsemble ensemble, int featureCount, ScoringKernel kernel = ScoringKernel.Auto)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var trees = ensemble.Trees
            .Select(t => new TreeSpec(t.LeftChild, t.RightChild, t.NumericalSplitFeatureIndexes, t.NumericalSplitThresholds, t.LeafValues, t.CategoricalSplitFlags))
            .ToList();
        return Compile(trees, featureCount, kernel);
    }

    /// <summary>Compiles trees given as arrays (ML.NET's layout, see <see cref="TreeSpec"/>).</summary>
    public static CompiledTreeEnsemble Compile(IReadOnlyList<TreeSpec> trees, int featureCount, ScoringKernel kernel = ScoringKernel.Auto)
    {
        ArgumentNullException.ThrowIfNull(trees);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        return new CompiledTreeEnsemble(trees, featureCount, kernel);
    }

    /// <summary>Whether <paramref name="kernel"/> runs on this machine for trees of up to <paramref name="maxLeaves"/> leaves.</summary>
    /// <remarks>The Vector256 kernel runs everywhere (in software where the CPU has no 256-bit SIMD, with the same
    /// results), so tests can check it on any machine; <see cref="ScoringKernel.Auto"/> picks it only where it is fast.</remarks>
    public static bool IsSupported(ScoringKernel kernel, int maxLeaves = MaskLeaves) => kernel switch
    {
        ScoringKernel.Auto or ScoringKernel.Scalar => true,
        ScoringKernel.Vector256 => maxLeaves <= MaskLeaves,
        ScoringKernel.Avx512 => Avx512F.IsSupported && Avx512CD.IsSupported && maxLeaves <= MaskLeaves,
        _ => false,
    };

    /// <summary>How the trees' sum is mixed with the BM25 order (default: the trees alone).</summary>
    public ScoreBlend Blend => _blend ?? ScoreBlend.TreesOnly;

    /// <summary>The same trees with a different <see cref="Blend"/>; the compiled tables are shared.</summary>
    /// <param name="blend">The blend.</param>
    /// <param name="rankFeature">Index of the 1-based BM25 rank in a row (the <c>bm25_rank</c> feature).</param>
    public CompiledTreeEnsemble WithBlend(ScoreBlend blend, int rankFeature)
    {
        ArgumentNullException.ThrowIfNull(blend);
        ArgumentOutOfRangeException.ThrowIfNegative(rankFeature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rankFeature, FeatureCount);
        var copy = (CompiledTreeEnsemble)MemberwiseClone();
        copy._blend = blend.IsTreesOnly ? null : blend;
        copy._rankFeature = rankFeature;
        return copy;
    }

    /// <summary>Scores one row of <see cref="FeatureCount"/> features.</summary>
    public float Score(ReadOnlySpan<float> features)
    {
        var trees = ScoreTrees(features);
        return _blend is null ? trees : _blend.Apply(trees, features[_rankFeature]);
    }

    private float ScoreTrees(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException(
                $"A row has {FeatureCount} features, not {features.Length}.", nameof(features));
        }

        switch (_kernel)
        {
            case ScoringKernel.Avx512 when _groupStart is not null:
                return ScoreRowAvx512(features);
            case ScoringKernel.Avx512:
            case ScoringKernel.Vector256:
                Span<float> score = stackalloc float[1];
                ScoreBlocks(features, 1, score);
                return score[0];
            default:
                return ScoreRowScalar(features);
        }
    }

    /// <summary>Scores <paramref name="rows"/> rows stored one after another (row <c>r</c>'s feature <c>f</c> at
    /// <c>r * FeatureCount + f</c>) into the first <paramref name="rows"/> slots of <paramref name="scores"/>.</summary>
    /// <remarks>This is the fast path; any batch size gives the same scores as <see cref="Score(ReadOnlySpan{float})"/>.</remarks>
    public void Score(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> scores)
    {
        ScoreTrees(rowMajorFeatures, rows, scores);
        if (_blend is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                scores[r] = _blend.Apply(scores[r], rowMajorFeatures[(r * FeatureCount) + _rankFeature]);
            }
        }
    }

    private void ScoreTrees(ReadOnlySpan<float> rowMajorFeatures, int rows, Span<float> scores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rowMajorFeatures.Length != (long)rows * FeatureCount)
        {
            throw new ArgumentException(
                $"{rows} rows of {FeatureCount} features need {(long)rows * FeatureCount} values, not {rowMajorFeatures.Length}.",
                nameof(rowMajorFeatures));
        }

        if (scores.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} score slots, not {scores.Length}.", nameof(scores));
        }

        if (_kernel == ScoringKernel.Scalar)
        {
            for (int r = 0; r < rows; r++)
            {
                scores[r] = ScoreRowScalar(rowMajorFeatures.Slice(r * FeatureCount, FeatureCount));
            }

            return;
        }

        if (_groupStart is not null && rows < SingleRowTail)
        {
            // Too few rows to fill a block: skip setting up the tile.
            for (int r = 0; r < rows; r++)
            {
                scores[r] = ScoreRowAvx512(rowMajorFeatures.Slice(r * FeatureCount, FeatureCount));
            }

            return;
        }

        ScoreBlocks(rowMajorFeatures, rows, scores);
    }

    private void ScoreBlocks(ReadOnlySpan<float> rows, int count, Span<float> scores)
    {
        int tileFloats = FeatureCount * TileStride;
        float[]? rented = null;
        Span<float> tile = tileFloats <= StackTileFloats
            ? stackalloc float[tileFloats]
            : (rented = ArrayPool<float>.Shared.Rent(tileFloats));
        try
        {
            if (_kernel == ScoringKernel.Avx512)
            {
                ScoreBlocksAvx512(rows, count, scores, tile);
            }
            else
            {
                ScoreBlocksVector256(rows, count, scores, tile);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Copies <paramref name="live"/> rows into the feature-major tile.</summary>
    /// <remarks>Lanes past <paramref name="live"/> keep whatever the tile held: each lane's result depends on
    /// that lane alone and is never written out, and a lane's leaf position only ever indexes a register
    /// permute or (masked to 0-31) its own tree's table, so stale values, NaN included, are harmless.</remarks>
    private void FillTile(ReadOnlySpan<float> rows, int live, Span<float> tile)
    {
        int features = FeatureCount;
        if (rows.Length < live * features || tile.Length < features * TileStride)
        {
            throw new ArgumentException("Block does not fit the tile.", nameof(rows));
        }

        ref float source = ref MemoryMarshal.GetReference(rows);
        ref float target = ref MemoryMarshal.GetReference(tile);
        for (int r = 0; r < live; r++)
        {
            ref float row = ref Unsafe.Add(ref source, r * features);
            for (int f = 0; f < features; f++)
            {
                Unsafe.Add(ref target, (f * TileStride) + r) = Unsafe.Add(ref row, f);
            }
        }
    }

    /// <summary>The reference kernel: a branch-free walk (the child is picked by index, not by a jump).</summary>
    private float ScoreRowScalar(ReadOnlySpan<float> row)
    {
        double sum = 0;
        for (int t = 0; t < TreeCount; t++)
        {
            int start = _treeStart[t];
            int position = 0;
            if (_treeStart[t + 1] > start)
            {
                int child = 0;
                do
                {
                    int node = start + child;
                    child = _children[(2 * node) + (row[_splitFeature[node]] <= _nodes[node].Threshold ? 0 : 1)];
                }
                while (child >= 0);
                position = ~child;
            }

            sum += _leaves[(t * _leafStride) + position];
        }

        return (float)sum;
    }

    private static ScoringKernel Resolve(ScoringKernel requested, int maxLeaves)
    {
        if (requested == ScoringKernel.Auto)
        {
            return IsSupported(ScoringKernel.Avx512, maxLeaves) ? ScoringKernel.Avx512
                : Vector256.IsHardwareAccelerated && IsSupported(ScoringKernel.Vector256, maxLeaves) ? ScoringKernel.Vector256
                : ScoringKernel.Scalar;
        }

        if (!IsSupported(requested, maxLeaves))
        {
            throw new NotSupportedException(
                $"The {requested} kernel does not run here (this CPU, or trees of {maxLeaves} leaves; it needs at most {MaskLeaves}).");
        }

        return requested;
    }

    private static int Local(int child, TreeShape shape) => child >= 0 ? child : ~shape.LeafPosition[~child];

    private static uint ReverseBits(uint value)
    {
        uint reversed = 0;
        for (int bit = 0; bit < 32; bit++, value >>= 1)
        {
            reversed = (reversed << 1) | (value & 1);
        }

        return reversed;
    }

    /// <summary>One split, as every mask kernel reads it: where its feature sits in the tile, the threshold,
    /// and the leaves still possible after the row goes right (all but the left subtree, leftmost leaf in bit 31).
    /// 16 bytes, and the offset pointer-sized, so that the node loop needs no index arithmetic.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct SplitNode(int tileOffset, float threshold, uint keepIfRight)
    {
        public readonly nint TileOffset = tileOffset;
        public readonly float Threshold = threshold;
        public readonly uint KeepIfRight = keepIfRight;
    }

    /// <summary>A validated tree: leaves numbered left to right, and each node's left-subtree leaf range.</summary>
    private sealed class TreeShape
    {
        private TreeShape(int nodeCount)
        {
            NodeCount = nodeCount;
            LeafPosition = new int[nodeCount + 1];
            LeftFirst = new int[nodeCount];
            LeftCount = new int[nodeCount];
        }

        public int NodeCount { get; }

        /// <summary>ML.NET leaf index to left-to-right position.</summary>
        public int[] LeafPosition { get; }

        public int[] LeftFirst { get; }

        public int[] LeftCount { get; }

        public static TreeShape Analyse(TreeSpec tree, int treeIndex, int featureCount)
        {
            ArgumentNullException.ThrowIfNull(tree);
            int n = tree.LeftChild.Count;
            string Where(int node) => string.Create(CultureInfo.InvariantCulture, $"tree {treeIndex}, node {node}");
            if (tree.RightChild.Count != n || tree.SplitFeature.Count != n || tree.Threshold.Count != n)
            {
                throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"tree {treeIndex}: {n} left children but {tree.RightChild.Count} right children, {tree.SplitFeature.Count} split features and {tree.Threshold.Count} thresholds"));
            }

            var shape = new TreeShape(n);
            if (n == 0)
            {
                return shape;
            }

            if (tree.LeafValues.Count < n + 1)
            {
                throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"tree {treeIndex}: {n} nodes need {n + 1} leaf values, not {tree.LeafValues.Count}"));
            }

            var hasParent = new bool[n];
            var leafSeen = new bool[n + 1];
            for (int i = 0; i < n; i++)
            {
                if (tree.CategoricalSplit is { } categorical && i < categorical.Count && categorical[i])
                {
                    throw new ModelFormatException(
                        $"{Where(i)}: categorical split; only numerical splits can be compiled, so retrain without categorical splits");
                }

                int feature = tree.SplitFeature[i];
                if ((uint)feature >= (uint)featureCount)
                {
                    throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                        $"{Where(i)}: splits on feature {feature}, but rows have {featureCount} features"));
                }

                if (float.IsNaN(tree.Threshold[i]))
                {
                    throw new ModelFormatException($"{Where(i)}: threshold is NaN");
                }

                foreach (int child in (ReadOnlySpan<int>)[tree.LeftChild[i], tree.RightChild[i]])
                {
                    bool duplicate;
                    if (child >= 0)
                    {
                        if (child == 0 || child >= n)
                        {
                            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                                $"{Where(i)}: child node {child} is not in 1..{n - 1}"));
                        }

                        duplicate = hasParent[child];
                        hasParent[child] = true;
                    }
                    else
                    {
                        if (~child > n)
                        {
                            throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                                $"{Where(i)}: child leaf {~child} is not in 0..{n}"));
                        }

                        duplicate = leafSeen[~child];
                        leafSeen[~child] = true;
                    }

                    if (duplicate)
                    {
                        throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                            $"{Where(i)}: child {(child >= 0 ? "node " + child : "leaf " + ~child)} has two parents"));
                    }
                }
            }

            // Every node but the root and every leaf has exactly one parent (2n child slots, n - 1 + n + 1
            // distinct targets). What can still be wrong is a cycle cut off from the root: the walk from
            // the root then reaches fewer than n nodes. Leaves are numbered in the order it meets them,
            // left subtree first, which is left to right.
            var preorder = new List<int>(n);
            var stack = new Stack<int>();
            stack.Push(0);
            int nextLeaf = 0;
            while (stack.Count > 0)
            {
                int item = stack.Pop();
                if (item < 0)
                {
                    shape.LeafPosition[~item] = nextLeaf++;
                    continue;
                }

                preorder.Add(item);
                stack.Push(tree.RightChild[item]);
                stack.Push(tree.LeftChild[item]);
            }

            if (preorder.Count != n)
            {
                throw new ModelFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"tree {treeIndex}: only {preorder.Count} of its {n} nodes hang from the root"));
            }

            // Children come after their parent in preorder, so walking it backwards sees them first.
            var first = new int[n];
            var count = new int[n];
            for (int k = n - 1; k >= 0; k--)
            {
                int i = preorder[k];
                (int leftFirst, int leftCount) = LeafSpan(tree.LeftChild[i]);
                (_, int rightCount) = LeafSpan(tree.RightChild[i]);
                first[i] = leftFirst;
                count[i] = leftCount + rightCount;
                shape.LeftFirst[i] = leftFirst;
                shape.LeftCount[i] = leftCount;
            }

            return shape;

            (int First, int Count) LeafSpan(int child) => child < 0 ? (shape.LeafPosition[~child], 1) : (first[child], count[child]);
        }
    }
}
