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

/// <summary>The learner found no split worth making (too few rows for the smallest leaf): the model would score every
/// candidate alike, i.e. keep the BM25 order.</summary>
internal sealed class NoSplitException(string message, Exception inner) : MatchingException(message, inner);

/// <summary>A ranking group under the query id LambdaRank sees, with the weight of each of its rows.</summary>
/// <param name="Key">The query id, unique across everything trained together (a set prefix and the demand id).</param>
/// <param name="Group">The candidates, features and grades.</param>
/// <param name="Weight">Example weight of its rows.</param>
internal readonly record struct KeyedGroup(string Key, RankingGroup Group, float Weight);

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

    /// <summary>A row with an example weight (only used when some set's weight is not 1, so that unweighted models keep
    /// the schema they always had).</summary>
    internal sealed class WeightedRow
    {
        public float Label { get; set; }

        public string GroupId { get; set; } = "";

        public float[] Features { get; set; } = [];

        public float Weight { get; set; } = 1;
    }

    public static (ITransformer Model, DataViewSchema Schema, TreeEnsembleModelParametersBasedOnRegressionTree Trees) Train(
        IEnumerable<RankingGroup> groups, RankerTrainingOptions options) =>
        Train(groups.Select(g => new KeyedGroup(g.QueryId, g, 1)), options);

    /// <summary>Trains on groups from one or several data sets: each group's <see cref="KeyedGroup.Key"/> is its LambdaRank
    /// query id, so keys must be unique across sets (a set prefix); rows carry their group's weight.</summary>
    public static (ITransformer Model, DataViewSchema Schema, TreeEnsembleModelParametersBasedOnRegressionTree Trees) Train(
        IEnumerable<KeyedGroup> groups, RankerTrainingOptions options)
    {
        options.Validate();
        var ml = new MLContext(seed: options.Seed);
        var rows = Rows(groups);
        if (rows.Count == 0)
        {
            throw new MatchingException("no training rows: no judged demand has any candidate");
        }

        var weighted = rows.Any(r => r.Weight != 1);
        var data = weighted
            ? ml.Data.LoadFromEnumerable(rows, WeightedRowSchema())
            : ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Label = r.Label, GroupId = r.GroupId, Features = r.Features }), RowSchema());
        var weightColumn = weighted ? nameof(WeightedRow.Weight) : null;
        var mapGroups = ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.GroupId));

        if (options.Trainer == RankerTrainerKind.FastTree)
        {
            var fastTree = ml.Ranking.Trainers.FastTree(new FastTreeRankingTrainer.Options
            {
                LabelColumnName = nameof(Row.Label),
                FeatureColumnName = nameof(Row.Features),
                RowGroupColumnName = "GroupKey",
                ExampleWeightColumnName = weightColumn,
                NumberOfTrees = options.NumberOfTrees,
                NumberOfLeaves = options.NumberOfLeaves,
                LearningRate = options.LearningRate,
                MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
                NumberOfThreads = 1,
                Seed = options.Seed,
                FeatureSelectionSeed = options.Seed,
            });
            var model = Fit(() => mapGroups.Append(fastTree).Fit(data), rows.Count, options);
            return (model, data.Schema, model.LastTransformer.Model);
        }

        var lightGbm = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = "GroupKey",
            ExampleWeightColumnName = weightColumn,
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
        var trained = Fit(() => mapGroups.Append(lightGbm).Fit(data), rows.Count, options);
        return (trained, data.Schema, trained.LastTransformer.Model);
    }

    /// <summary>Runs a fit; a learner that made no split at all (every leaf would hold fewer examples than allowed) fails
    /// inside ML.NET with a bare ArgumentNullException, turned here into an error that says why.</summary>
    private static T Fit<T>(Func<T> fit, int rows, RankerTrainingOptions options)
    {
        try
        {
            return fit();
        }
        catch (ArgumentNullException e)
        {
            throw new NoSplitException(
                $"the learner made no split: {rows} training rows, at least {options.MinimumExampleCountPerLeaf} examples per leaf; lower --min-leaf or add judged data", e);
        }
    }

    /// <summary>The training rows, group by group (empty groups dropped).</summary>
    /// <exception cref="ArgumentException">Two groups share a key: LambdaRank would merge them into one query.</exception>
    internal static List<WeightedRow> Rows(IEnumerable<KeyedGroup> groups)
    {
        var rows = new List<WeightedRow>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, group, weight) in groups)
        {
            if (!keys.Add(key))
            {
                throw new ArgumentException($"two ranking groups share the id '{key}'", nameof(groups));
            }

            for (var i = 0; i < group.Count; i++)
            {
                rows.Add(new WeightedRow { Label = group.Grades[i], GroupId = key, Features = group.Row(i).ToArray(), Weight = weight });
            }
        }

        return rows;
    }

    internal static SchemaDefinition WeightedRowSchema()
    {
        var schema = SchemaDefinition.Create(typeof(WeightedRow));
        schema[nameof(WeightedRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, PairFeatures.Count);
        return schema;
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
