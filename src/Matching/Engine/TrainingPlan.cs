using System.Globalization;
using Matching.Evaluation;
using Matching.Ranking;

namespace Matching.Engine;

/// <summary>What <see cref="RankerWorkflow.Train(IReadOnlyList{TrainingSet}, RankerTrainingOptions, string, TrainingPlan, TextWriter?)"/>
/// does besides the final fit: cross-validation, parameter search, the ship guard and development sets.</summary>
public sealed class TrainingPlan
{
    /// <summary>Cross-validation folds (drawn within each set); 0 to skip. At least 2 with <see cref="Search"/> or
    /// <see cref="RequireNoLoss"/> (unless <see cref="Dev"/> is given).</summary>
    public int Folds { get; init; }

    /// <summary>How demands are kept together in folds; default the components of each set's judgment graph.</summary>
    public FoldGrouping Grouping { get; init; } = FoldGrouping.Components;

    /// <summary>The parameter grid to search by cross-validation, or null to train with the given parameters.</summary>
    public ParameterGrid? Search { get; init; }

    /// <summary>Refuse (<see cref="RankerLossException"/>, nothing written) when the cross-validated model, or the final
    /// model on a <see cref="Dev"/> set, ranks below BM25 on any set.</summary>
    public bool RequireNoLoss { get; init; }

    /// <summary>With folds, choose how the model's score mixes its trees with the BM25 order (<see cref="ScoreBlend"/>)
    /// by cross-validation: the blend of <see cref="ScoreBlend.Grid"/> that ranks the pooled out-of-fold lists best,
    /// recorded in the model. The cross-validated figures then choose each fold's blend by an inner cross-validation
    /// of that fold's training demands (a search chooses it per grid point, like the point). Default true; false keeps
    /// the trees alone.</summary>
    public bool Blend { get; init; } = true;

    /// <summary>With <see cref="Search"/>: report (and guard with <see cref="RequireNoLoss"/>) the cross-validated figures
    /// of the whole search, each outer fold searching the grid by an inner cross-validation of its own training demands,
    /// instead of the chosen point's own figures, which are optimistic because they chose it. The model is the same;
    /// training takes about folds times longer. Default false.</summary>
    public bool Nested { get; init; }

    /// <summary>Held-out development sets the final model is evaluated on (never trained on); null for none.</summary>
    public IReadOnlyList<TrainingSet>? Dev { get; init; }

