using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Matching.Evaluation;
using Matching.Features;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Text;
using Matching.Retrieval;

namespace Matching.Engine;

/// <summary>What a ranker training or evaluation reads: records, judgments and where candidates come from.</summary>
public sealed class RankingData
{
    /// <summary>The achievements (the corpus).</summary>
    public required IReadOnlyList<Achievement> Achievements { get; init; }

    /// <summary>The demands (the queries).</summary>
    public required IReadOnlyList<Demand> Demands { get; init; }

    /// <summary>Graded judgments (grade &gt; 0 relevant; 0 or below a judged non-relevant pair).</summary>
    public required IReadOnlyList<Judgment> Judgments { get; init; }

    /// <summary>Candidate lists to rerank instead of retrieving (a TREC run), or null.</summary>
    public IReadOnlyList<RunEntry>? Candidates { get; init; }

    /// <summary>BM25 candidates per demand when <see cref="Candidates"/> is null. Default 100.</summary>
    public int Depth { get; init; } = 100;

    /// <summary>Condensed lists: only judged candidates, only demands with a relevant and a judged non-relevant one.</summary>
    public bool JudgedOnly { get; init; }

    /// <summary>Pair tasks: demand PREFIX+X never gets achievement X (it is the same sentence).</summary>
    public string? ExcludeSelfPrefix { get; init; }

    /// <summary>How the demands' queries are built (query-term cap, field boosts) when <see cref="Candidates"/> is null.
    /// Default: the engine's.</summary>
    public RetrievalOptions Retrieval { get; init; } = new();

    /// <summary>Whether retrieved candidates also come from the route by meaning (BM25 top <see cref="Depth"/> ∪ the
    /// <see cref="SemanticDepth"/> nearest achievements by text vector, fused by reciprocal rank). Default false.</summary>
    public bool Semantic { get; init; }

    /// <summary>Nearest achievements by meaning added per demand when <see cref="Semantic"/>. Default 100.</summary>
    public int SemanticDepth { get; init; } = 100;

    /// <summary>The encoder of the route by meaning; null trains word vectors on the achievements' and demands' texts.</summary>
    public ITextEncoder? Encoder { get; init; }

    /// <summary>A copy with the route by meaning on or off, its encoder (null: keep this one's) and its depth (null:
    /// keep this one's).</summary>
    public RankingData WithSemantic(bool semantic, ITextEncoder? encoder = null, int? depth = null) => new()
    {
        Achievements = Achievements,
        Demands = Demands,
        Judgments = Judgments,
        Candidates = Candidates,
        Depth = Depth,
        JudgedOnly = JudgedOnly,
        ExcludeSelfPrefix = ExcludeSelfPrefix,
        Retrieval = Retrieval,
        Semantic = semantic,
        SemanticDepth = depth ?? SemanticDepth,
        Encoder = encoder ?? Encoder,
    };

    /// <summary>Reads the records, the judgments (TREC qrels, or an outcome CSV when the file ends in .csv) and
    /// optionally candidate lists (a TREC run) from files.</summary>
    /// <exception cref="InputFormatException">Any file is missing or malformed (file, line and field named).</exception>
    public static RankingData FromFiles(string achievementsPath, string demandsPath, string judgmentsPath, string? candidatesPath = null, ReadOptions? readOptions = null) => new()
    {
        Achievements = RecordReader.ReadAchievements(achievementsPath, readOptions).Records,
        Demands = RecordReader.ReadDemands(demandsPath, readOptions).Records,
        Judgments = judgmentsPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? OutcomeReader.Read(judgmentsPath) : JudgmentReader.Read(judgmentsPath),
        Candidates = candidatesPath is null ? null : RunReader.Read(candidatesPath),
    };
}

/// <summary>The outcome of <c>RankerWorkflow.Train</c>.</summary>
/// <param name="Model">The model trained on all demands.</param>
/// <param name="Path">Where it was written.</param>
public sealed record TrainingReport(RankerModel Model, string Path);

/// <summary>The outcome of <see cref="RankerWorkflow.Evaluate"/>.</summary>
/// <param name="Bm25">Metrics of the BM25 ranking.</param>
/// <param name="Reranked">Metrics of the model's ranking (null without a model).</param>
/// <param name="Run">The final ranking per demand (reranked when a model was given); each candidate's score is the key it
/// was ranked by (the model's score, or the BM25 retrieval score; with candidate lists, the bm25 feature).</param>
public sealed record RankingEvaluation(RankingScores Bm25, RankingScores? Reranked, IReadOnlyList<QueryMatches> Run)
{
    /// <summary>How the model's strength calibration holds on these lists (null without a calibrated model).</summary>
    public CalibrationCheck? Calibration { get; init; }

    /// <summary>The same for the model's BM25 calibration on the BM25 lists.</summary>
    public CalibrationCheck? Bm25Calibration { get; init; }
}

/// <summary>Trains and evaluates the learned reranker: candidates, features, LambdaRank, cross-validation.</summary>
public static class RankerWorkflow
{
    /// <summary>Trains on every judged demand (optionally cross-validating first) and writes the model.</summary>
    /// <param name="data">Records, judgments and candidate source.</param>
    /// <param name="options">Learner and parameters.</param>
    /// <param name="outPath">The model zip to write; <c>NAME.json</c> is written beside it.</param>
    /// <param name="folds">Cross-validation folds; 0 or 1 to skip.</param>
    /// <param name="log">Progress, fold sizes and per-fold results (stderr in the CLI); null for none.</param>
    /// <param name="grouping">How demands are kept together in folds: by default, demands that share a relevant
    /// achievement (connected components of the judgment graph) never straddle folds.</param>
    public static TrainingReport Train(RankingData data, RankerTrainingOptions options, string outPath, int folds = 0, TextWriter? log = null, FoldGrouping grouping = FoldGrouping.Components) =>
        Train([new TrainingSet("", data)], options, outPath, new TrainingPlan { Folds = folds, Grouping = grouping }, log, single: true);

