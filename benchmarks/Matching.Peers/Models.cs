using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Matching.Engine;
using Matching.Features;
using Matching.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Matching.Peers;

/// <summary>Model evaluation: the compiled ensemble, ML.NET's <c>Transform</c> and native LightGBM on the
/// same feature rows and the same trees.</summary>
internal static class Models
{
    private sealed class MlRow
    {
        public float Label { get; set; }

        public string GroupId { get; set; } = "";

        public float[] Features { get; set; } = [];
    }

    /// <summary>Writes the feature rows of the BM25 top-100 lists of the judged demands (<c>rows.f32</c>,
    /// row-major little-endian float32, and <c>rows.json</c>) and the shipped ranker converted to LightGBM's
    /// text model format (<c>model.lgbm.txt</c>).</summary>
    public static int ExportRows(string dataDir, string demandsFile, string judgmentsFile, string outDir)
    {
        System.IO.Directory.CreateDirectory(outDir);
        var data = RankingData.FromFiles(
            Path.Combine(dataDir, "achievements.jsonl"), Path.Combine(dataDir, demandsFile), Path.Combine(dataDir, judgmentsFile));
        var groups = Internals.EvaluationRows(data);
        var n = PairFeatures.Count;
        using (var stream = File.Create(Path.Combine(outDir, "rows.f32")))
        {
            foreach (var (_, features, count) in groups)
            {
                stream.Write(MemoryMarshal.AsBytes(features.AsSpan(0, count * n)));
            }
        }

        File.WriteAllText(Path.Combine(outDir, "rows.json"), JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["rows"] = groups.Sum(g => g.Count),
            ["features"] = n,
            ["groups"] = groups.Count,
            ["source"] = $"{demandsFile}: BM25 top-100 lists of the judged demands, features as matching evaluate computes them",
        }));
        File.WriteAllText(Path.Combine(outDir, "model.lgbm.txt"), ToLightGbmText(LoadTrees(), PairFeatures.Names));
        Results.Log($"{outDir}: {groups.Sum(g => g.Count)} rows of {n} features from {groups.Count} demands; model.lgbm.txt");
        return 0;
    }

    public static int Bench(string outDir, int rounds, double minSeconds)
    {
        var meta = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(outDir, "rows.json")))!;
        var n = meta["features"].GetInt32();
        var rows = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(outDir, "rows.f32"))).ToArray();
        var count = rows.Length / n;
        const int Batch = 100;

        var ranker = RankerModel.LoadDefault();
        var batchScorer = Internals.BatchScorer(ranker);
        var rowScorer = Internals.RowScorer(ranker);
        var kernel = Internals.KernelOf(ranker);

        var ml = new MLContext(seed: 1);
        var pipeline = ml.Model.Load(RankerModel.DefaultPath, out _);
        var schema = SchemaDefinition.Create(typeof(MlRow));
        schema[nameof(MlRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var input = ml.Data.LoadFromEnumerable(
            Enumerable.Range(0, count).Select(i => new MlRow { GroupId = "q" + (i / Batch).ToString(CultureInfo.InvariantCulture), Features = rows.AsSpan(i * n, n).ToArray() }).ToArray(),
            schema);

        using var native = LightGbmNative.FromModelString(File.ReadAllText(Path.Combine(outDir, "model.lgbm.txt")));

        var compiledScores = new float[count];
        var mlScores = new float[count];
        var nativeScores = new double[count];
        var rowScores = new float[count];
        var nativeRowScores = new double[count];

        var subjects = new (string Name, string Key, Action Pass)[]
        {
            ("Matching compiled ensemble, batches of 100", "compiled.batch100", () =>
            {
                for (var start = 0; start < count; start += Batch)
                {
                    var m = Math.Min(Batch, count - start);
                    batchScorer(rows.AsSpan(start * n, m * n), m, compiledScores.AsSpan(start, m));
                }
            }),
            ("Matching compiled ensemble, one batch", "compiled.one", () => batchScorer(rows, count, compiledScores)),
            ("Matching compiled ensemble, row by row", "compiled.row", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    rowScores[i] = rowScorer(rows.AsSpan(i * n, n));
                }
            }),
            ("ML.NET 5.0.1 Transform (Score column by cursor)", "mlnet.transform", () =>
            {
                var scored = pipeline.Transform(input);
                var column = scored.Schema["Score"];
                using var cursor = scored.GetRowCursor([column]);
                var getter = cursor.GetGetter<float>(column);
                var i = 0;
                float value = 0;
                while (cursor.MoveNext())
                {
                    getter(ref value);
                    mlScores[i++] = value;
                }
            }),
            ("native LightGBM 4.6.0 PredictForMat, one batch", "lightgbm.one", () => native.Predict(rows, count, n, nativeScores)),
            ("native LightGBM 4.6.0 PredictForMat, batches of 100", "lightgbm.batch100", () =>
            {
                for (var start = 0; start < count; start += Batch)
                {
                    var m = Math.Min(Batch, count - start);
                    native.Predict(rows.AsSpan(start * n, m * n), m, n, nativeScores.AsSpan(start, m));
                }
            }),
            ("native LightGBM 4.6.0 SingleRowFast, row by row", "lightgbm.row", () =>
            {
                for (var i = 0; i < count; i++)
                {
                    nativeRowScores[i] = native.PredictRow(rows.AsSpan(i * n, n));
                }
            }),
        };

        foreach (var subject in subjects)
        {
            Timing.MeasurePasses(subject.Pass, minSeconds / 2); // warm-up
        }

        var samples = subjects.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var s = 0; s < subjects.Length; s++)
            {
                samples[s].Add(Timing.MeasurePasses(subjects[s].Pass, minSeconds));
            }
        }

        for (var s = 0; s < subjects.Length; s++)
        {
            Results.Emit(new()
            {
                ["kind"] = "model",
                ["peer"] = subjects[s].Name,
                ["key"] = subjects[s].Key,
                ["rows"] = count,
                ["features"] = n,
                ["kernel"] = subjects[s].Key.StartsWith("compiled", StringComparison.Ordinal) ? kernel : null,
                ["wall_s"] = Results.Walls(samples[s]),
                ["cpu_s"] = Results.Cpus(samples[s]),
                ["thread_cpu_s"] = Results.ThreadCpus(samples[s]),
            });
        }

        Results.Emit(new()
        {
            ["kind"] = "model-agreement",
            ["rows"] = count,
            ["trees"] = ranker.TreeCount,
            ["native_iterations"] = native.Iterations,
            ["compiled_vs_mlnet_bitwise_equal"] = Enumerable.Range(0, count).Count(i => BitConverter.SingleToInt32Bits(compiledScores[i]) == BitConverter.SingleToInt32Bits(mlScores[i])),
            ["compiled_row_vs_batch_bitwise_equal"] = Enumerable.Range(0, count).Count(i => BitConverter.SingleToInt32Bits(compiledScores[i]) == BitConverter.SingleToInt32Bits(rowScores[i])),
            ["native_as_float_vs_compiled_bitwise_equal"] = Enumerable.Range(0, count).Count(i => BitConverter.SingleToInt32Bits((float)nativeScores[i]) == BitConverter.SingleToInt32Bits(compiledScores[i])),
            ["native_vs_compiled_max_abs_diff"] = Enumerable.Range(0, count).Max(i => Math.Abs(nativeScores[i] - compiledScores[i])),
            ["native_row_vs_batch_equal"] = Enumerable.Range(0, count).Count(i => nativeRowScores[i] == nativeScores[i]),
        });
        return 0;
    }

    private static TreeEnsembleModelParametersBasedOnRegressionTree LoadTrees()
    {
        var model = new MLContext(seed: 1).Model.Load(RankerModel.DefaultPath, out _);
        var last = model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
        return last is ISingleFeaturePredictionTransformer<object> { Model: TreeEnsembleModelParametersBasedOnRegressionTree trees }
            ? trees
            : throw new InvalidOperationException($"the shipped model's last step is {last.GetType().Name}, not a tree ensemble");
    }

    /// <summary>Writes ML.NET's trees in LightGBM's text model format. ML.NET's scorer sums the trees' leaf
    /// values; LightGBM's raw score does the same, in the same (tree) order, in double. Node i goes left when
    /// <c>x &lt;= threshold</c> in both; the float thresholds are written as the doubles they equal, and
    /// <c>decision_type=0</c> (numerical, no missing-value handling) matches ML.NET's plain comparison.</summary>
    private static string ToLightGbmText(TreeEnsembleModelParametersBasedOnRegressionTree model, IReadOnlyList<string> names)
    {
        static string D(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        static string Join<T>(IEnumerable<T> values, Func<T, string> format) => string.Join(' ', values.Select(format));

        var ensemble = model.TrainedTreeEnsemble;
        var text = new StringBuilder();
        text.Append("tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n");
        text.Append(CultureInfo.InvariantCulture, $"max_feature_idx={names.Count - 1}\nobjective=lambdarank\n");
        text.Append("feature_names=").Append(string.Join(' ', names)).Append('\n');
        text.Append("feature_infos=").Append(string.Join(' ', names.Select(_ => "none"))).Append("\n\n");
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
            {
                throw new InvalidOperationException($"tree {t} has a categorical split; not converted");
            }

            var nodes = tree.LeftChild.Count;
            text.Append(CultureInfo.InvariantCulture, $"Tree={t}\n");
            if (nodes == 0)
            {
                text.Append("num_leaves=1\nnum_cat=0\nleaf_value=0\nshrinkage=1\n\n\n");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"num_leaves={tree.LeafValues.Count}\nnum_cat=0\n");
            text.Append("split_feature=").Append(Join(tree.NumericalSplitFeatureIndexes, i => i.ToString(CultureInfo.InvariantCulture))).Append('\n');
            text.Append("split_gain=").Append(Join(Enumerable.Repeat(0, nodes), _ => "0")).Append('\n');
            text.Append("threshold=").Append(Join(tree.NumericalSplitThresholds, x => D(x))).Append('\n');
            text.Append("decision_type=").Append(Join(Enumerable.Repeat(0, nodes), _ => "0")).Append('\n');
            text.Append("left_child=").Append(Join(tree.LeftChild, i => i.ToString(CultureInfo.InvariantCulture))).Append('\n');
            text.Append("right_child=").Append(Join(tree.RightChild, i => i.ToString(CultureInfo.InvariantCulture))).Append('\n');
            text.Append("leaf_value=").Append(Join(tree.LeafValues, D)).Append('\n');
            text.Append("leaf_count=").Append(Join(tree.LeafValues, _ => "0")).Append('\n');
            text.Append("internal_value=").Append(Join(Enumerable.Repeat(0, nodes), _ => "0")).Append('\n');
            text.Append("internal_count=").Append(Join(Enumerable.Repeat(0, nodes), _ => "0")).Append('\n');
            text.Append("is_linear=0\nshrinkage=1\n\n\n");
        }

        text.Append("end of trees\n");
        return text.ToString();
    }
}
