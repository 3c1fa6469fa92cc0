using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Matching.Features;

namespace Matching.Ranking;

/// <summary>Turns a ranked pair into the probability that it is a useful match: a logistic regression on the
/// ranker's score (when there is one) and absolute pair evidence, fitted on held-out (out-of-fold) judged lists.
/// Unlike a ranker score, which only orders one query's candidates, the probability is comparable across queries
/// and events: a candidate that is first only because nothing better exists gets a low one.</summary>
/// <remarks>Inputs are <c>score</c> (the ranker's), <c>log_bm25_rank</c> (ln of the BM25 rank), <c>log_demand_length</c>
/// (ln(1 + words)), which lets coverage mean less for a long demand than for a few keywords, or a feature name of
/// <see cref="PairFeatures.Names"/>; each is standardised with the stored mean and scale, then
/// p = 1 / (1 + e^−(bias + Σ weightᵢ·zᵢ)).</remarks>
public sealed record StrengthCalibration
{
    /// <summary>Input names, in weight order.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Mean of each input on the fitting data.</summary>
    public required IReadOnlyList<double> Means { get; init; }

    /// <summary>Standard deviation of each input on the fitting data (1 when constant).</summary>
    public required IReadOnlyList<double> Scales { get; init; }

    /// <summary>Logistic weights of the standardised inputs.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>Logistic intercept.</summary>
    public required double Bias { get; init; }

    /// <summary>Held-out pairs the calibration was fitted on, and how many of them were relevant.</summary>
    public int Pairs { get; init; }

    /// <summary>Relevant pairs among <see cref="Pairs"/>.</summary>
    public int RelevantPairs { get; init; }

    /// <summary>Predicted against observed relevance on the fitting pairs, by tenths of probability.</summary>
    public IReadOnlyList<ReliabilityBin> Reliability { get; init; } = [];

    /// <summary>Whether the calibration reads the ranker's score (else it calibrates BM25 lists).</summary>
    public bool UsesScore => Inputs.Contains(ScoreInput);

    internal const string ScoreInput = "score";
    internal const string LogRankInput = "log_bm25_rank";
    internal const string LogDemandLengthInput = "log_demand_length";

    /// <summary>What the reranked calibration reads: the ranker's score and evidence that is absolute, not relative
    /// to the list (coverage, overlap), next to the list position that a top candidate always has.</summary>
    internal static readonly string[] RerankedInputs =
        [ScoreInput];

    /// <summary>The same without a ranker.</summary>
    internal static readonly string[] Bm25Inputs =
        ["bm25_norm", LogRankInput, "idf_coverage_achievement", "bigram_jaccard", "bm25_reverse", "keyword_segmented"];

