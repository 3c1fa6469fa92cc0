using System.CommandLine;
using System.Globalization;
using Matching.Engine;
using Matching.Evaluation;
using Matching.Ranking;
using Matching.Cli.Hosting;

namespace Matching.Cli.Commands;

/// <summary><c>matching train</c>: train the LambdaRank reranker on judged pairs.</summary>
internal static class TrainCommand
{
    public static Command Create(CommandHost host)
    {
        var ranking = new RankingOptions();
        var output = new Option<string>("--out", "-o") { Description = "Model zip to write (NAME.json with metadata is written beside it).", Required = true, HelpName = "FILE" };
        var folds = new Option<int>("--folds") { Description = "Cross-validate over K folds of demands (grouped by shared relevant achievements) before the final fit (0: skip).", DefaultValueFactory = _ => 0, HelpName = "K" };
        folds.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or 1)
            {
                r.AddError("--folds must be 0 or at least 2");
            }
        });
        var foldGroups = new Option<string>("--fold-groups")
        {
            Description = "components (default): demands sharing a relevant achievement stay in one fold; demands: each demand alone (leaks answers between folds; for comparison).",
            DefaultValueFactory = _ => "components",
        };
        foldGroups.AcceptOnlyFromAmong("components", "demands");
        var seed = new Option<int>("--seed") { Description = "Random seed (fold split, learner).", DefaultValueFactory = _ => 1 };
        var trainer = new Option<string>("--trainer") { Description = "lightgbm (default) or fasttree.", DefaultValueFactory = _ => "lightgbm" };
        trainer.AcceptOnlyFromAmong("lightgbm", "fasttree");
        var defaults = new RankerTrainingOptions();
        var trees = CommonOptions.PositiveInt("--trees", defaults.NumberOfTrees, "Boosting rounds.");
        var leaves = CommonOptions.PositiveInt("--leaves", defaults.NumberOfLeaves, "Leaves per tree (2–64).");
        var learningRate = new Option<double>("--learning-rate") { Description = "Shrinkage.", DefaultValueFactory = _ => defaults.LearningRate };
        var minLeaf = CommonOptions.PositiveInt("--min-leaf", defaults.MinimumExampleCountPerLeaf, "Fewest examples in a leaf.");

        var command = new Command("train", "Train the LambdaRank reranker on judged demand–achievement pairs; prints cross-validated metrics and features by gain.");
        ranking.AddTo(command);
        foreach (var option in new Option[] { output, folds, foldGroups, seed, trainer, trees, leaves, learningRate, minLeaf })
        {
            command.Add(option);
        }

        command.SetAction(parse => host.Execute(() =>
        {
            var data = ranking.Read(parse, host);
            var options = new RankerTrainingOptions
            {
                Trainer = parse.GetValue(trainer) == "fasttree" ? RankerTrainerKind.FastTree : RankerTrainerKind.LightGbm,
                NumberOfTrees = parse.GetValue(trees),
                NumberOfLeaves = parse.GetValue(leaves),
                LearningRate = parse.GetValue(learningRate),
                MinimumExampleCountPerLeaf = parse.GetValue(minLeaf),
                Seed = parse.GetValue(seed),
            };

            TrainingReport report;
            try
            {
                report = RankerWorkflow.Train(data, options, parse.GetValue(output)!, parse.GetValue(folds), host.Err,
                    parse.GetValue(foldGroups) == "demands" ? FoldGrouping.Demands : FoldGrouping.Components);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }

            var metadata = report.Model.Metadata;
            host.Out.WriteLine($"model       {report.Path}");
            host.Out.WriteLine($"training    {metadata.TrainingGroups} demands, {metadata.TrainingRows} pairs, data {metadata.TrainingDataHash}");
            foreach (var fold in metadata.Folds)
            {
                host.Out.WriteLine($"fold {fold.Fold}      {RankerWorkflow.Describe(fold)}");
            }

            if (metadata.Mean is { } mean)
            {
                host.Out.WriteLine($"mean        {RankerWorkflow.Describe(mean)}");
            }

            host.Out.WriteLine("features by gain:");
            foreach (var feature in metadata.Importance)
            {
                host.Out.WriteLine($"  {feature.Feature,-26} {feature.Gain.ToString("0.0000", CultureInfo.InvariantCulture)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
