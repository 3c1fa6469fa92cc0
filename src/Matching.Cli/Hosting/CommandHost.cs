using System.Text;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Reporting;

namespace Matching.Cli.Hosting;

/// <summary>What every verb shares: the writers, error-to-exit-code mapping and input loading.</summary>
internal sealed class CommandHost(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    private readonly List<DataQualityCount> _dataQuality = [];

    /// <summary>Runs a verb body and turns Matching's exceptions into documented exit codes.</summary>
    public int Execute(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputFormatException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
        catch (IndexMismatchException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.IndexError;
        }
        catch (UsageException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ModelFormatException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.ModelError;
        }
        catch (Matching.Text.EncoderFormatException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.ModelError;
        }
        catch (Matching.Cluster.ClusterException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.ClusterError;
        }
        catch (MatchingException e)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.InputError;
        }
        catch (ArgumentException e) when (e.ParamName == "options")
        {
            // Read options the command line could not check itself, such as a --columns field name.
            Err.WriteLine($"error: {e.Message.Replace(" (Parameter 'options')", "", StringComparison.Ordinal)}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            Err.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Err.WriteLine($"error: {e.Message}");
            return ExitCodes.OutputError;
        }
        catch (Exception e)
        {
            Err.WriteLine($"internal error (please report): {e}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The data-quality counts of the record files read so far, per file and kind, in reading order; empty
    /// when every record was clean.</summary>
    public IReadOnlyList<DataQualityCount> DataQuality => _dataQuality;

    public void Log(string message) => Err.WriteLine(message);

    public static ReadOptions ReadOptions(string? encoding, string? sheet, string onBadRow) => new()
    {
        Encoding = ParseEncoding(encoding),
        Sheet = sheet,
        OnBadRow = onBadRow == "skip" ? BadRowPolicy.Skip : BadRowPolicy.Fail,
    };

    public IReadOnlyList<Achievement> ReadAchievements(string path, ReadOptions options) =>
        Read(path, "--achievements", "achievements", () => RecordReader.ReadAchievements(path, options));

    public IReadOnlyList<Demand> ReadDemands(string path, ReadOptions options) =>
        Read(path, "--demands", "demands", () => RecordReader.ReadDemands(path, options));

    /// <summary>The sample event's file of that name (the default input of <c>match</c> and <c>explain</c>).</summary>
    public static string SampleFile(string name) => Path.Combine(SampleEvent.Directory, name);

    /// <summary>A <c>--model</c> value's ranker: none for <c>none</c>, the shipped model for <c>default</c>, else the file.</summary>
    /// <exception cref="UsageException">The model was trained with text vectors and <paramref name="semantic"/> is off.</exception>
    public RankerModel? LoadModel(string value, bool semantic = false)
    {
        if (ModelPath(value) is not { } path)
        {
            return null;
        }

        var model = RankerModel.Load(path);
        if (!semantic && model.Metadata.UsesSemanticCosine())
        {
            throw new UsageException(
                $"the ranker {path} was trained with text vectors (--semantic on; feature semantic_cosine), which this run does not compute: " +
                "add --semantic on, or use a model trained without it (such as --model default, the shipped one)");
        }

        Log($"ranker: {path} ({model.Metadata.Trainer}, {model.TreeCount} trees, features {model.Metadata.FeatureHash})");
        return model;
    }

    /// <summary>Whether a model can rerank lists that hold candidates BM25 did not rank (fused with the route by meaning,
    /// or retrieved by an RM3-expanded query): it was trained on such lists (<c>candidates</c> names <c>vectors</c>, or a
    /// <c>feedback</c> parameter for RM3), or on retrieved lists only. Models trained before 2026-12-08 on BM25 lists with
    /// the judged answers BM25 missed appended (<c>bm25+judged</c>, in the metadata or any set's) learned that a
    /// candidate ranked past every BM25 hit is relevant, and put candidates found only by meaning or feedback first.</summary>
    public static bool FitsExpandedLists(RankerMetadata metadata, bool feedback)
    {
        bool Fits(IReadOnlyDictionary<string, string> parameters) =>
            !parameters.TryGetValue("candidates", out var candidates)
            || !candidates.Contains("judged", StringComparison.Ordinal)
            || (feedback ? parameters.ContainsKey("feedback") : candidates.Contains("vectors", StringComparison.Ordinal));

        return metadata.Sets is { Count: > 0 } sets ? sets.All(s => Fits(s.Parameters)) : Fits(metadata.Parameters);
    }

    /// <summary>What <c>match</c> and <c>explain</c> rank with: the model, or — when their lists hold candidates it does
    /// not fit (<see cref="FitsExpandedLists"/>) — no model, with a warning, and the model's BM25 strength calibration
    /// (the lists' own order, with probabilities).</summary>
    public (RankerModel? Ranker, StrengthCalibration? Bm25Strength) RankerForLists(RankerModel? ranker, StrengthCalibration? bm25Strength, bool semantic, bool feedback)
    {
        const string Use = "with the model's BM25 strength calibration";
        if (ranker is null)
        {
            return (null, bm25Strength);
        }

        if (semantic && !FitsExpandedLists(ranker.Metadata, feedback: false))
        {
            Err.WriteLine("warning: " + Bm25ModelOnFusedLists($"ranking by the fused order instead, {Use}"));
            return (null, ranker.Metadata.Bm25Strength);
        }

        if (feedback && !FitsExpandedLists(ranker.Metadata, feedback: true))
        {
            Err.WriteLine("warning: " + ModelWithoutFeedbackOnFeedbackLists($"ranking by the feedback order instead, {Use}"));
            return (null, ranker.Metadata.Bm25Strength);
        }

        return (ranker, bm25Strength);
    }

    /// <summary>The warning for a model that does not fit fused lists (<see cref="FitsExpandedLists"/>) used with the
    /// route by meaning.</summary>
    public static string Bm25ModelOnFusedLists(string use) =>
        "the ranker was trained on BM25 candidate lists with the judged answers BM25 missed appended; on lists fused with the route " +
        "by meaning it ranks candidates found only by meaning first (measured: CSL dev titles MRR@10 0.004, business-language event 0.004 " +
        $"against 0.749 for the fused order); {use}. Retrain it with this version of `matching train` (with or without --semantic on)";

    /// <summary>The warning for a model that does not fit RM3 lists (<see cref="FitsExpandedLists"/>).</summary>
    public static string ModelWithoutFeedbackOnFeedbackLists(string use) =>
        "the ranker was trained on BM25 candidate lists with the judged answers BM25 missed appended; on --prf lists it ranks candidates " +
        $"found only through feedback first (measured: business-language event MRR@10 0.126 against 0.546 for the feedback order; BQ 0.131 against 0.154); {use}. " +
        "Retrain it with this version of `matching train` (with or without --prf on)";

    /// <summary>With <c>--model none</c>, the shipped model's BM25 strength calibration (so BM25 strengths are
    /// probabilities too); null for any other value, or when the shipped model is absent or has none.</summary>
    public StrengthCalibration? Bm25Strength(string modelValue)
    {
        if (!modelValue.Equals("none", StringComparison.OrdinalIgnoreCase) || !File.Exists(RankerModel.DefaultPath))
        {
            return null;
        }

        try
        {
            var calibration = RankerModel.ReadMetadata(RankerModel.DefaultPath).Bm25Strength;
            Log(calibration is null ? "strength: uncalibrated (the shipped model has no BM25 calibration)" : $"strength: BM25 calibration of {RankerModel.DefaultPath}");
            return calibration;
        }
        catch (ModelFormatException e)
        {
            Log($"strength: uncalibrated ({e.Message})");
            return null;
        }
    }

    /// <summary>The model file a <c>--model</c> value names: null for <c>none</c>, the shipped model for <c>default</c>.</summary>
    public static string? ModelPath(string value) =>
        value.Equals("none", StringComparison.OrdinalIgnoreCase) ? null
        : value.Equals("default", StringComparison.OrdinalIgnoreCase) ? RankerModel.DefaultPath
        : value;

    private IReadOnlyList<T> Read<T>(string path, string option, string what, Func<ReadResult<T>> read)
    {
        RequireFile(path, option);
        ReadResult<T> result;
        using (new Heartbeat(Err, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"reading {what} from {path} ({new FileInfo(path).Length / 1048576.0:0.#} MB)")))
        {
            result = read();
        }

        ReportSkipped(path, result.Problems);
        ReportCut(path, result.Warnings);
        var quality = new DataQualityReport();
        foreach (var warning in result.DataQuality)
        {
            quality.Add(warning);
        }

        quality.Report(this, path);
        _dataQuality.AddRange(result.DataQuality.GroupBy(w => w.Kind).OrderBy(g => g.Key)
            .Select(g => new DataQualityCount(path, g.Key, g.Count())));
        Log($"read {result.Records.Count} {what} from {path}");
        return result.Records;
    }

    public static void RequireFile(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, $"file not found (given with {option})");
        }
    }

    private void ReportSkipped(string path, IReadOnlyList<InputFormatException> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        foreach (var problem in problems.Take(20))
        {
            Err.WriteLine($"skipped: {problem.Message}");
        }

        Err.WriteLine($"skipped {problems.Count} bad row(s) in {path}" + (problems.Count > 20 ? " (first 20 shown)" : ""));
    }

    /// <summary>Prints the fields cut under <c>--truncate-long-fields</c>: the first 20 and a count.</summary>
    public void ReportCut(string path, IReadOnlyCollection<InputFormatException> warnings)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        foreach (var warning in warnings.Take(20))
        {
            Err.WriteLine($"warning: {warning.Message}");
        }

        Err.WriteLine($"cut {warnings.Count} long field(s) in {path}" + (warnings.Count > 20 ? " (first 20 shown)" : ""));
    }

    private static Encoding? ParseEncoding(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"unknown encoding '{name}' (try utf-8, gb18030 or gbk)");
        }
    }
}

/// <summary>A command line that parses but makes no sense (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
