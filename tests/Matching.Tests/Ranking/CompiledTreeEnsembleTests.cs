using Matching.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Matching.Tests.Ranking;

public sealed class CompiledTreeEnsembleTests
{
    private const int FeatureCount = 20;

    private static readonly string[] s_kernels = [nameof(ScoringKernel.Scalar), nameof(ScoringKernel.Vector256), nameof(ScoringKernel.Avx512)];

    private Trained _lightGbm = null!;
    private Trained _fastTree = null!;

    public enum Trainer
    {
        LightGbm,
        FastTree,
    }

    [OneTimeSetUp]
    public void TrainModels()
    {
        var rows = Synthetic(3000, groups: 150, seed: 1);
        _lightGbm = Train(rows, Trainer.LightGbm);
        _fastTree = Train(rows, Trainer.FastTree);
    }

    /// <summary>Every kernel, on every machine: the scalar and Vector256 kernels run everywhere (Vector256 in software
    /// where the CPU has no 256-bit SIMD); an AVX-512 case shows as skipped on a CPU without AVX-512.</summary>
    private static IEnumerable<string> Kernels() => s_kernels;

    /// <summary>The kernel of a test case; skips the case where this CPU cannot run it (AVX-512 only).</summary>
    internal static ScoringKernel Runnable(string kernel)
    {
        var parsed = Enum.Parse<ScoringKernel>(kernel);
        if (!CompiledTreeEnsemble.IsSupported(parsed))
        {
            Assert.That(parsed, Is.EqualTo(ScoringKernel.Avx512), $"the {kernel} kernel must run on every machine");
            Assert.Ignore("this CPU lacks AVX-512 (F and CD): the Avx512 kernel cannot run here; the Scalar and Vector256 cases still run");
        }

        return parsed;
    }

