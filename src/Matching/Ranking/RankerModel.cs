using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Matching.Features;
using Matching.Text;
using Matching.Ingestion;

namespace Matching.Ranking;

/// <summary>Metrics of one evaluation, in both the full-retrieval and the judged-only flavour (one is null).</summary>
/// <param name="Full">MRR@10, nDCG@10, Recall@10, Recall@100 over BM25 lists.</param>
/// <param name="Judged">MRR, nDCG, P@1 over condensed judged-only lists.</param>
public sealed record RankingScores(Evaluation.RankingMetrics? Full, JudgedMetrics? Judged);

/// <summary>What a model file says about itself; stored inside the zip and beside it as JSON.</summary>
public sealed record RankerMetadata
{
    /// <summary>The metadata format.</summary>
    public string Format { get; init; } = RankerModel.FormatName;

    /// <summary>The parameter (value <c>on</c>) of a model trained with text vectors, whose <c>semantic_cosine</c> feature
    /// is known only when the route by meaning is on.</summary>
    public const string SemanticCosineParameter = "semantic_cosine";

    /// <summary>Whether the model was trained with text vectors (<see cref="SemanticCosineParameter"/>, in its parameters
    /// or any set's): without the route by meaning every pair's <c>semantic_cosine</c> would be unknown, which it never
    /// saw in training.</summary>
    public bool UsesSemanticCosine() =>
        Parameters.ContainsKey(SemanticCosineParameter) || (Sets?.Any(s => s.Parameters.ContainsKey(SemanticCosineParameter)) ?? false);

    /// <summary>Hash of the feature definitions the model was trained on.</summary>
    public required string FeatureHash { get; init; }

    /// <summary>Feature names in vector order.</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Analyzer (segmenter and dictionaries) version the features were computed with.</summary>
    public required string AnalyzerVersion { get; init; }

    /// <summary>lightgbm or fasttree.</summary>
    public required string Trainer { get; init; }

    /// <summary>Training parameters.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>SHA-256 (prefix) of the training records, judgments and candidate lists.</summary>
    public required string TrainingDataHash { get; init; }

    /// <summary>Training demands (groups) and rows.</summary>
    public required int TrainingGroups { get; init; }

    /// <summary>Training rows (pairs).</summary>
    public required int TrainingRows { get; init; }

    /// <summary>Cross-validation results per fold: BM25 and reranked on the held-out demands.</summary>
    public IReadOnlyList<FoldResult> Folds { get; init; } = [];

    /// <summary>Mean over folds (null without cross-validation).</summary>
    public FoldResult? Mean { get; init; }

    /// <summary>Features by gain, highest first.</summary>
    public IReadOnlyList<FeatureGain> Importance { get; init; } = [];

    /// <summary>The probability that a reranked pair is a useful match, fitted on out-of-fold lists during
    /// cross-validation; null when the model was trained without folds (strength is then uncalibrated).</summary>
    public StrengthCalibration? Strength { get; init; }

    /// <summary>The same for BM25 lists (used when ranking without a model).</summary>
    public StrengthCalibration? Bm25Strength { get; init; }

    /// <summary>The data sets the model was trained on, each with its own cross-validation (null when trained on one
    /// unnamed set: then <see cref="Folds"/> and <see cref="Mean"/> hold its results).</summary>
    public IReadOnlyList<SetTraining>? Sets { get; init; }

    /// <summary>The parameter search that chose <see cref="Parameters"/> (null without <c>--search</c>).</summary>
    public ParameterSelection? Selection { get; init; }

    /// <summary>The final model on held-out development sets (null without <c>--dev</c>).</summary>
    public IReadOnlyList<SetEvaluation>? Dev { get; init; }

    /// <summary>How the model's score mixes its trees with the BM25 order (null: the trees alone, as every model
    /// trained before blends existed).</summary>
    public ScoreBlend? Blend { get; init; }

    /// <summary>How <see cref="Blend"/> was chosen: every blend of <see cref="ScoreBlend.Grid"/> with its
    /// cross-validated selection metric on the pooled out-of-fold lists (null when trained without folds).</summary>
    public IReadOnlyList<BlendChoice>? BlendSelection { get; init; }
}

/// <summary>One blend tried during training and its cross-validated selection metric.</summary>
/// <param name="Blend">The blend.</param>
/// <param name="Score">Weighted mean over sets of the selection metric (judged-only sets: MRR; others: MRR@10) of the
/// out-of-fold lists ranked with it.</param>
public sealed record BlendChoice(ScoreBlend Blend, double Score);

/// <summary>One data set of a multi-set training.</summary>
/// <param name="Name">The set's name (the prefix of its ranking-group ids).</param>
/// <param name="Weight">Weight of its rows and of the set in the macro mean.</param>
/// <param name="Parameters">How its lists were built: depth, candidates, judged_only, exclude_self.</param>
/// <param name="DataHash">SHA-256 (prefix) of its records, judgments and candidate lists.</param>
/// <param name="Groups">Its training demands (groups).</param>
/// <param name="Rows">Its training rows (pairs).</param>
/// <param name="Folds">Cross-validation per fold: BM25 and reranked on this set's held-out demands.</param>
/// <param name="Mean">Mean over folds (null without cross-validation).</param>
public sealed record SetTraining(
    string Name, double Weight, IReadOnlyDictionary<string, string> Parameters, string DataHash, int Groups, int Rows,
    IReadOnlyList<FoldResult> Folds, FoldResult? Mean);