    /// <summary>The probability for one feature row and the ranker's score of it (ignored without <c>score</c>).</summary>
    public double Probability(ReadOnlySpan<float> row, double score)
    {
        var indices = Indices();
        var z = Bias;
        for (var i = 0; i < indices.Length; i++)
        {
            var x = Input(indices[i], row, score);
            z += Weights[i] * (x - Means[i]) / Scales[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Checks that every input is known to this build's features.</summary>
    /// <exception cref="ModelFormatException">An input is neither the score, the log rank nor a feature, or the arrays disagree.</exception>
    internal void Validate(string source)
    {
        if (Means.Count != Inputs.Count || Scales.Count != Inputs.Count || Weights.Count != Inputs.Count || Scales.Any(s => !(s > 0)))
        {
            throw new ModelFormatException($"{source}: strength calibration has {Inputs.Count} inputs but {Means.Count} means, {Scales.Count} scales and {Weights.Count} weights (scales must be positive)");
        }

        foreach (var input in Inputs)
        {
            if (!s_inputIndex.ContainsKey(input))
            {
                throw new ModelFormatException($"{source}: strength calibration input '{input}' is not a feature of this Matching");
            }
        }
    }

    /// <summary>Feature index per input name: −1 for the score, −2 for the log rank, −3 for the log demand length.</summary>
    private static readonly Dictionary<string, int> s_inputIndex = PairFeatures.Names
        .Select((name, i) => (name, i))
        .Concat([(ScoreInput, -1), (LogRankInput, -2), (LogDemandLengthInput, -3)])
        .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    /// <summary>Each calibration's input indices, resolved once per instance and kept off the record so that equality
    /// stays by value (the cache is keyed by reference).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<StrengthCalibration, int[]> s_indices = [];

    private int[] Indices() => s_indices.GetValue(this, c => [.. c.Inputs.Select(i => s_inputIndex.TryGetValue(i, out var index)
        ? index
        : throw new ModelFormatException($"strength calibration input '{i}' is not a feature of this Matching"))]);

    private static int IndexOf(string feature) => s_inputIndex[feature];

    private static readonly int s_rankIndex = IndexOf("bm25_rank");
    private static readonly int s_demandLengthIndex = IndexOf("demand_length");

    private static double Input(int index, ReadOnlySpan<float> row, double score) => index switch
    {
        -1 => score,
        -2 => Math.Log(Math.Max(1, row[s_rankIndex])),
        -3 => Math.Log(1 + Math.Max(0, row[s_demandLengthIndex])),
        _ => row[index],
    };

    /// <summary>Fits a calibration on labelled held-out pairs (ML.NET's L-BFGS logistic regression, one thread, L2
    /// 1.0 on standardised inputs; deterministic).</summary>
    /// <param name="inputs">The input names.</param>
    /// <param name="pairs">Each pair's feature row, ranker score and whether it was judged relevant.</param>
    internal static StrengthCalibration Fit(string[] inputs, IReadOnlyList<CalibrationPair> pairs)
    {
        if (pairs.Count == 0 || pairs.All(p => p.Relevant) || pairs.All(p => !p.Relevant))
        {
            throw new InvalidOperationException($"calibration needs relevant and non-relevant held-out pairs (got {pairs.Count}, {pairs.Count(p => p.Relevant)} relevant)");
        }

        var probe = new StrengthCalibration { Inputs = inputs, Means = new double[inputs.Length], Scales = [.. inputs.Select(_ => 1.0)], Weights = new double[inputs.Length], Bias = 0 };
        var indices = probe.Indices();
        var raw = pairs.Select(p => indices.Select(i => Input(i, p.Row, p.Score)).ToArray()).ToArray();
        var means = new double[inputs.Length];
        var scales = new double[inputs.Length];
        for (var k = 0; k < inputs.Length; k++)
        {
            means[k] = raw.Average(r => r[k]);
            var variance = raw.Average(r => (r[k] - means[k]) * (r[k] - means[k]));
            scales[k] = variance > 1e-12 ? Math.Sqrt(variance) : 1;
        }

        var ml = new MLContext(seed: 1);
        var rows = raw.Select((r, i) => new Row
        {
            Label = pairs[i].Relevant,
            Features = [.. r.Select((x, k) => (float)((x - means[k]) / scales[k]))],
        });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputs.Length);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            L2Regularization = 1f,
            L1Regularization = 0f,
            OptimizationTolerance = 1e-7f,
            MaximumNumberOfIterations = 1000,
        });
        var model = trainer.Fit(data).Model.SubModel;
        var weights = model.Weights.Select(w => (double)w).ToArray();
        var fitted = new StrengthCalibration
        {
            Inputs = inputs,
            Means = [.. means.Select(m => Math.Round(m, 9))],
            Scales = [.. scales.Select(s => Math.Round(s, 9))],
            Weights = [.. weights.Select(w => Math.Round(w, 9))],
            Bias = Math.Round(model.Bias, 9),
        };
        return fitted with
        {
            Pairs = pairs.Count,
            RelevantPairs = pairs.Count(p => p.Relevant),
            Reliability = ReliabilityBin.Table(pairs.Select(p => (fitted.Probability(p.Row, p.Score), p.Relevant))),
        };
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}

/// <summary>One bin of a reliability table: pairs whose predicted probability is in [Low, High), their mean
/// prediction and the share that was relevant. A calibrated model has MeanPredicted ≈ Observed in every bin.</summary>
/// <param name="Low">Lower bound of the predicted probability.</param>
/// <param name="High">Upper bound (exclusive, except 1 for the last bin).</param>
/// <param name="Pairs">Pairs in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability.</param>
/// <param name="Observed">Share judged relevant.</param>
public sealed record ReliabilityBin(double Low, double High, int Pairs, double MeanPredicted, double Observed)
{
    /// <summary>Ten bins of width 0.1 (empty bins kept, with zeros).</summary>
    public static IReadOnlyList<ReliabilityBin> Table(IEnumerable<(double Probability, bool Relevant)> pairs)
    {
        var count = new int[10];
        var predicted = new double[10];
        var relevant = new int[10];
        foreach (var (p, r) in pairs)
        {
            var bin = Math.Clamp((int)(p * 10), 0, 9);
            count[bin]++;
            predicted[bin] += p;
            relevant[bin] += r ? 1 : 0;
        }

        return [.. Enumerable.Range(0, 10).Select(b => new ReliabilityBin(
            b / 10.0, (b + 1) / 10.0, count[b],
            count[b] == 0 ? 0 : Math.Round(predicted[b] / count[b], 4),
            count[b] == 0 ? 0 : Math.Round((double)relevant[b] / count[b], 4)))];
    }
}

/// <summary>A calibration checked on judged lists: the reliability of the top 10 of every list, and how often a
/// strong match (p ≥ 0.5) appears where the catalogue has no answer (the same lists with their answers removed).</summary>
/// <param name="Reliability">Predicted against observed on the top 10 of every list.</param>
/// <param name="Pairs">Pairs in <paramref name="Reliability"/>.</param>
/// <param name="BrierScore">Mean squared error of the probabilities on those pairs (lower is better).</param>
/// <param name="StrongPrecision">Share of strong pairs that are relevant.</param>
/// <param name="StrongRecall">Share of relevant pairs (within the top 10) that are strong.</param>
/// <param name="AnswerlessLists">Lists that had an answer and were checked without it.</param>
/// <param name="AnswerlessStrong">Share of those lists that still show a strong match (a false alarm).</param>
public sealed record CalibrationCheck(
    IReadOnlyList<ReliabilityBin> Reliability, int Pairs, double BrierScore, double StrongPrecision, double StrongRecall,
    int AnswerlessLists, double AnswerlessStrong)
{
    /// <summary>The strength that counts as strong in this check (the event default).</summary>
    public const double Strong = 0.5;

    internal static CalibrationCheck Of(StrengthCalibration calibration, IReadOnlyList<CalibrationPair> pairs, IReadOnlyList<CalibrationPair[]> answerless)
    {
        var scored = pairs.Select(p => (P: calibration.Probability(p.Row, p.Score), p.Relevant)).ToList();
        var strong = scored.Where(x => x.P >= Strong).ToList();
        var relevant = scored.Count(x => x.Relevant);
        return new CalibrationCheck(
            ReliabilityBin.Table(scored.Select(x => (x.P, x.Relevant))),
            scored.Count,
            Math.Round(scored.Count == 0 ? 0 : scored.Average(x => (x.P - (x.Relevant ? 1 : 0)) * (x.P - (x.Relevant ? 1 : 0))), 6),
            Math.Round(strong.Count == 0 ? 0 : (double)strong.Count(x => x.Relevant) / strong.Count, 6),
            Math.Round(relevant == 0 ? 0 : (double)strong.Count(x => x.Relevant) / relevant, 6),
            answerless.Count,
            Math.Round(answerless.Count == 0 ? 0 : (double)answerless.Count(l => l.Any(p => calibration.Probability(p.Row, p.Score) >= Strong)) / answerless.Count, 6));
    }
}

/// <summary>A held-out pair for fitting a calibration.</summary>
/// <param name="Row">Its feature row.</param>
/// <param name="Score">The ranker's score (0 for BM25 calibration).</param>
/// <param name="Relevant">Whether it was judged relevant.</param>
internal sealed record CalibrationPair(float[] Row, double Score, bool Relevant);

/// <summary>Collects held-out pairs for the two calibrations (reranked and BM25) from scored candidate lists.</summary>
/// <remarks>Each list contributes its top <see cref="Top"/> by the ranker and by BM25 — what a report shows — and,
/// when it has a relevant candidate, the same list with every relevant candidate removed (its list features
/// recomputed): the situation of a catalogue that has no answer, where the best remaining candidate is still first
/// and must not look like a match.</remarks>
internal sealed class CalibrationSet
{
    /// <summary>Candidates per list that are fitted on.</summary>
    public const int Top = 10;

