namespace Matching.Ranking;

/// <summary>One regression tree in ML.NET's own array form, the input of <see cref="CompiledTreeEnsemble"/>.</summary>
/// <remarks>
/// Node <c>i</c> sends a row to <see cref="LeftChild"/><c>[i]</c> when
/// <c>features[SplitFeature[i]] &lt;= Threshold[i]</c>, else to <see cref="RightChild"/><c>[i]</c>; a negative
/// child <c>~k</c> is leaf <c>k</c>. Node 0 is the root. A tree without nodes contributes 0, as in ML.NET.
/// The arrays are not copied; do not change them while compiling.
/// </remarks>
internal sealed record TreeSpec(
    IReadOnlyList<int> LeftChild,
    IReadOnlyList<int> RightChild,
    IReadOnlyList<int> SplitFeature,
    IReadOnlyList<float> Threshold,
    IReadOnlyList<double> LeafValues,
    IReadOnlyList<bool>? CategoricalSplit = null);

/// <summary>The evaluation code a <see cref="CompiledTreeEnsemble"/> runs; all give bit-identical scores.</summary>
internal enum ScoringKernel
{
    /// <summary>The fastest kernel this machine and model allow.</summary>
    Auto,

    /// <summary>A branch-free node walk, one row and one tree at a time; works everywhere.</summary>
    Scalar,

    /// <summary>Bit-vector evaluation of 8 rows per 256-bit vector (AVX2, or any 256-bit SIMD).</summary>
    Vector256,

    /// <summary>Bit-vector evaluation of 16 rows per 512-bit vector, with AVX-512 lane masks and lzcnt.</summary>
    Avx512,
}