/// <summary>How the parameters were chosen: every point of the grid with its cross-validated gain on every set.</summary>
/// <param name="Rule">The selection rule, in words.</param>
/// <param name="Points">Every point tried, in grid order.</param>
/// <param name="Chosen">The 1-based number of the chosen point.</param>
/// <param name="NoLossPoint">Whether some point was at least BM25 on every set (the chosen one is then such a point).</param>
public sealed record ParameterSelection(string Rule, IReadOnlyList<GridPoint> Points, int Chosen, bool NoLossPoint);

/// <summary>One point of a parameter grid and its cross-validated results.</summary>
/// <param name="Point">1-based number in grid order.</param>
/// <param name="Parameters">trees, leaves, learning_rate, min_examples_per_leaf.</param>
/// <param name="Sets">Per set: the selection metric of BM25 and the reranker, mean over folds.</param>
/// <param name="MacroGain">Weighted mean over sets of (reranked − BM25).</param>
/// <param name="NeverBelowBm25">Whether reranked ≥ BM25 on every set.</param>
public sealed record GridPoint(int Point, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<SetGain> Sets, double MacroGain, bool NeverBelowBm25);

/// <summary>A set's selection metric for BM25 and the reranker (judged-only sets: MRR; others: MRR@10).</summary>
/// <param name="Set">The set's name.</param>
/// <param name="Metric">mrr or mrr@10.</param>
/// <param name="Bm25">BM25's value (mean over folds).</param>
/// <param name="Reranked">The reranker's value (mean over folds).</param>
/// <param name="Gain">Reranked − BM25.</param>
/// <param name="FoldGains">Reranked − BM25 per fold.</param>
public sealed record SetGain(string Set, string Metric, double Bm25, double Reranked, double Gain, IReadOnlyList<double> FoldGains);

/// <summary>BM25 and the final model on one held-out set.</summary>
/// <param name="Set">The set's name.</param>
/// <param name="Bm25">The BM25 ranking.</param>
/// <param name="Reranked">The model's ranking of the same lists.</param>
public sealed record SetEvaluation(string Set, RankingScores Bm25, RankingScores Reranked);

/// <summary>One cross-validation fold.</summary>
/// <param name="Fold">1-based fold number (0 for the mean).</param>
/// <param name="Bm25">The BM25 ranking of the held-out demands.</param>
/// <param name="Reranked">The model's ranking of the same lists.</param>
public sealed record FoldResult(int Fold, RankingScores Bm25, RankingScores Reranked);

/// <summary>A feature and its total split gain.</summary>
/// <param name="Feature">Feature name.</param>
/// <param name="Gain">Total gain of the splits on it, normalised so the largest is 1.</param>
public sealed record FeatureGain(string Feature, double Gain);

/// <summary>A trained ranker: the ML.NET model, its metadata and the compiled trees that score on the hot path.</summary>
public sealed class RankerModel
{
    internal const string FormatName = "matching-ranker/1";
    private const string MetadataEntry = "Matching/metadata.json";

    /// <summary>The time every entry of a saved model carries: the earliest a zip (DOS) date can hold.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly CompiledTreeEnsemble _compiled;

    internal RankerModel(RankerMetadata metadata, CompiledTreeEnsemble compiled, ITransformer mlModel)
    {
        Metadata = metadata;
        _compiled = compiled;
        MlModel = mlModel;
    }

    /// <summary>What the model says about itself.</summary>
    public RankerMetadata Metadata { get; }

    internal ITransformer MlModel { get; }

    internal CompiledTreeEnsemble Compiled => _compiled;

    /// <summary>Trees in the ensemble.</summary>
    public int TreeCount => _compiled.TreeCount;

    /// <summary>The model shipped with Matching (<c>resources/models/matching-ranker.zip</c>).</summary>
    public static string DefaultPath => Path.Combine(ResourceLocator.Root, "models", "matching-ranker.zip");

    /// <summary>Loads the model shipped with Matching.</summary>
    public static RankerModel LoadDefault() => Load(DefaultPath);

    /// <summary>Scores row-major feature rows (one score per row; higher is better).</summary>
    internal void Score(ReadOnlySpan<float> rows, int count, Span<float> scores) => _compiled.Score(rows, count, scores);

    /// <summary>Scores rows through ML.NET itself (slow; the reference the compiled trees are checked against).</summary>
    internal float[] ScoreWithMlNet(float[] rows, int count)
    {
        var ml = new MLContext(seed: 1);
        var n = PairFeatures.Count;
        var input = Enumerable.Range(0, count).Select(i => new RankerTrainer.Row { GroupId = "q", Features = rows.AsSpan(i * n, n).ToArray() });
        var scored = MlModel.Transform(ml.Data.LoadFromEnumerable(input, RankerTrainer.RowSchema()));
        return [.. scored.GetColumn<float>("Score")];
    }