    /// <summary>Floats as their bits, so that equality is bit for bit (0 and -0 differ, NaN equals itself).</summary>
    internal static int[] Bits(IEnumerable<float> values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    private static IEnumerable<TestCaseData> TrainersAndKernels() =>
        from trainer in new[] { Trainer.LightGbm, Trainer.FastTree }
        from kernel in Kernels()
        select new TestCaseData(trainer, kernel);

    [TestCaseSource(nameof(TrainersAndKernels))]
    public void Score_EqualsMlNetTransform(Trainer trainer, string kernel)
    {
        var model = Model(trainer);
        var rows = EvaluationRows(model, seed: 7);
        var expected = MlNetScores(model, rows);
        var compiled = CompiledTreeEnsemble.Compile(model.Parameters, FeatureCount, Runnable(kernel));

        var batch = new float[rows.Count];
        compiled.Score(Flatten(rows), rows.Count, batch);
        var single = rows.Select(r => compiled.Score(r.Features)).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Has.Count.GreaterThanOrEqualTo(5000));
            Assert.That(compiled.Kernel.ToString(), Is.EqualTo(kernel));
            Assert.That((compiled.FeatureCount, compiled.TreeCount), Is.EqualTo((FeatureCount, 100)));
            Assert.That(Bits(batch), Is.EqualTo(Bits(expected)), "batch scores differ from ML.NET's");
            Assert.That(Bits(single), Is.EqualTo(Bits(expected)), "single-row scores differ from ML.NET's");
        }
    }

    [TestCaseSource(nameof(TrainersAndKernels))]
    public void Score_NaNFeatures_GoRightLikeMlNet(Trainer trainer, string kernel)
    {
        var model = Model(trainer);
        var random = new Random(11);
        var rows = Synthetic(600, groups: 30, seed: 12);
        foreach (var row in rows)
        {
            for (int k = random.Next(1, 6); k > 0; k--)
            {
                row.Features[random.Next(FeatureCount)] = float.NaN;
            }
        }

        var compiled = CompiledTreeEnsemble.Compile(model.Parameters, FeatureCount, Runnable(kernel));
        var batch = new float[rows.Count];
        compiled.Score(Flatten(rows), rows.Count, batch);

        Assert.That(Bits(batch), Is.EqualTo(Bits(MlNetScores(model, rows))));
    }

    [TestCaseSource(nameof(Kernels))]
    public void Score_AnyBatchSize_EqualsSingleRowPath(string kernel)
    {
        var rows = EvaluationRows(_lightGbm, seed: 3).Take(2000).ToList();
        var flat = Flatten(rows);
        var compiled = CompiledTreeEnsemble.Compile(_lightGbm.Parameters, FeatureCount, Runnable(kernel));
        var single = rows.Select(r => compiled.Score(r.Features)).ToArray();

        using (Assert.EnterMultipleScope())
        {
            foreach (int size in (int[])[1, 4, 5, 7, 8, 15, 16, 17, 30, 33, 50, 64, 100, 127, 1000])
            {
                var batched = new float[rows.Count];
                for (int start = 0; start < rows.Count; start += size)
                {
                    int count = Math.Min(size, rows.Count - start);
                    compiled.Score(flat.AsSpan(start * FeatureCount, count * FeatureCount), count, batched.AsSpan(start, count));
                }

                Assert.That(Bits(batched), Is.EqualTo(Bits(single)), $"batches of {size}");
            }
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void Score_FromFourThreads_SameAsOneThread(string kernel)
    {
        var rows = EvaluationRows(_fastTree, seed: 5);
        var flat = Flatten(rows);
        var compiled = CompiledTreeEnsemble.Compile(_fastTree.Parameters, FeatureCount, Runnable(kernel));
        var expected = new float[rows.Count];
        compiled.Score(flat, rows.Count, expected);

        var results = new float[4][];
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var scores = new float[rows.Count];
            for (int round = 0; round < 3; round++)
            {
                // Different batch sizes per thread, so that the threads run different block widths at once.
                int size = (t * 37) + 13;
                for (int start = 0; start < rows.Count; start += size)
                {
                    int count = Math.Min(size, rows.Count - start);
                    compiled.Score(flat.AsSpan(start * FeatureCount, count * FeatureCount), count, scores.AsSpan(start, count));
                }

                for (int r = t; r < rows.Count; r += 4)
                {
                    scores[r] = compiled.Score(flat.AsSpan(r * FeatureCount, FeatureCount));
                }
            }

            results[t] = scores;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        using (Assert.EnterMultipleScope())
        {
            for (int t = 0; t < 4; t++)
            {
                Assert.That(Bits(results[t]), Is.EqualTo(Bits(expected)), $"thread {t}");
            }
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void Score_HandBuiltTree_GoesLeftAtThresholdAndRightOnNaN(string kernel)
    {
        // node 0: f0 <= 0.5 ? leaf 2 : node 1;  node 1: f1 <= -1 ? leaf 0 : leaf 1.  The empty tree adds 0.
        TreeSpec[] trees =
        [
            new([~2, ~0], [1, ~1], [0, 1], [0.5f, -1f], [10, 100, 1]),
            new([], [], [], [], [7]),
        ];
        var compiled = CompiledTreeEnsemble.Compile(trees, featureCount: 2, Runnable(kernel));
        float[][] rows =
        [
            [0.5f, 0], [float.BitIncrement(0.5f), -1], [0.6f, float.BitIncrement(-1f)], [float.NaN, -2],
            [float.NegativeInfinity, float.NaN], [float.PositiveInfinity, float.PositiveInfinity],
        ];
        float[] expected = [1, 10, 100, 10, 1, 100];

        var batch = new float[rows.Length];
        compiled.Score(rows.SelectMany(r => r).ToArray(), rows.Length, batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows.Select(r => compiled.Score(r)), Is.EqualTo(expected));
            Assert.That(batch, Is.EqualTo(expected));
        }
    }

    [TestCaseSource(nameof(Kernels))]
    public void WithBlend_AddsTheAnchorOnTheRankFeature_AndLeavesTheOriginalAlone(string kernel)
    {
        // One stump: f0 <= 0.5 ? 1 : 3.  Feature 1 is the 1-based BM25 rank.
        TreeSpec[] trees = [new([~0], [~1], [0], [0.5f], [1, 3])];
        var compiled = CompiledTreeEnsemble.Compile(trees, featureCount: 2, Runnable(kernel));
        float[][] rows = [[0, 1], [1, 2], [0, 8], [1, 0.5f]];
        var anchored = compiled.WithBlend(new ScoreBlend(1, 2), rankFeature: 1);
        var bm25 = compiled.WithBlend(ScoreBlend.Bm25Only, rankFeature: 1);

        var batch = new float[rows.Length];
        anchored.Score(rows.SelectMany(r => r).ToArray(), rows.Length, batch);

        using (Assert.EnterMultipleScope())
        {
            // trees - 2 ln(rank); a rank below 1 counts as 1.
            float[] expected = [1, (float)(3 - (2 * Math.Log(2))), (float)(1 - (2 * Math.Log(8))), 3];
            Assert.That(rows.Select(r => anchored.Score(r)), Is.EqualTo(expected));
            Assert.That(batch, Is.EqualTo(expected));
            Assert.That(rows.Select(r => bm25.Score(r)), Is.EqualTo(new[] { 0f, (float)-Math.Log(2), (float)-Math.Log(8), 0f }));
            Assert.That(rows.Select(r => compiled.Score(r)), Is.EqualTo(new float[] { 1, 3, 1, 3 }), "the original keeps the trees alone");
            Assert.That(compiled.Blend.IsTreesOnly && !anchored.Blend.IsTreesOnly, Is.True);
        }
    }

    private static IEnumerable<TestCaseData> ShapesAndKernels() =>
        from shape in new[] { (Features: 7, MaxLeaves: 32), (Features: 40, MaxLeaves: 32), (Features: 3, MaxLeaves: 2) }
        from kernel in Kernels()
        select new TestCaseData(shape.Features, shape.MaxLeaves, kernel);

    [TestCaseSource(nameof(ShapesAndKernels))]
    public void Score_RandomTreeShapes_EqualReferenceWalk(int featureCount, int maxLeaves, string kernel)
    {
        var random = new Random(featureCount * 1000 + maxLeaves);
        var trees = Enumerable.Range(0, 37).Select(t => RandomTree(random, featureCount, t % 3 == 0 ? maxLeaves : random.Next(1, maxLeaves + 1), chain: t % 5 == 0)).ToList();
        var rows = Enumerable.Range(0, 301).Select(_ => RandomRow(random, trees, featureCount)).ToList();
        var expected = rows.Select(r => ReferenceScore(trees, r)).ToArray();
        var flat = rows.SelectMany(r => r).ToArray();

        var compiled = CompiledTreeEnsemble.Compile(trees, featureCount, Runnable(kernel));
        var batch = new float[rows.Count];
        compiled.Score(flat, rows.Count, batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Bits(batch), Is.EqualTo(Bits(expected)), kernel);
            Assert.That(Bits(rows.Select(r => compiled.Score(r))), Is.EqualTo(Bits(expected)), kernel + " single");
        }
    }

    [Test]
    public void Compile_TreesOver32Leaves_FallBackToScalar()
    {
        var random = new Random(2);
        TreeSpec[] trees = [RandomTree(random, 5, 33, chain: false), RandomTree(random, 5, 40, chain: true)];
        var rows = Enumerable.Range(0, 50).Select(_ => RandomRow(random, trees, 5)).ToList();

        var compiled = CompiledTreeEnsemble.Compile(trees, 5);
        var batch = new float[rows.Count];
        compiled.Score(rows.SelectMany(r => r).ToArray(), rows.Count, batch);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compiled.Kernel, Is.EqualTo(ScoringKernel.Scalar));
            Assert.That(batch, Is.EqualTo(rows.Select(r => ReferenceScore(trees, r))));
            Assert.That(() => CompiledTreeEnsemble.Compile(trees, 5, ScoringKernel.Avx512), Throws.TypeOf<NotSupportedException>());
        }
    }

    [Test]
    public void Compile_LightGbmModelWithCategoricalSplits_IsRefused()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 2000).Select(i =>
        {
            int category = random.Next(8);
            float x = (float)random.NextDouble();
            return new CategoryRow { Category = "c" + category, X = x, Label = (category % 3 == 0 ? 2 : 0) + (x > 0.5f ? 1 : 0), Group = (uint)(i / 20) };
        }).ToList();
        var pipeline = ml.Transforms.Categorical.OneHotEncoding("CategoryVector", nameof(CategoryRow.Category))
            .Append(ml.Transforms.Concatenate("Features", "CategoryVector", nameof(CategoryRow.X)))
            .Append(ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(CategoryRow.Group)))
            .Append(ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
            {
                LabelColumnName = nameof(CategoryRow.Label),
                FeatureColumnName = "Features",
                RowGroupColumnName = "GroupKey",
                NumberOfLeaves = 4,
                NumberOfIterations = 5,
                MinimumExampleCountPerLeaf = 5,
                UseCategoricalSplit = true,
                NumberOfThreads = 1,
                Seed = 1,
            }));
        var model = pipeline.Fit(ml.Data.LoadFromEnumerable(rows)).LastTransformer.Model;
        Assert.That(model.TrainedTreeEnsemble.Trees.SelectMany(t => t.CategoricalSplitFlags), Has.Some.True, "precondition: a categorical split");

        Assert.That(() => CompiledTreeEnsemble.Compile(model, 9),
            Throws.TypeOf<ModelFormatException>().With.Message.Contains("categorical split"));
    }

    private static IEnumerable<TestCaseData> MalformedTrees()
    {
        TestCaseData Case(string name, TreeSpec tree, string message, int features = 3) =>
            new TestCaseData(tree, features, message).SetName($"Compile_MalformedTree_IsRefused({name})");

        yield return Case("categorical", new([~0], [~1], [0], [0.5f], [1, 2], [true]), "tree 0, node 0: categorical split");
        yield return Case("feature out of range", new([~0], [~1], [3], [0.5f], [1, 2]), "splits on feature 3, but rows have 3 features");
        yield return Case("negative feature", new([~0], [~1], [-1], [0.5f], [1, 2]), "splits on feature -1");
        yield return Case("NaN threshold", new([~0], [~1], [0], [float.NaN], [1, 2]), "threshold is NaN");
        yield return Case("child out of range", new([2, ~0], [~1, ~2], [0, 1], [0, 0], [1, 2, 3]), "child node 2 is not in 1..1");
        yield return Case("child points at root", new([0, ~0], [1, ~1], [0, 1], [0, 0], [1, 2, 3]), "child node 0 is not in 1..1");
        yield return Case("leaf out of range", new([~0], [~2], [0], [0.5f], [1, 2, 3]), "child leaf 2 is not in 0..1");
        yield return Case("leaf twice", new([~0, ~1], [1, ~1], [0, 1], [0, 0], [1, 2, 3]), "child leaf 1 has two parents");
        yield return Case("detached cycle", new([~0, 2, 1], [~1, ~2, ~3], [0, 0, 0], [0, 0, 0], [1, 2, 3, 4]), "only 1 of its 3 nodes hang from the root");
        yield return Case("too few leaf values", new([~0], [~1], [0], [0.5f], [1]), "1 nodes need 2 leaf values");
        yield return Case("ragged arrays", new([~0], [~1], [0, 1], [0.5f], [1, 2]), "1 left children but 1 right children, 2 split features");
    }

    [TestCaseSource(nameof(MalformedTrees))]
    public void Compile_MalformedTree_IsRefused(object tree, int features, string message) =>
        Assert.That(() => CompiledTreeEnsemble.Compile([(TreeSpec)tree], features),
            Throws.TypeOf<ModelFormatException>().With.Message.Contains(message));

    [Test]
    public void Score_WrongSizes_Throw()
    {
        var compiled = CompiledTreeEnsemble.Compile(_lightGbm.Parameters, FeatureCount);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => compiled.Score(new float[FeatureCount - 1]), Throws.ArgumentException);
            Assert.That(() => compiled.Score(new float[(2 * FeatureCount) + 1], 2, new float[2]), Throws.ArgumentException);
            Assert.That(() => compiled.Score(new float[2 * FeatureCount], 2, new float[1]), Throws.ArgumentException);
            Assert.That(() => compiled.Score(new float[2 * FeatureCount], -1, new float[2]), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => CompiledTreeEnsemble.Compile(_lightGbm.Parameters, 10), Throws.TypeOf<ModelFormatException>());
            Assert.That(() => compiled.Score([], 0, []), Throws.Nothing);
        }
    }

    private Trained Model(Trainer trainer) => trainer == Trainer.LightGbm ? _lightGbm : _fastTree;

    private static Trained Train(List<Row> rows, Trainer trainer)
    {
        var ml = new MLContext(seed: 1);
        var group = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group));
        if (trainer == Trainer.LightGbm)
        {
            var model = group.Append(ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                RowGroupColumnName = "GroupKey",
                NumberOfLeaves = 20,
                NumberOfIterations = 100,
                MinimumExampleCountPerLeaf = 5,
                LearningRate = 0.1,
                NumberOfThreads = 1,
                Seed = 1,
            })).Fit(ml.Data.LoadFromEnumerable(rows));
            return new Trained(ml, model, model.LastTransformer.Model);
        }
        else
        {
            var model = group.Append(ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                RowGroupColumnName = "GroupKey",
                NumberOfLeaves = 20,
                NumberOfTrees = 100,
                MinimumExampleCountPerLeaf = 5,
                NumberOfThreads = 1,
            })).Fit(ml.Data.LoadFromEnumerable(rows));
            return new Trained(ml, model, model.LastTransformer.Model);
        }
    }

    private static float[] MlNetScores(Trained model, List<Row> rows) =>
        model.Ml.Data.CreateEnumerable<ScoreRow>(model.Model.Transform(model.Ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false)
            .Select(s => s.Score).ToArray();

    /// <summary>Random rows, rows with a feature exactly at a split threshold or one float either side of
    /// it, and rows with values far outside the training range.</summary>
    private static List<Row> EvaluationRows(Trained model, int seed)
    {
        var random = new Random(seed);
        var rows = Synthetic(3000, groups: 150, seed: seed);
        var splits = model.Parameters.TrainedTreeEnsemble.Trees
            .SelectMany(t => t.NumericalSplitFeatureIndexes.Zip(t.NumericalSplitThresholds))
            .Distinct().ToList();
        var extremes = new[] { float.NegativeInfinity, -1e30f, -1f, -0f, 0f, 2f, 1e30f, float.MaxValue, float.PositiveInfinity };
        foreach (var extra in Synthetic(2400, groups: 120, seed: seed + 1))
        {
            if (rows.Count % 8 == 0)
            {
                for (int k = 0; k < 6; k++)
                {
                    extra.Features[random.Next(FeatureCount)] = extremes[random.Next(extremes.Length)];
                }
            }
            else
            {
                var (feature, threshold) = splits[random.Next(splits.Count)];
                extra.Features[feature] = (rows.Count % 3) switch
                {
                    0 => threshold,
                    1 => float.BitDecrement(threshold),
                    _ => float.BitIncrement(threshold),
                };
            }

            rows.Add(extra);
        }

        return rows;
    }

    private static List<Row> Synthetic(int count, int groups, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var f = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                f[j] = (float)random.NextDouble();
            }

            double relevance = (2 * f[0]) + (1.5 * f[1]) - f[2] + (f[3] * f[4]) + (0.3 * random.NextDouble());
            rows.Add(new Row { Label = (float)Math.Clamp(Math.Floor(relevance * 1.2), 0, 4), Group = (uint)(i * groups / count), Features = f });
        }

        return rows;
    }

    private static float[] Flatten(List<Row> rows) => rows.SelectMany(r => r.Features).ToArray();

    /// <summary>A random tree in ML.NET's layout: root is node 0, the other node numbers and the leaf numbers
    /// are shuffled so that nothing relies on them being in walk order.</summary>
    private static TreeSpec RandomTree(Random random, int features, int leaves, bool chain)
    {
        int nodes = leaves - 1;
        var nodeIds = Enumerable.Range(1, Math.Max(0, nodes - 1)).OrderBy(_ => random.Next()).Prepend(0).ToArray();
        var leafIds = Enumerable.Range(0, leaves).OrderBy(_ => random.Next()).ToArray();
        var left = new int[nodes];
        var right = new int[nodes];
        var feature = new int[nodes];
        var threshold = new float[nodes];
        var values = new double[leaves];
        int nextNode = 0;
        int nextLeaf = 0;
        Build(leaves);
        return new TreeSpec(left, right, feature, threshold, values);

        int Build(int count)
        {
            if (count == 1)
            {
                int leaf = leafIds[nextLeaf++];
                values[leaf] = Math.Round((random.NextDouble() - 0.5) * 4, 3) + (random.NextDouble() * 1e-9);
                return ~leaf;
            }

            int id = nodeIds[nextNode++];
            feature[id] = random.Next(features);
            threshold[id] = (float)Math.Round(random.NextDouble(), 2);
            int leftCount = chain ? (random.Next(2) == 0 ? 1 : count - 1) : random.Next(1, count);
            left[id] = Build(leftCount);
            right[id] = Build(count - leftCount);
            return id;
        }
    }

    private static float[] RandomRow(Random random, IReadOnlyList<TreeSpec> trees, int features)
    {
        var row = new float[features];
        for (int f = 0; f < features; f++)
        {
            row[f] = (float)Math.Round(random.NextDouble(), 2);
        }

        // A few values exactly on some split's threshold, where the direction of the test matters.
        var tree = trees[random.Next(trees.Count)];
        for (int k = 0; k < tree.SplitFeature.Count && k < 3; k++)
        {
            int node = random.Next(tree.SplitFeature.Count);
            row[tree.SplitFeature[node]] = tree.Threshold[node];
        }

        return row;
    }

    /// <summary>ML.NET's evaluation, written out: left when <c>x &lt;= t</c>, leaf values summed in tree order
    /// in double, a tree without nodes adding 0.</summary>
    private static float ReferenceScore(IReadOnlyList<TreeSpec> trees, float[] row)
    {
        double sum = 0;
        foreach (var tree in trees)
        {
            if (tree.LeftChild.Count == 0)
            {
                continue;
            }

            int node = 0;
            while (node >= 0)
            {
                node = row[tree.SplitFeature[node]] <= tree.Threshold[node] ? tree.LeftChild[node] : tree.RightChild[node];
            }

            sum += tree.LeafValues[~node];
        }

        return (float)sum;
    }

    private sealed record Trained(MLContext Ml, ITransformer Model, TreeEnsembleModelParametersBasedOnRegressionTree Parameters);

    public sealed class Row
    {
        public float Label { get; set; }

        public uint Group { get; set; }

        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    public sealed class CategoryRow
    {
        public string Category { get; set; } = "";

        public float X { get; set; }

        public float Label { get; set; }

        public uint Group { get; set; }
    }
}
