using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Matching.Features;

namespace Matching.Ranking;

/// <summary>Which gradient-boosted tree learner trains the ranker.</summary>
public enum RankerTrainerKind
{
    /// <summary>LightGBM LambdaRank (default).</summary>
    LightGbm,

    /// <summary>ML.NET's FastTree LambdaMART.</summary>
    FastTree,
}

/// <summary>Training parameters of the ranker. Defaults were chosen by cross-validation on CSL train and PAWS-X.</summary>
public sealed class RankerTrainingOptions
{
    /// <summary>The learner; default LightGBM.</summary>
    public RankerTrainerKind Trainer { get; init; } = RankerTrainerKind.LightGbm;

    /// <summary>Boosting rounds (trees). Default 100.</summary>
    public int NumberOfTrees { get; init; } = 100;

    /// <summary>Leaves per tree. Default 20.</summary>
    public int NumberOfLeaves { get; init; } = 20;

    /// <summary>Shrinkage. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Smallest leaf. Default 20 examples.</summary>
    public int MinimumExampleCountPerLeaf { get; init; } = 20;

    /// <summary>Random seed; the same data and seed give the same model.</summary>
    public int Seed { get; init; } = 1;

    internal void Validate()
    {
        var problems = new List<string>();
        if (NumberOfTrees < 1)
        {
            problems.Add("NumberOfTrees must be at least 1");
        }

        if (NumberOfLeaves is < 2 or > 64)
        {
            problems.Add("NumberOfLeaves must be between 2 and 64");
        }

        if (LearningRate is <= 0 or > 1)
        {
            problems.Add("LearningRate must be in (0, 1]");
        }

        if (MinimumExampleCountPerLeaf < 1)
        {
            problems.Add("MinimumExampleCountPerLeaf must be at least 1");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid ranker training options: " + string.Join("; ", problems) + ".");
        }
    }
}

/// <summary>Trains a LambdaRank tree ensemble on ranking groups with ML.NET (one thread: LightGBM slows 30–60×
/// with more when the cores are shared, and one thread is what makes the model reproducible).</summary>
internal static class RankerTrainer
{
    internal sealed class Row
    {
        public float Label { get; set; }

        public string GroupId { get; set; } = "";

        public float[] Features { get; set; } = [];
    }

    public static (ITransformer Model, DataViewSchema Schema, TreeEnsembleModelParametersBasedOnRegressionTree Trees) Train(
        IEnumerable<RankingGroup> groups, RankerTrainingOptions options)
    {
        options.Validate();
        var ml = new MLContext(seed: options.Seed);
        var rows = new List<Row>();
        foreach (var group in groups.Where(g => g.Count > 0))
        {
            for (var i = 0; i < group.Count; i++)
            {
                rows.Add(new Row { Label = group.Grades[i], GroupId = group.QueryId, Features = group.Row(i).ToArray() });
            }
        }

        if (rows.Count == 0)
        {
            throw new MatchingException("no training rows: no judged demand has any candidate");
        }

        var data = ml.Data.LoadFromEnumerable(rows, RowSchema());
        var mapGroups = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.GroupId));

        if (options.Trainer == RankerTrainerKind.FastTree)
        {
            var fastTree = ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                RowGroupColumnName = "GroupKey",
                NumberOfTrees = options.NumberOfTrees,
                NumberOfLeaves = options.NumberOfLeaves,
                LearningRate = options.LearningRate,
                MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
                NumberOfThreads = 1,
                Seed = options.Seed,
                FeatureSelectionSeed = options.Seed,
            });
            var model = mapGroups.Append(fastTree).Fit(data);
            return (model, data.Schema, model.LastTransformer.Model);
        }

        var lightGbm = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = "GroupKey",
            NumberOfIterations = options.NumberOfTrees,
            NumberOfLeaves = options.NumberOfLeaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
            NumberOfThreads = 1,
            Seed = options.Seed,
            Deterministic = true,
            HandleMissingValue = false,
            UseCategoricalSplit = false,
            Silent = true,
        });
        var trained = mapGroups.Append(lightGbm).Fit(data);
        return (trained, data.Schema, trained.LastTransformer.Model);
    }

    internal static SchemaDefinition RowSchema()
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, PairFeatures.Count);
        return schema;
    }

    /// <summary>Gain-based importance per feature, highest first.</summary>
    public static IReadOnlyList<(string Feature, double Gain)> Importance(TreeEnsembleModelParametersBasedOnRegressionTree trees)
    {
        var weights = default(VBuffer<float>);
        trees.GetFeatureWeights(ref weights);
        var dense = weights.DenseValues().ToArray();
        return [.. PairFeatures.Names
            .Select((name, i) => (name, i < dense.Length ? (double)dense[i] : 0))
            .OrderByDescending(x => x.Item2)
            .ThenBy(x => x.name, StringComparer.Ordinal)];
    }
}