    /// <summary>Trains one model on several data sets at once, optionally searching the parameters by grouped
    /// cross-validation first, and writes it. Each set keeps its own index and corpus statistics (features are computed
    /// within the set); the ranking groups of all sets are pooled for LambdaRank under ids prefixed with the set's name.
    /// Folds are drawn within each set (components of that set's judgment graph) and every set's held-out demands are
    /// scored in every fold.</summary>
    /// <param name="sets">The data sets; names unique.</param>
    /// <param name="options">Learner, parameters (the search's starting point: trainer and seed) and seed.</param>
    /// <param name="outPath">The model zip to write; <c>NAME.json</c> is written beside it.</param>
    /// <param name="plan">Folds, search grid, ship guard and development sets.</param>
    /// <param name="log">Progress and per-fold results (stderr in the CLI); null for none.</param>
    /// <exception cref="RankerLossException">The plan requires no loss and the model ranks below BM25 on a set; nothing
    /// is written.</exception>
    public static TrainingReport Train(IReadOnlyList<TrainingSet> sets, RankerTrainingOptions options, string outPath, TrainingPlan plan, TextWriter? log) =>
        Train(sets, options, outPath, plan, log, single: false);

    private static TrainingReport Train(IReadOnlyList<TrainingSet> sets, RankerTrainingOptions options, string outPath, TrainingPlan plan, TextWriter? log, bool single)
    {
        options.Validate();
        plan.Validate(sets);
        var contexts = new List<Context>();
        try
        {
            foreach (var set in sets)
            {
                contexts.Add(Context.Create(set.Data));
            }

            var trainings = sets.Select((set, i) => new SetState(set, contexts[i], single ? null : set.Name + "/")).ToList();
            foreach (var state in trainings)
            {
                var data = state.Set.Data;
                log?.WriteLine($"{(single ? "" : $"set {state.Set.Name}: ")}training on {state.Demands.Count} judged demands ({(data.Candidates is null ? data.Semantic ? $"BM25 top {data.Depth} ∪ {data.SemanticDepth} nearest by meaning" : $"BM25 top {data.Depth}" : "given candidate lists")}{(data.JudgedOnly ? ", judged only" : "")})");
                state.Precompute();
                if (plan.Folds >= 2)
                {
                    state.Split(plan.Folds, options.Seed, plan.Grouping, log, single);
                }
            }

            ParameterSelection? selection = null;
            Dictionary<TrainingSet, List<FoldResult>>? folds = null;
            var calibration = new CalibrationSet();
            var blend = ScoreBlend.TreesOnly;
            IReadOnlyList<BlendChoice>? blendChoices = null;
            if (plan.Search is { } grid)
            {
                CrossValidation chosen;
                var nested = plan.Nested ? NestedSearch(trainings, grid, options, plan.Folds, plan.Blend, single, log) : null;
                (selection, options, chosen) = Search(trainings, grid, options, plan.Folds, plan.Blend, log);
                folds = nested ?? chosen.Results;
                blend = chosen.Blend;
                blendChoices = chosen.BlendChoices;
                AddCalibration(trainings, chosen.Models, blend, calibration);
            }
            else if (plan.Folds >= 2)
            {
                var cv = CrossValidate(trainings, options, plan.Folds, log, single, nestedBlend: plan.Blend);
                folds = cv.Results;
                if (plan.Blend)
                {
                    (blend, blendChoices) = ChooseBlend(trainings, OutOfFold(trainings, cv.Models));
                    log?.WriteLine($"score blend (chosen on the pooled out-of-fold lists): {blend.Describe()}; " +
                        string.Join(", ", blendChoices.Select(c => FormattableString.Invariant($"{c.Blend.Describe()} {c.Score:0.0000}"))));
                }

                AddCalibration(trainings, cv.Models, blend, calibration);
            }

            var (strength, bm25Strength) = Calibrate(calibration, log);

            if (plan.RequireNoLoss && folds is not null)
            {
                var losses = trainings
                    .Select(t => (t.Set.Name, Gain: Round(Gain(t.Set.Data, Mean(folds[t.Set]))), Metric: MetricName(t.Set.Data)))
                    .Where(x => x.Gain < 0).ToList();
                if (losses.Count > 0)
                {
                    throw new RankerLossException(
                        $"--require-no-loss: cross-validated, the {(selection is null ? "" : "chosen ")}model ranks below BM25 on " +
                        string.Join(", ", losses.Select(l => FormattableString.Invariant($"{(single ? "the data" : $"set '{l.Name}'")} ({l.Metric} {l.Gain:+0.0000;-0.0000})"))) +
                        "; no model written");
                }
            }

            var all = trainings.SelectMany(t => t.Keyed(t.Demands)).ToList();
            var (model, schema, finalTrees) = RankerTrainer.Train(all, options);
            var compiledFinal = CompiledTreeEnsemble.Compile(finalTrees, PairFeatures.Count).WithBlend(blend, PairFeatures.Bm25RankIndex);
            List<SetEvaluation>? dev = null;
            if (plan.Dev is { Count: > 0 } devSets)
            {
                dev = [];
                foreach (var devSet in devSets)
                {
                    using var devContext = Context.Create(devSet.Data);
                    var (bm25, reranked, _) = devContext.Score(devContext.TrainableDemands(), compiledFinal, threads: 0);
                    var evaluation = new SetEvaluation(devSet.Name, bm25, reranked!);
                    dev.Add(evaluation);
                    log?.WriteLine($"dev {devSet.Name}: BM25 {Describe(bm25)} | reranked {Describe(reranked!)}");
                }

                var losses = dev.Select((e, i) => (e.Set, Gain: Round(Gain(devSets[i].Data, new FoldResult(0, e.Bm25, e.Reranked))))).Where(x => x.Gain < 0).ToList();
                if (plan.RequireNoLoss && losses.Count > 0)
                {
                    throw new RankerLossException(
                        "--require-no-loss: the model ranks below BM25 on development set " +
                        string.Join(", ", losses.Select(l => FormattableString.Invariant($"'{l.Set}' ({l.Gain:+0.0000;-0.0000})"))) + "; no model written");
                }
            }

            var importance = RankerTrainer.Importance(finalTrees);
            var top = importance.Count > 0 && importance[0].Gain > 0 ? importance[0].Gain : 1;
            var parameters = new SortedDictionary<string, string>(Point(options), StringComparer.Ordinal)
            {
                ["seed"] = Invariant(options.Seed),
                ["folds"] = Invariant(plan.Folds),
                ["fold_groups"] = plan.Grouping == FoldGrouping.Components ? "components" : "demands",
            };
            if (sets.Any(s => s.Data.Semantic))
            {
                parameters[RankerMetadata.SemanticCosineParameter] = "on";
            }

            if (single)
            {
                var data = sets[0].Data;
                parameters["depth"] = Invariant(data.Depth);
                parameters["candidates"] = ListParameters(data)["candidates"];
                parameters["judged_only"] = data.JudgedOnly ? "true" : "false";
            }
            else
            {
                parameters["sets"] = string.Join(",", sets.Select(s => s.Name));
            }

            if (selection is not null)
            {
                parameters["search"] = "grid";
            }

            var setResults = trainings.Select(t =>
            {
                var setFolds = folds?[t.Set] ?? [];
                var groups = t.Demands.Select(t.TrainingGroup).ToList();
                return new SetTraining(t.Set.Name, t.Set.Weight, ListParameters(t.Set.Data), DataHash(t.Set.Data),
                    groups.Count(g => g.Count > 0), groups.Sum(g => g.Count), setFolds, setFolds.Count == 0 ? null : Mean(setFolds));
            }).ToList();
            var metadata = new RankerMetadata
            {
                FeatureHash = PairFeatures.Hash,
                FeatureNames = PairFeatures.Names,
                AnalyzerVersion = MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba),
                Trainer = options.Trainer == RankerTrainerKind.FastTree ? "fasttree" : "lightgbm",
                Parameters = parameters,
                TrainingDataHash = single ? setResults[0].DataHash : CombinedHash(setResults),
                TrainingGroups = setResults.Sum(s => s.Groups),
                TrainingRows = setResults.Sum(s => s.Rows),
                Folds = single ? setResults[0].Folds : [],
                Mean = single ? setResults[0].Mean : null,
                Importance = [.. importance.Select(x => new FeatureGain(x.Feature, Math.Round(x.Gain / top, 6)))],
                Sets = single ? null : setResults,
                Selection = selection,
                Dev = dev,
                Strength = strength,
                Bm25Strength = bm25Strength,
                Blend = blendChoices is null ? null : blend,
                BlendSelection = blendChoices,
            };

            RankerModel.Save(outPath, model, schema, metadata);
            var loaded = RankerModel.Load(outPath);
            return new TrainingReport(loaded, Path.GetFullPath(outPath));
        }
        finally
        {
            foreach (var context in contexts)
            {
                context.Dispose();
            }
        }
    }

    /// <summary>The selection rule, as recorded in the metadata and printed by <c>train --search</c>.</summary>
    public static string SelectionRule =>
        "each point is cross-validated on every set (judged-only sets: MRR; others: MRR@10, mean over folds); its score is " +
        "the weighted mean over sets of reranked - BM25; among the points never below BM25 on any set the highest score wins; " +
        "when no point is, the highest score overall (and --require-no-loss refuses it); ties go to the earlier point in grid order";

    private static (ParameterSelection Selection, RankerTrainingOptions Chosen, CrossValidation Folds) Search(
        List<SetState> trainings, ParameterGrid grid, RankerTrainingOptions options, int folds, bool blend, TextWriter? log)
    {
        var candidates = grid.Points(options);
        var points = new List<GridPoint>();
        var results = new List<CrossValidation>();
        var totalWeight = trainings.Sum(t => t.Set.Weight);
        log?.WriteLine($"search: {candidates.Count} grid points x {folds} folds");
        for (var p = 0; p < candidates.Count; p++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var cv = CrossValidate(trainings, candidates[p], folds, log, single: false, foldLines: false);
            var parameters = Point(candidates[p]);
            if (blend)
            {
                // Each point with its best blend on its own out-of-fold lists: the blend is chosen by cross-validation
                // like the point itself (not nested: the development sets are the held-out check of both).
                var (chosenBlend, choices) = ChooseBlend(trainings, OutOfFold(trainings, cv.Models));
                cv = cv with { Results = Rescore(trainings, cv.Models, chosenBlend), Blend = chosenBlend, BlendChoices = choices };
                parameters["blend"] = chosenBlend.Describe();
            }

            var gains = trainings.Select(t =>
            {
                var mean = Mean(cv.Results[t.Set]);
                return new SetGain(t.Set.Name, MetricName(t.Set.Data), Round(Primary(t.Set.Data, mean.Bm25)), Round(Primary(t.Set.Data, mean.Reranked)),
                    Round(Gain(t.Set.Data, mean)), [.. cv.Results[t.Set].Select(f => Round(Gain(t.Set.Data, f)))]);
            }).ToList();
            var macro = Round(trainings.Select((t, i) => t.Set.Weight * gains[i].Gain).Sum() / totalWeight);
            var point = new GridPoint(p + 1, parameters, gains, macro, gains.All(g => g.Gain >= 0));
            points.Add(point);
            results.Add(cv);
            log?.WriteLine(FormattableString.Invariant(
                $"point {p + 1}/{candidates.Count} {Describe(point.Parameters)}: {string.Join(", ", gains.Select(g => $"{g.Set} {g.Gain:+0.0000;-0.0000}"))}; macro {macro:+0.0000;-0.0000}{(point.NeverBelowBm25 ? "" : " (below BM25 on a set)")} ({started.Elapsed.TotalSeconds:0} s)"));
        }

        var safe = points.Any(p => p.NeverBelowBm25);
        var chosen = points.Where(p => !safe || p.NeverBelowBm25).OrderByDescending(p => p.MacroGain).ThenBy(p => p.Point).First();
        log?.WriteLine($"search: chose point {chosen.Point} ({Describe(chosen.Parameters)}){(safe ? "" : "; no point is at least BM25 on every set")}");
        return (new ParameterSelection(SelectionRule, points, chosen.Point, safe), candidates[chosen.Point - 1], results[chosen.Point - 1]);
    }

    /// <summary>A cross-validation: per set its folds' results, the fold models (null where a fold's model had no
    /// split), and the blend its results were scored with when one blend was used for every fold.</summary>
    private sealed record CrossValidation(
        Dictionary<TrainingSet, List<FoldResult>> Results, CompiledTreeEnsemble?[] Models, ScoreBlend Blend, IReadOnlyList<BlendChoice>? BlendChoices);

    /// <summary>One held-out list and the trees' scores of the model that did not see it.</summary>
    private sealed record OutOfFoldList(SetState Set, RankingGroup Group, float[] Trees);

    /// <summary>Cross-validates: per fold, a model trained on the other folds ranks the fold's held-out demands. With
    /// <paramref name="nestedBlend"/>, each fold's blend is chosen by an inner cross-validation of that fold's training
    /// demands alone, so the reported figures are not chosen by the numbers they report.</summary>
    private static CrossValidation CrossValidate(
        List<SetState> trainings, RankerTrainingOptions options, int folds, TextWriter? log, bool single, bool foldLines = true, bool nestedBlend = false)
    {
        var results = trainings.ToDictionary(t => t.Set, _ => new List<FoldResult>());
        var models = new CompiledTreeEnsemble?[folds];
        for (var fold = 0; fold < folds; fold++)
        {
            var compiled = TrainOrBm25(trainings.SelectMany(t => t.Keyed(t.Outside(fold))).ToList(), options, log, $"fold {fold + 1}/{folds}");
            models[fold] = compiled;
            var blend = ScoreBlend.TreesOnly;
            if (nestedBlend && compiled is not null)
            {
                blend = ChooseBlendWithin(trainings, options, fold, folds, log);
            }

            var scoring = compiled?.WithBlend(blend, PairFeatures.Bm25RankIndex);
            foreach (var t in trainings)
            {
                var (bm25, reranked) = t.ScoreHeldOut(fold, scoring);
                var result = new FoldResult(fold + 1, bm25, reranked);
                results[t.Set].Add(result);
                if (foldLines)
                {
                    log?.WriteLine($"fold {fold + 1}/{folds}{(single ? "" : $" {t.Set.Name}")}: {Describe(result)}{(nestedBlend && compiled is not null ? $" [blend {blend.Describe()}]" : "")}");
                }
            }
        }

        return new CrossValidation(results, models, ScoreBlend.TreesOnly, null);
    }

    /// <summary>Trains on the groups, or returns null when no tree could split (a model that scores every candidate
    /// alike keeps the BM25 order: it is BM25).</summary>
    private static CompiledTreeEnsemble? TrainOrBm25(List<KeyedGroup> training, RankerTrainingOptions options, TextWriter? log, string what)
    {
        try
        {
            var (_, _, trees) = RankerTrainer.Train(training, options);
            return CompiledTreeEnsemble.Compile(trees, PairFeatures.Count);
        }
        catch (NoSplitException e)
        {
            log?.WriteLine($"{what}: {e.Message}; scored as the BM25 order");
            return null;
        }
    }

    /// <summary>The blend for outer fold <paramref name="outer"/>: an inner cross-validation (folds − 1 folds, same
    /// grouping) over the demands outside it, its out-of-fold lists pooled, the best blend of the grid.</summary>
    private static ScoreBlend ChooseBlendWithin(List<SetState> trainings, RankerTrainingOptions options, int outer, int folds, TextWriter? log)
    {
        var innerFolds = Math.Max(2, folds - 1);
        var inner = trainings.Select(t => t.Inner(outer, innerFolds)).ToList();
        var cv = CrossValidate(inner, options, innerFolds, log: null, single: true, foldLines: false);
        var (blend, choices) = ChooseBlend(inner, OutOfFold(inner, cv.Models));
        log?.WriteLine($"fold {outer + 1}/{folds}: blend by {innerFolds}-fold inner cross-validation: " +
            string.Join(", ", choices.Select(c => FormattableString.Invariant($"{c.Blend.Describe()} {c.Score:0.0000}"))));
        return blend;
    }

    /// <summary>The cross-validated figures of the whole search: each outer fold searches the grid (and chooses the
    /// blend) by an inner cross-validation of its own training demands, trains the chosen point on them and ranks its
    /// held-out demands. Honest where the chosen point's own figures are optimistic: they chose it.</summary>
    private static Dictionary<TrainingSet, List<FoldResult>> NestedSearch(
        List<SetState> trainings, ParameterGrid grid, RankerTrainingOptions options, int folds, bool blend, bool single, TextWriter? log)
    {
        var results = trainings.ToDictionary(t => t.Set, _ => new List<FoldResult>());
        var innerFolds = Math.Max(2, folds - 1);
        for (var fold = 0; fold < folds; fold++)
        {
            var inner = trainings.Select(t => t.Inner(fold, innerFolds)).ToList();
            var (selection, chosen, cv) = Search(inner, grid, options, innerFolds, blend, log: null);
            var compiled = TrainOrBm25([.. trainings.SelectMany(t => t.Keyed(t.Outside(fold)))], chosen, log, $"fold {fold + 1}/{folds}");
            var scoring = compiled?.WithBlend(cv.Blend, PairFeatures.Bm25RankIndex);
            foreach (var t in trainings)
            {
                var (bm25, reranked) = t.ScoreHeldOut(fold, scoring);
                var result = new FoldResult(fold + 1, bm25, reranked);
                results[t.Set].Add(result);
                log?.WriteLine($"nested fold {fold + 1}/{folds}{(single ? "" : $" {t.Set.Name}")}: {Describe(result)} " +
                    $"[searched by {innerFolds}-fold inner cross-validation: {Describe(selection.Points[selection.Chosen - 1].Parameters)}{(blend ? $", blend {cv.Blend.Describe()}" : "")}]");
            }
        }

        return results;
    }

    /// <summary>Every held-out list of every fold with its fold model's tree scores (zeros where the fold had no model,
    /// which the blend then ranks in BM25 order).</summary>
    private static List<OutOfFoldList> OutOfFold(List<SetState> trainings, CompiledTreeEnsemble?[] models) =>
        [.. Enumerable.Range(0, models.Length).SelectMany(fold => trainings.SelectMany(t => t.HeldOut(fold)
            .Select(g => new OutOfFoldList(t, g, models[fold] is { } m ? ScoresOf(g, m) : new float[g.Count]))))];

    /// <summary>The blend of <see cref="ScoreBlend.Grid"/> whose ranking of the pooled lists scores best (weighted mean
    /// over sets of the selection metric); ties go to the earlier blend.</summary>
    private static (ScoreBlend Blend, IReadOnlyList<BlendChoice> Choices) ChooseBlend(List<SetState> trainings, List<OutOfFoldList> pooled)
    {
        var totalWeight = trainings.Sum(t => t.Set.Weight);
        var choices = ScoreBlend.Grid.Select(blend =>
        {
            var score = trainings.Sum(t =>
            {
                var lists = pooled.Where(l => l.Set == t).ToList();
                return lists.Count == 0 ? 0 : t.Set.Weight * t.Primary([.. lists.Select(l => l.Group)], [.. lists.Select(l => Order(l.Group, l.Trees, blend))]);
            }) / totalWeight;
            return new BlendChoice(blend, Round(score));
        }).ToList();
        var best = choices.Select((c, i) => (c, i)).OrderByDescending(x => x.c.Score).ThenBy(x => x.i).First().c;
        return (best.Blend, choices);
    }

    /// <summary>Candidate indices by blended score, ties in BM25 order (as <see cref="Rerank"/> orders).</summary>
    private static int[] Order(RankingGroup group, float[] trees, ScoreBlend blend)
    {
        var scores = new float[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            scores[i] = blend.Apply(trees[i], group.Row(i)[PairFeatures.Bm25RankIndex]);
        }

        return [.. Enumerable.Range(0, group.Count).OrderByDescending(i => scores[i]).ThenBy(i => i)];
    }

    /// <summary>The folds' results again, every fold model scoring with <paramref name="blend"/>.</summary>
    private static Dictionary<TrainingSet, List<FoldResult>> Rescore(List<SetState> trainings, CompiledTreeEnsemble?[] models, ScoreBlend blend) =>
        trainings.ToDictionary(t => t.Set, t => Enumerable.Range(0, models.Length).Select(fold =>
        {
            var (bm25, reranked) = t.ScoreHeldOut(fold, models[fold]?.WithBlend(blend, PairFeatures.Bm25RankIndex));
            return new FoldResult(fold + 1, bm25, reranked);
        }).ToList());

    /// <summary>Adds every fold's held-out lists, scored by its fold model with the final blend, to the calibration.</summary>
    private static void AddCalibration(List<SetState> trainings, CompiledTreeEnsemble?[] models, ScoreBlend blend, CalibrationSet calibration)
    {
        for (var fold = 0; fold < models.Length; fold++)
        {
            if (models[fold]?.WithBlend(blend, PairFeatures.Bm25RankIndex) is { } model)
            {
                trainings.ForEach(t => t.HeldOut(fold).ForEach(g => calibration.Add(g, model)));
            }
        }
    }

    /// <summary>The metric the search selects by: judged-only MRR, else MRR@10.</summary>
    private static double Primary(RankingData data, RankingScores scores) => data.JudgedOnly ? scores.Judged!.Mrr : scores.Full!.Mrr10;

    private static string MetricName(RankingData data) => data.JudgedOnly ? "mrr" : "mrr@10";

    private static double Gain(RankingData data, FoldResult result) => Primary(data, result.Reranked) - Primary(data, result.Bm25);

    private static double Round(double value) => Math.Round(value, 6);

    private static SortedDictionary<string, string> Point(RankerTrainingOptions options) => new(StringComparer.Ordinal)
    {
        ["trees"] = Invariant(options.NumberOfTrees),
        ["leaves"] = Invariant(options.NumberOfLeaves),
        ["learning_rate"] = Invariant(options.LearningRate),
        ["min_examples_per_leaf"] = Invariant(options.MinimumExampleCountPerLeaf),
    };

    /// <summary>A grid point's parameters as text (<c>trees 100 leaves 8 min-leaf 20 lr 0.05</c>).</summary>
    public static string Describe(IReadOnlyDictionary<string, string> point) =>
        $"trees {point["trees"]} leaves {point["leaves"]} min-leaf {point["min_examples_per_leaf"]} lr {point["learning_rate"]}";

    private static SortedDictionary<string, string> ListParameters(RankingData data)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["depth"] = Invariant(data.Depth),
            ["candidates"] = data.Candidates is not null ? "given" : data.Semantic ? "bm25+vectors" : "bm25",
            ["judged_only"] = data.JudgedOnly ? "true" : "false",
        };
        if (data.Semantic)
        {
            parameters[RankerMetadata.SemanticCosineParameter] = "on";
        }

        if (data.ExcludeSelfPrefix is { } prefix)
        {
            parameters["exclude_self"] = prefix;
        }

        if (data.Candidates is null && data.Retrieval.Feedback)
        {
            parameters["feedback"] = FormattableString.Invariant(
                $"rm3 docs={data.Retrieval.FeedbackDocs} terms={data.Retrieval.FeedbackTerms} weight={data.Retrieval.OriginalQueryWeight}");
        }

        return parameters;
    }

    private static string CombinedHash(IEnumerable<SetTraining> sets)
    {
        var text = string.Join("\n", sets.Select(s => FormattableString.Invariant($"{s.Name} {s.Weight} {s.DataHash} {string.Join(",", s.Parameters.Select(p => $"{p.Key}={p.Value}"))}")));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
    }

    /// <summary>One set during training: its context, judged demands, cached groups and fold split.</summary>
    private sealed class SetState
    {
        private readonly Context _context;
        private readonly string? _prefix;
        // A demand is trained on exactly the list it is evaluated on (RankingDataset.EvaluationGroup says why): one group each.
        private readonly Dictionary<string, RankingGroup> _groups;
        private FoldAssignment[] _assignment = [];
        private int _seed;
        private FoldGrouping _grouping;

        public SetState(TrainingSet set, Context context, string? prefix)
            : this(set, context, prefix, context.TrainableDemands(), new(StringComparer.Ordinal))
        {
        }

        private SetState(TrainingSet set, Context context, string? prefix, List<Demand> demands, Dictionary<string, RankingGroup> groups)
        {
            Set = set;
            _context = context;
            _prefix = prefix;
            Demands = demands;
            _groups = groups;
        }

        public TrainingSet Set { get; }

        public List<Demand> Demands { get; }

        /// <summary>The demands outside outer fold <paramref name="outer"/> as a set of their own (sharing the cached
        /// groups), split into <paramref name="folds"/> inner folds with the same grouping and a seed of their own.</summary>
        public SetState Inner(int outer, int folds)
        {
            var inner = new SetState(Set, _context, _prefix, [.. Outside(outer)], _groups);
            inner.Split(folds, _seed + outer + 1, _grouping, log: null, single: true);
            return inner;
        }

        /// <summary>Computes every demand's group (its training and evaluation list) once, features on every core; folds
        /// and grid points reuse them.</summary>
        public void Precompute()
        {
            var judgedOnly = Set.Data.JudgedOnly;
            var groups = Demands.AsParallel().AsOrdered().WithDegreeOfParallelism(Environment.ProcessorCount)
                .Select(d => (d.Id, Group: _context.Dataset.EvaluationGroup(d, judgedOnly)))
                .ToList();
            foreach (var (id, group) in groups)
            {
                _groups[id] = group;
            }
        }

        public RankingGroup TrainingGroup(Demand demand) => _groups[demand.Id];

        public void Split(int folds, int seed, FoldGrouping grouping, TextWriter? log, bool single)
        {
            var ids = Demands.Select(d => d.Id).ToList();
            _assignment = CrossValidationFolds.Assign(ids, Set.Data.Judgments, folds, seed, grouping);
            (_seed, _grouping) = (seed, grouping);
            var sizes = Enumerable.Range(0, folds).Select(f => _assignment.Count(a => a.Fold == f)).ToArray();
            var groupCount = CrossValidationFolds.Groups(ids, Set.Data.Judgments, grouping).Length;
            var name = single ? "" : $"set {Set.Name}: ";
            log?.WriteLine(grouping == FoldGrouping.Components
                ? $"{name}{folds} folds of demands sharing relevant achievements ({groupCount} groups, seed {seed}): {string.Join(", ", sizes)} demands"
                : $"{name}{folds} folds of single demands (ungrouped: demands sharing an answer may straddle folds; seed {seed}): {string.Join(", ", sizes)} demands");
        }

        /// <summary>The demands outside a fold, in the order the fold split dealt them (as single-set training always did).</summary>
        public IEnumerable<Demand> Outside(int fold) => _assignment.Where(a => a.Fold != fold).Select(a => Demands[a.Demand]);

        public IEnumerable<KeyedGroup> Keyed(IEnumerable<Demand> demands) =>
            demands.Select(d => new KeyedGroup(_prefix + d.Id, _groups[d.Id], (float)Set.Weight));

        /// <summary>The evaluation groups of a fold's held-out demands.</summary>
        public List<RankingGroup> HeldOut(int fold) =>
            [.. _assignment.Where(a => a.Fold == fold).Select(a => _groups[Demands[a.Demand].Id])];

        /// <summary>BM25 and the model on the fold's held-out demands (a null model: the BM25 order for both).</summary>
        public (RankingScores Bm25, RankingScores Reranked) ScoreHeldOut(int fold, CompiledTreeEnsemble? model)
        {
            var (bm25, reranked, _) = _context.Score(HeldOut(fold), model);
            return (bm25, reranked ?? bm25);
        }

        /// <summary>The selection metric of these lists in these orders.</summary>
        public double Primary(List<RankingGroup> groups, List<int[]> orders) => RankerWorkflow.Primary(Set.Data, _context.Metrics(groups, orders));
    }

    /// <summary>Fits the reranked and BM25 strength calibrations on the out-of-fold lists (none without folds).</summary>
    private static (StrengthCalibration? Reranked, StrengthCalibration? Bm25) Calibrate(CalibrationSet set, TextWriter? log)
    {
        if (set.Reranked.Count == 0 || set.Reranked.All(p => p.Relevant) || set.Reranked.All(p => !p.Relevant))
        {
            log?.WriteLine("strength calibration: skipped (needs --folds 2 or more, with relevant and non-relevant held-out pairs); strength will be the logistic of the score, uncalibrated");
            return (null, null);
        }

        var reranked = StrengthCalibration.Fit(StrengthCalibration.RerankedInputs, set.Reranked);
        var bm25 = StrengthCalibration.Fit(StrengthCalibration.Bm25Inputs, set.Bm25);
        log?.WriteLine($"strength calibration on {reranked.Pairs} out-of-fold pairs ({reranked.RelevantPairs} relevant; top {CalibrationSet.Top} of each list, and of each list without its answers):");
        log?.WriteLine(DescribeReliability(reranked.Reliability));
        return (reranked, bm25);
    }

    /// <summary>A reliability table as text: one line per non-empty bin.</summary>
    public static string DescribeReliability(IReadOnlyList<ReliabilityBin> bins) => string.Join("\n", bins.Where(b => b.Pairs > 0).Select(b =>
        FormattableString.Invariant($"  p in [{b.Low:0.0}, {b.High:0.0}): {b.Pairs,6} pairs, mean predicted {b.MeanPredicted:0.000}, observed {b.Observed:0.000}")));

    /// <summary>Ranks every judged demand's candidates by BM25 and, with a model, by the model, and scores both.</summary>
    /// <param name="data">Records, judgments and candidate settings.</param>
    /// <param name="model">The reranker, or null for BM25 only.</param>
    /// <param name="threads">Query threads; 0 uses every core. The metrics and the run do not depend on it.</param>
    public static RankingEvaluation Evaluate(RankingData data, RankerModel? model, int threads = 0)
    {
        using var context = Context.Create(data);
        var demands = context.TrainableDemands();
        var check = new CalibrationSet();
        var (bm25, reranked, run) = context.Score(demands, model?.Compiled, threads, observe: model is null ? null : g => check.Add(g, model.Compiled));
        return new RankingEvaluation(bm25, reranked, run)
        {
            Calibration = model?.Metadata.Strength is { } strength ? CalibrationCheck.Of(strength, check.Reranked, check.RerankedAnswerless) : null,
            Bm25Calibration = model?.Metadata.Bm25Strength is { } bm25Strength ? CalibrationCheck.Of(bm25Strength, check.Bm25, check.Bm25Answerless) : null,
        };
    }

    /// <summary>A one-line summary of a fold or a mean.</summary>
    public static string Describe(FoldResult result) =>
        $"BM25 {Describe(result.Bm25)} | reranked {Describe(result.Reranked)}";

    /// <summary>The metrics of one ranking as text.</summary>
    public static string Describe(RankingScores scores) => scores.Judged is { } j
        ? FormattableString.Invariant($"MRR {j.Mrr:0.0000} nDCG {j.Ndcg:0.0000} P@1 {j.P1:0.0000} ({j.Queries} queries)")
        : FormattableString.Invariant($"MRR@10 {scores.Full!.Mrr10:0.0000} nDCG@10 {scores.Full.Ndcg10:0.0000} R@10 {scores.Full.Recall10:0.0000} R@100 {scores.Full.Recall100:0.0000} ({scores.Full.Queries} queries)");

    private static FoldResult Mean(List<FoldResult> folds)
    {
        static RankingScores Average(IReadOnlyList<RankingScores> scores) => scores[0].Judged is not null
            ? new RankingScores(null, new JudgedMetrics(
                scores.Sum(s => s.Judged!.Queries),
                scores.Average(s => s.Judged!.Mrr),
                scores.Average(s => s.Judged!.Ndcg),
                scores.Average(s => s.Judged!.P1)))
            : new RankingScores(new RankingMetrics(
                scores.Sum(s => s.Full!.Queries),
                scores.Average(s => s.Full!.Mrr10),
                scores.Average(s => s.Full!.Ndcg10),
                scores.Average(s => s.Full!.Recall10),
                scores.Average(s => s.Full!.Recall100)), null);

        return new FoldResult(0, Average([.. folds.Select(f => f.Bm25)]), Average([.. folds.Select(f => f.Reranked)]));
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static string DataHash(RankingData data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => sha.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        foreach (var a in data.Achievements)
        {
            Add(JsonSerializer.Serialize(a));
        }

        foreach (var d in data.Demands)
        {
            Add(JsonSerializer.Serialize(d));
        }

        foreach (var j in data.Judgments)
        {
            Add($"{j.DemandId} {j.AchievementId} {j.Grade}");
        }

        foreach (var r in data.Candidates ?? [])
        {
            Add($"{r.DemandId} {r.AchievementId} {r.Rank}");
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>Index, feature space and dataset for one run.</summary>
    private sealed class Context : IDisposable
    {
        private readonly MatchingEngine _engine;
        private readonly RankingData _data;

        private Context(MatchingEngine engine, RankingData data, RankingDataset dataset)
        {
            _engine = engine;
            _data = data;
            Dataset = dataset;
        }

        public RankingDataset Dataset { get; }

        public static Context Create(RankingData data)
        {
            var semantic = data.Semantic && data.Candidates is null;
            // The event's word vectors learn from both sides' texts (the demands are not indexed here). Given lists take
            // no candidates by meaning, but their pairs still get semantic_cosine.
            var encoder = !data.Semantic ? null : data.Encoder ?? WordVectorEncoder.Train(
                [.. data.Achievements.Select(SemanticRoute.TextOf), .. data.Demands.Select(SemanticRoute.TextOf)]);
            var engine = MatchingEngine.Create(data.Candidates is null ? data.Achievements : [], [], new EngineOptions
            {
                Semantic = semantic,
                SemanticDepth = data.SemanticDepth,
                Encoder = encoder,
                Retrieval = data.Retrieval,
            });
            try
            {
                var space = FeatureSpace.Build(data.Achievements, data.Demands);
                var dataset = new RankingDataset(engine.RetrieveForDemand, space, data.Demands, data.Judgments, new CandidateOptions
                {
                    Depth = data.Depth,
                    Run = data.Candidates,
                    ExcludeSelfPrefix = data.ExcludeSelfPrefix,
                    Vectors = encoder is null ? null : Vectors(engine, encoder, data),
                });
                return new Context(engine, data, dataset);
            }
            catch
            {
                engine.Dispose();
                throw;
            }
        }

        /// <summary>The records' vectors for <c>semantic_cosine</c>: the achievements' from the engine's route when it has
        /// one (the vectors it ranks with, encoded once), the demands' encoded (they are not indexed here).</summary>
        private static RecordVectors Vectors(MatchingEngine engine, ITextEncoder encoder, RankingData data)
        {
            List<(string Id, string Text)> demands = [.. data.Demands.Select(d => (d.Id, SemanticRoute.TextOf(d)))];
            return engine.AchievementVectors is { } held
                ? RecordVectors.Encode(encoder, held, demands)
                : RecordVectors.Encode(encoder, [.. data.Achievements.Select(a => (a.Id, SemanticRoute.TextOf(a)))], demands);
        }

        /// <summary>Demands that count: with a relevant judgment (judged-only: and a judged non-relevant one).</summary>
        public List<Demand> TrainableDemands() =>
            [.. Dataset.JudgedDemands.Where(d => !_data.JudgedOnly || Dataset.HasPositiveAndNegative(d.Id))];

        public (RankingScores Bm25, RankingScores? Reranked, List<QueryMatches> Run) Score(IReadOnlyList<Demand> demands, CompiledTreeEnsemble? model, int threads = 1, Action<RankingGroup>? observe = null)
        {
            // Retrieval and features per demand on every core; AsOrdered keeps the groups in demand order.
            var groups = demands.AsParallel().AsOrdered()
                .WithDegreeOfParallelism(threads > 0 ? threads : Environment.ProcessorCount)
                .Select(d => Dataset.EvaluationGroup(d, _data.JudgedOnly))
                .ToList();
            if (observe is not null)
            {
                groups.ForEach(observe);
            }

            return Score(groups, model);
        }

        /// <summary>Ranks evaluation groups already built by BM25 and, with a model, by the model, and scores both.</summary>
        public (RankingScores Bm25, RankingScores? Reranked, List<QueryMatches> Run) Score(List<RankingGroup> groups, CompiledTreeEnsemble? model)
        {
            var baseline = groups.Select(g => Enumerable.Range(0, g.Count).ToArray()).ToList();
            var reranked = model is null ? null : groups.Select(g => Rerank(g, model)).ToList();
            var run = groups.Select((g, i) =>
            {
                var order = reranked?[i] ?? baseline[i];
                // Each candidate carries the key its list is ranked by: the model's score, or the baseline's (BM25) key.
                var scores = model is null ? null : ScoresOf(g, model);
                return new QueryMatches(g.QueryId, [.. order.Select((index, rank) =>
                    new Retrieval.Candidate(g.CandidateIds[index], rank + 1, scores?[index] ?? g.BaselineKeys?[index] ?? g.Row(index)[0], []))]);
            }).ToList();
            return (Metrics(groups, baseline), reranked is null ? null : Metrics(groups, reranked), run);
        }

        public RankingScores Metrics(List<RankingGroup> groups, List<int[]> orders)
        {
            if (_data.JudgedOnly)
            {
                return new RankingScores(null, JudgedMetrics.Compute(groups.Select((g, i) => (g.Grades, orders[i]))));
            }

            var relevant = Dataset.Relevant();
            var ranked = groups.Select((g, i) => (g.QueryId, Ids: (IReadOnlyList<string>)[.. orders[i].Select(k => g.CandidateIds[k])]))
                .ToDictionary(x => x.QueryId, x => x.Ids, StringComparer.Ordinal);
            var judged = groups.ToDictionary(g => g.QueryId, g => relevant[g.QueryId], StringComparer.Ordinal);
            return new RankingScores(RankingMetrics.Compute(ranked, judged), null);
        }

        public void Dispose() => _engine.Dispose();
    }

    internal static float[] ScoresOf(RankingGroup group, CompiledTreeEnsemble model)
    {
        var scores = new float[group.Count];
        model.Score(group.Features, group.Count, scores);
        return scores;
    }

    /// <summary>Candidate indices by model score, ties kept in BM25 order.</summary>
    internal static int[] Rerank(RankingGroup group, CompiledTreeEnsemble model)
    {
        var scores = ScoresOf(group, model);
        return [.. Enumerable.Range(0, group.Count).OrderByDescending(i => scores[i]).ThenBy(i => i)];
    }
}