    internal void Validate(IReadOnlyList<TrainingSet> sets)
    {
        var problems = new List<string>();
        if (sets.Count == 0)
        {
            problems.Add("no training sets");
        }

        if (Folds is < 0 or 1)
        {
            problems.Add("Folds must be 0 or at least 2");
        }

        if (Search is not null && Folds < 2)
        {
            problems.Add("a parameter search needs Folds of at least 2");
        }

        if (Nested && Search is null)
        {
            problems.Add("Nested needs a Search");
        }

        if (Nested && Folds < 3)
        {
            problems.Add("Nested needs Folds of at least 3 (each outer fold's training demands are split again)");
        }

        if (RequireNoLoss && Folds < 2 && Dev is not { Count: > 0 })
        {
            problems.Add("RequireNoLoss needs Folds of at least 2 or a development set");
        }

        if (sets.Count > 1 || sets.Any(s => s.Name.Length > 0))
        {
            foreach (var duplicate in sets.GroupBy(s => s.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                problems.Add($"two sets are named '{duplicate.Key}'");
            }

            foreach (var set in sets.Where(s => s.Name.Length == 0 || s.Weight is <= 0 or double.NaN or double.PositiveInfinity))
            {
                problems.Add($"set '{set.Name}' needs a name and a weight above 0");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid training plan: " + string.Join("; ", problems) + ".", "options");
        }
    }
}

/// <summary>A grid of learner parameters: every combination of the lists, tried in order (trees, then leaves, then
/// smallest leaf, then learning rate), so that ties go to the first, smaller models.</summary>
public sealed class ParameterGrid
{
    /// <summary>Boosting rounds to try. Default 100, 300.</summary>
    public IReadOnlyList<int> Trees { get; init; } = [100, 300];

    /// <summary>Leaves per tree to try. Default 8, 16, 31.</summary>
    public IReadOnlyList<int> Leaves { get; init; } = [8, 16, 31];

    /// <summary>Smallest leaf sizes to try. Default 100, 20 (the larger, more regularised one first).</summary>
    public IReadOnlyList<int> MinimumExampleCountPerLeaf { get; init; } = [100, 20];

    /// <summary>Learning rates to try. Default 0.05, 0.1.</summary>
    public IReadOnlyList<double> LearningRates { get; init; } = [0.05, 0.1];

    /// <summary>The points in grid order, each with the trainer and seed of <paramref name="template"/>.</summary>
    /// <exception cref="ArgumentException">A list is empty or a point's parameters are invalid.</exception>
    public IReadOnlyList<RankerTrainingOptions> Points(RankerTrainingOptions template)
    {
        if (Trees.Count == 0 || Leaves.Count == 0 || MinimumExampleCountPerLeaf.Count == 0 || LearningRates.Count == 0)
        {
            throw new ArgumentException("Invalid parameter grid: every list needs at least one value.", "options");
        }

        var points = new List<RankerTrainingOptions>();
        foreach (var trees in Trees)
        {
            foreach (var leaves in Leaves)
            {
                foreach (var minLeaf in MinimumExampleCountPerLeaf)
                {
                    foreach (var rate in LearningRates)
                    {
                        var point = new RankerTrainingOptions
                        {
                            Trainer = template.Trainer,
                            Seed = template.Seed,
                            NumberOfTrees = trees,
                            NumberOfLeaves = leaves,
                            MinimumExampleCountPerLeaf = minLeaf,
                            LearningRate = rate,
                        };
                        point.Validate();
                        points.Add(point);
                    }
                }
            }
        }

        return points;
    }

    /// <summary>Parses <c>trees=100,300;leaves=8,16,31;min-leaf=100,20;learning-rate=0.05,0.1</c>; a list left out
    /// keeps its default.</summary>
    /// <exception cref="ArgumentException">Unknown key or a value that is not a number.</exception>
    public static ParameterGrid Parse(string text)
    {
        var grid = new ParameterGrid();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals].Trim();
            var values = equals < 0 ? [] : part[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0)
            {
                throw new ArgumentException($"--grid: '{part}' has no values (expected KEY=V1,V2)", "options");
            }

            int[] Ints() => [.. values.Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
                : throw new ArgumentException($"--grid: {key} value '{v}' is not a whole number", "options"))];
            grid = key switch
            {
                "trees" => new ParameterGrid { Trees = Ints(), Leaves = grid.Leaves, MinimumExampleCountPerLeaf = grid.MinimumExampleCountPerLeaf, LearningRates = grid.LearningRates },
                "leaves" => new ParameterGrid { Trees = grid.Trees, Leaves = Ints(), MinimumExampleCountPerLeaf = grid.MinimumExampleCountPerLeaf, LearningRates = grid.LearningRates },
                "min-leaf" => new ParameterGrid { Trees = grid.Trees, Leaves = grid.Leaves, MinimumExampleCountPerLeaf = Ints(), LearningRates = grid.LearningRates },
                "learning-rate" => new ParameterGrid
                {
                    Trees = grid.Trees,
                    Leaves = grid.Leaves,
                    MinimumExampleCountPerLeaf = grid.MinimumExampleCountPerLeaf,
                    LearningRates = [.. values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x
                        : throw new ArgumentException($"--grid: learning-rate value '{v}' is not a number", "options"))],
                },
                _ => throw new ArgumentException($"--grid: unknown key '{key}' (trees, leaves, min-leaf, learning-rate)", "options"),
            };
        }

        return grid;
    }
}

/// <summary><c>train --require-no-loss</c> refused the model: it ranks below BM25 on a set (cross-validated) or on a
/// development set. Nothing was written.</summary>
public sealed class RankerLossException : MatchingException
{
    /// <summary>Creates the exception.</summary>
    public RankerLossException(string message) : base(message) { }
}