    private static readonly int s_bm25 = PairFeatures.Names.ToList().IndexOf("bm25");
    private static readonly int s_rank = PairFeatures.Names.ToList().IndexOf("bm25_rank");
    private static readonly int s_norm = PairFeatures.Names.ToList().IndexOf("bm25_norm");

    public List<CalibrationPair> Reranked { get; } = [];

    public List<CalibrationPair> Bm25 { get; } = [];

    /// <summary>The top of each answer-removed list, reranked (natural lists are in <see cref="Reranked"/>).</summary>
    public List<CalibrationPair[]> RerankedAnswerless { get; } = [];

    /// <summary>The top of each answer-removed list by BM25.</summary>
    public List<CalibrationPair[]> Bm25Answerless { get; } = [];

    private readonly object _lock = new();

    /// <summary>Adds a held-out list scored by a model trained without it.</summary>
    public void Add(RankingGroup group, CompiledTreeEnsemble model)
    {
        var n = PairFeatures.Count;
        var (reranked, bm25) = Tops(group.Features, group.Grades, group.Count, model);
        if (!group.Grades.Any(g => g > 0) || group.Grades.All(g => g > 0))
        {
            lock (_lock)
            {
                Reranked.AddRange(reranked);
                Bm25.AddRange(bm25);
            }

            return;
        }

        // The same list without its answers: list features (rank, share of the best BM25) recomputed.
        var keep = Enumerable.Range(0, group.Count).Where(i => group.Grades[i] <= 0).ToArray();
        var rows = new float[keep.Length * n];
        for (var k = 0; k < keep.Length; k++)
        {
            group.Row(keep[k]).CopyTo(rows.AsSpan(k * n, n));
        }

        RecomputeListFeatures(rows, keep.Length);
        var (rerankedAnswerless, bm25Answerless) = Tops(rows, new int[keep.Length], keep.Length, model);
        lock (_lock)
        {
            Reranked.AddRange(reranked);
            Bm25.AddRange(bm25);
            Reranked.AddRange(rerankedAnswerless);
            Bm25.AddRange(bm25Answerless);
            RerankedAnswerless.Add(rerankedAnswerless);
            Bm25Answerless.Add(bm25Answerless);
        }
    }