    /// <summary>Loads and checks a model file.</summary>
    /// <exception cref="ModelFormatException">Not a Matching model, truncated, or trained on other features or another analyzer.</exception>
    public static RankerModel Load(string path)
    {
        var metadata = ReadMetadata(path);
        ITransformer model;
        try
        {
            model = new MLContext(seed: 1).Model.Load(path, out _);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFormatException($"{path}: ML.NET cannot load the model ({e.Message})", e);
        }

        var compiled = CompiledTreeEnsemble.Compile(TreesOf(model, path), PairFeatures.Count);
        if (metadata.Blend is { IsTreesOnly: false } blend)
        {
            compiled = compiled.WithBlend(blend, PairFeatures.Bm25RankIndex);
        }

        return new RankerModel(metadata, compiled, model);
    }

    /// <summary>Reads and checks a model file's metadata alone, without loading its trees (for its calibration, say).</summary>
    /// <exception cref="ModelFormatException">Not a Matching model, truncated, or trained on other features or another analyzer.</exception>
    public static RankerMetadata ReadMetadata(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path}: model file not found");
        }

        RankerMetadata metadata;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(MetadataEntry)
                ?? throw new ModelFormatException($"{path}: not a Matching ranker (the zip has no {MetadataEntry}); train one with `matching train`");
            using var stream = entry.Open();
            metadata = JsonSerializer.Deserialize<RankerMetadata>(stream, Json)
                ?? throw new ModelFormatException($"{path}: empty model metadata");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException)
        {
            throw new ModelFormatException($"{path}: damaged or truncated model file ({e.Message})", e);
        }

        if (metadata.Format != FormatName)
        {
            throw new ModelFormatException($"{path}: model format '{metadata.Format}', this Matching reads '{FormatName}'");
        }

        if (metadata.FeatureHash != PairFeatures.Hash)
        {
            throw new ModelFormatException(
                $"{path}: the model was trained on features '{metadata.FeatureHash}' ({metadata.FeatureNames.Count} features), " +
                $"this Matching computes features '{PairFeatures.Hash}' (version {PairFeatures.Version}, {PairFeatures.Count} features); retrain it with `matching train`");
        }

        var analyzer = MatchingAnalyzer.VersionOf(AnalyzerKind.Jieba);
        if (metadata.AnalyzerVersion != analyzer)
        {
            throw new ModelFormatException(
                $"{path}: the model's features were computed with analyzer '{metadata.AnalyzerVersion}', this Matching uses '{analyzer}'; retrain it with `matching train`");
        }

        metadata.Blend?.Validate(path);
        metadata.Strength?.Validate(path);
        metadata.Bm25Strength?.Validate(path);
        return metadata;
    }

    /// <summary>Writes the model zip (with its metadata inside) and <c>NAME.json</c> beside it, atomically.</summary>
    internal static void Save(string path, ITransformer model, DataViewSchema schema, RankerMetadata metadata)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var json = Path.ChangeExtension(full, ".json");
        var tempJson = temp + ".json";
        var tempMlNet = temp + ".mlnet";
        try
        {
            new MLContext(seed: 1).Model.Save(model, schema, tempMlNet);
            WriteDeterministically(tempMlNet, temp, metadata);
            File.WriteAllText(tempJson, JsonSerializer.Serialize(metadata, Json) + "\n");
            File.Move(temp, full, overwrite: true);
            File.Move(tempJson, json, overwrite: true);
        }
        finally
        {
            File.Delete(tempMlNet);
            File.Delete(temp);
            File.Delete(tempJson);
        }
    }

    /// <summary>Copies ML.NET's model zip into <paramref name="target"/> with the metadata entry added, entries in
    /// ordinal name order and every one stamped with <see cref="EntryTime"/>: ML.NET stamps entries with the time of
    /// saving, so two trainings of the same model would otherwise differ in their bytes.</summary>
    private static void WriteDeterministically(string mlNetZip, string target, RankerMetadata metadata)
    {
        using var source = ZipFile.OpenRead(mlNetZip);
        using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries.Where(e => e.FullName != MetadataEntry).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                var copy = zip.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = EntryTime;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }

            var metadataEntry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            metadataEntry.LastWriteTime = EntryTime;
            using var stream = metadataEntry.Open();
            JsonSerializer.Serialize(stream, metadata, Json);
        }

        file.Flush(flushToDisk: true);
    }

    private static TreeEnsembleModelParametersBasedOnRegressionTree TreesOf(ITransformer model, string path)
    {
        var last = model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
        if (last is ISingleFeaturePredictionTransformer<object> predictor && predictor.Model is TreeEnsembleModelParametersBasedOnRegressionTree trees)
        {
            return trees;
        }

        throw new ModelFormatException($"{path}: the model's last step is {last.GetType().Name}, not a tree-ensemble ranker");
    }
}
