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
        var ranking = new RankingOptions(required: false);
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

        var sets = new Option<string?>("--sets")
        {
            Description = "Train on several data sets at once: a JSON sets file {\"sets\": [{\"name\", \"achievements\", \"demands\", \"judgments\", \"candidates\"?, \"judged_only\"?, \"exclude_self\"?, \"depth\"?, \"weight\"?}]} (replaces -a/-d/-j/--candidates/--judged-only/--exclude-self).",
            HelpName = "FILE",
        };
        var dataRoot = new Option<string?>("--data-root") { Description = "Folder the relative paths in --sets and --dev files resolve against (default: each file's own folder).", HelpName = "DIR" };
        var search = new Option<bool>("--search") { Description = "Choose trees, leaves, min-leaf and learning rate by grouped cross-validation over a grid (needs --folds)." };
        var grid = new Option<string?>("--grid")
        {
            Description = "The --search grid (default trees=100,300;leaves=8,16,31;min-leaf=100,20;learning-rate=0.05,0.1: 24 points).",
            HelpName = "SPEC",
        };
        var requireNoLoss = new Option<bool>("--require-no-loss")
        {
            Description = $"Exit {ExitCodes.RankerLoss} and write nothing when the cross-validated model (or the final one on a --dev set) ranks below BM25 on any set.",
        };
        var nested = new Option<bool>("--nested")
        {
            Description = "With --search: report the cross-validated figures of the whole search (each outer fold searches its own training demands), not the chosen point's, which are optimistic. About K times slower; same model.",
        };
        var noBlend = new Option<bool>("--no-blend")
        {
            Description = "Score with the trees alone. By default, with --folds, the model's score mixes its trees with the BM25 order by a weight chosen by cross-validation (nested within each fold for the reported figures).",
        };
        var dev = new Option<string?>("--dev") { Description = "Development sets (the --sets format) the final model is evaluated on, never trained on.", HelpName = "FILE" };
        var semantic = new SemanticOptions();
        var feedback = new FeedbackOptions();

        var command = new Command("train", "Train the LambdaRank reranker on judged demand–achievement pairs; prints cross-validated metrics and features by gain.");
        ranking.AddTo(command);
        foreach (var option in new Option[] { output, folds, foldGroups, seed, trainer, trees, leaves, learningRate, minLeaf, sets, dataRoot, search, grid, nested, requireNoLoss, noBlend, dev })
        {
            command.Add(option);
        }

        semantic.AddTo(command);
        feedback.AddTo(command);

        command.Validators.Add(result =>
        {
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            if (Given(sets))
            {
                foreach (var option in ranking.SetOptions.Where(Given))
                {
                    result.AddError($"--sets replaces {option.Name}: give it per set in the sets file");
                }
            }

            var k = result.GetValue(folds);
            if (Given(search) && result.GetValue(search) && k < 2)
            {
                result.AddError("--search needs --folds K (at least 2): the grid is chosen by cross-validation");
            }

            if (Given(grid) && !result.GetValue(search))
            {
                result.AddError("--grid needs --search");
            }

            if (result.GetValue(nested) && (!result.GetValue(search) || k < 3))
            {
                result.AddError("--nested needs --search and --folds K (at least 3)");
            }

            if (result.GetValue(requireNoLoss) && k < 2 && !Given(dev))
            {
                result.AddError("--require-no-loss needs --folds K (at least 2) or --dev FILE: it checks the cross-validated or development results");
            }

            if (Given(dataRoot) && !Given(sets) && !Given(dev))
            {
                result.AddError("--data-root needs --sets or --dev");
            }
        });

        command.SetAction(parse => host.Execute(() =>
        {
            // Checked here rather than by a validator, so that the options' own errors (such as --columns) come first.
            var missing = parse.GetValue(sets) is null
                ? new Option[] { ranking.Achievements, ranking.Demands, ranking.Judgments }.Where(o => parse.GetResult(o) is not { Implicit: false }).Select(o => o.Name).ToList()
                : [];
            if (missing.Count > 0)
            {
                throw new UsageException($"train needs {string.Join(", ", missing)} (or --sets FILE)");
            }

            var root = parse.GetValue(dataRoot);
            var setsPath = parse.GetValue(sets);
            var single = setsPath is null;
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
                var encoder = semantic.Load(parse, host);
                var plan = new TrainingPlan
                {
                    Folds = parse.GetValue(folds),
                    Grouping = parse.GetValue(foldGroups) == "demands" ? FoldGrouping.Demands : FoldGrouping.Components,
                    Search = parse.GetValue(search) ? (parse.GetValue(grid) is { } spec ? ParameterGrid.Parse(spec) : new ParameterGrid()) : null,
                    RequireNoLoss = parse.GetValue(requireNoLoss),
                    Blend = !parse.GetValue(noBlend),
                    Nested = parse.GetValue(nested),
                    Dev = parse.GetValue(dev) is { } devPath ? WithSemantic(ranking.ReadSets(parse, host, TrainingSetsFile.Read(devPath, root), feedback.Apply(parse, new())), semantic.On(parse), encoder, semantic.DepthOf(parse)) : null,
                };
                if (single)
                {
                    var data = ranking.Read(parse, host, feedback.Apply(parse, new())).WithSemantic(semantic.On(parse), encoder, semantic.DepthOf(parse));
                    report = plan.Search is null && !plan.RequireNoLoss && plan.Dev is null && plan.Blend
                        ? RankerWorkflow.Train(data, options, parse.GetValue(output)!, plan.Folds, host.Err, plan.Grouping)
                        : RankerWorkflow.Train([new TrainingSet("data", data)], options, parse.GetValue(output)!, plan, host.Err);
                }
                else
                {
                    var training = WithSemantic(ranking.ReadSets(parse, host, TrainingSetsFile.Read(setsPath!, root), feedback.Apply(parse, new())), semantic.On(parse), encoder, semantic.DepthOf(parse));
                    report = RankerWorkflow.Train(training, options, parse.GetValue(output)!, plan, host.Err);
                }
            }
            catch (ArgumentException e) when (e.ParamName != "options")
            {
                throw new UsageException(e.Message);
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal));
            }
            catch (RankerLossException e)
            {
                host.Err.WriteLine($"error: {e.Message}");
                return ExitCodes.RankerLoss;
            }

            var metadata = report.Model.Metadata;
            host.Out.WriteLine($"model       {report.Path}");
            host.Out.WriteLine($"training    {metadata.TrainingGroups} demands, {metadata.TrainingRows} pairs, data {metadata.TrainingDataHash}");
            if (metadata.Selection is { } selection)
            {
                PrintSelection(host.Out, selection);
            }

            foreach (var fold in metadata.Folds)
            {
                host.Out.WriteLine($"fold {fold.Fold}      {RankerWorkflow.Describe(fold)}");
            }

            if (metadata.Mean is { } mean)
            {
                host.Out.WriteLine($"mean        {RankerWorkflow.Describe(mean)}");
            }

            if (metadata.Blend is { } blend)
            {
                host.Out.WriteLine($"blend       {blend.Describe()} (chosen by cross-validation; see BlendSelection in the metadata)");
            }

            foreach (var set in metadata.Sets ?? [])
            {
                host.Out.WriteLine($"set {set.Name} (weight {set.Weight.ToString(CultureInfo.InvariantCulture)}): {set.Groups} demands, {set.Rows} pairs, data {set.DataHash}");
                foreach (var fold in set.Folds)
                {
                    host.Out.WriteLine($"  fold {fold.Fold}    {RankerWorkflow.Describe(fold)}");
                }

                if (set.Mean is { } setMean)
                {
                    host.Out.WriteLine($"  mean      {RankerWorkflow.Describe(setMean)}");
                }
            }

            if (metadata.Sets is { Count: > 0 } all && all.All(s => s.Mean is not null))
            {
                var weight = all.Sum(s => s.Weight);
                var macro = all.Sum(s => s.Weight * (Primary(s.Mean!.Reranked) - Primary(s.Mean.Bm25))) / weight;
                host.Out.WriteLine(FormattableString.Invariant($"macro mean  reranked - BM25 (judged-only sets: MRR; others: MRR@10) {macro:+0.0000;-0.0000}"));
            }

            foreach (var evaluation in metadata.Dev ?? [])
            {
                host.Out.WriteLine($"dev {evaluation.Set}: BM25 {RankerWorkflow.Describe(evaluation.Bm25)} | reranked {RankerWorkflow.Describe(evaluation.Reranked)}");
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

    private static double Primary(RankingScores scores) => scores.Judged?.Mrr ?? scores.Full!.Mrr10;

    /// <summary>The search table: one row per grid point, the gain on every set, the macro mean, the chosen point marked.</summary>
    private static void PrintSelection(TextWriter output, ParameterSelection selection)
    {
        output.WriteLine($"search      {selection.Points.Count} points; rule: {selection.Rule}");
        var names = selection.Points[0].Sets.Select(s => $"{s.Set} ({s.Metric})").ToList();
        output.WriteLine($"  {"#",3} {"trees",5} {"leaves",6} {"min-leaf",8} {"lr",6} {string.Join(" ", names.Select(n => n.PadLeft(Math.Max(n.Length, 9))))} {"macro",8}  never below BM25");
        foreach (var point in selection.Points)
        {
            var gains = point.Sets.Select((s, i) => s.Gain.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture).PadLeft(Math.Max(names[i].Length, 9)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(point.Point == selection.Chosen ? "*" : " ")} {point.Point,3} {point.Parameters["trees"],5} {point.Parameters["leaves"],6} {point.Parameters["min_examples_per_leaf"],8} {point.Parameters["learning_rate"],6} {string.Join(" ", gains)} {point.MacroGain,8:+0.0000;-0.0000}  {(point.NeverBelowBm25 ? "yes" : "no")}"));
        }

        output.WriteLine($"chosen      point {selection.Chosen}{(selection.NoLossPoint ? "" : " (no point is at least BM25 on every set)")}");
    }

    private static IReadOnlyList<TrainingSet> WithSemantic(IReadOnlyList<TrainingSet> sets, bool semantic, Matching.Text.ITextEncoder? encoder, int depth) =>
        [.. sets.Select(s => s with { Data = s.Data.WithSemantic(semantic, encoder, depth) })];
}