    private static (CalibrationPair[] Reranked, CalibrationPair[] Bm25) Tops(float[] rows, int[] grades, int count, CompiledTreeEnsemble model)
    {
        var n = PairFeatures.Count;
        var scores = new float[count];
        model.Score(rows, count, scores);
        return (
            [.. Enumerable.Range(0, count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(Top)
                .Select(i => new CalibrationPair(rows.AsSpan(i * n, n).ToArray(), scores[i], grades[i] > 0))],
            [.. Enumerable.Range(0, count).OrderBy(i => rows[(i * n) + s_rank]).ThenBy(i => i).Take(Top)
                .Select(i => new CalibrationPair(rows.AsSpan(i * n, n).ToArray(), 0, grades[i] > 0))]);
    }

    /// <summary>Rank of each row's bm25 in the list (1 = best; ties keep row order) and bm25 / the best.</summary>
    internal static void RecomputeListFeatures(Span<float> rows, int count)
    {
        var n = PairFeatures.Count;
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = rows[(i * n) + s_bm25];
        }

        var order = Enumerable.Range(0, count).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var best = count == 0 ? 0 : Math.Max(0, values[order[0]]);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var row = order[rank] * n;
            rows[row + s_rank] = rank + 1;
            rows[row + s_norm] = best > 0 ? rows[row + s_bm25] / best : 0f;
        }
    }
}
