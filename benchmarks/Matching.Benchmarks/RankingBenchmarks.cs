using BenchmarkDotNet.Attributes;
using Matching.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Matching.Benchmarks;

/// <summary>Scoring 100,000 rows with a LightGBM LambdaRank model of 100 trees of 20 leaves over 20 features:
/// the compiled ensemble (in the engine's batches of 100, in one batch, row by row) against ML.NET's
/// <c>Transform</c> and <c>PredictionEngine</c>. Times are per row (<c>OperationsPerInvoke</c>), so
/// rows per second is 10^9 / Mean[ns].</summary>
[MemoryDiagnoser]
public class RankingBenchmarks
{
    private const int FeatureCount = 20;
    private const int Rows = 100_000;
    private const int CandidatesPerDemand = 100;

    private MLContext _ml = null!;
    private ITransformer _model = null!;
    private CompiledTreeEnsemble _compiled = null!;
    private PredictionEngine<Row, ScoreRow> _engine = null!;
    private Row[] _rows = null!;
    private IDataView _view = null!;
    private float[] _features = null!;
    private float[] _scores = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ml = new MLContext(seed: 1);
        var training = Generate(3000, groups: 150, seed: 1);
        var trainer = _ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            RowGroupColumnName = "GroupKey",
            NumberOfLeaves = 20,
            NumberOfIterations = 100,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.1,
            NumberOfThreads = 1,
            Seed = 1,
        });
        var model = _ml.Transforms.Conversion.MapValueToKey("GroupKey", nameof(Row.Group)).Append(trainer)
            .Fit(_ml.Data.LoadFromEnumerable(training));
        _model = model;
        _compiled = CompiledTreeEnsemble.Compile(model.LastTransformer.Model, FeatureCount);
        _engine = _ml.Model.CreatePredictionEngine<Row, ScoreRow>(_model);
        _rows = Generate(Rows, groups: Rows / CandidatesPerDemand, seed: 2);
        _view = _ml.Data.LoadFromEnumerable(_rows);
        _features = _rows.SelectMany(r => r.Features).ToArray();
        _scores = new float[Rows];
    }

    [GlobalCleanup]
    public void Cleanup() => _engine.Dispose();

    /// <summary>How the engine scores: one demand's ~100 candidates per call.</summary>
    [Benchmark(OperationsPerInvoke = Rows)]
    public double CompiledBatchesOf100()
    {
        for (int start = 0; start < Rows; start += CandidatesPerDemand)
        {
            _compiled.Score(_features.AsSpan(start * FeatureCount, CandidatesPerDemand * FeatureCount), CandidatesPerDemand, _scores.AsSpan(start, CandidatesPerDemand));
        }

        return Checksum(_scores);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double CompiledOneBatch()
    {
        _compiled.Score(_features, Rows, _scores);
        return Checksum(_scores);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double CompiledRowByRow()
    {
        for (int r = 0; r < Rows; r++)
        {
            _scores[r] = _compiled.Score(_features.AsSpan(r * FeatureCount, FeatureCount));
        }

        return Checksum(_scores);
    }

    [Benchmark(OperationsPerInvoke = Rows, Baseline = true)]
    public double MlNetTransform()
    {
        var scored = _model.Transform(_view);
        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<float>(scored.Schema["Score"]);
        float score = 0;
        double sum = 0;
        while (cursor.MoveNext())
        {
            getter(ref score);
            sum += score;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double MlNetPredictionEngine()
    {
        var prediction = new ScoreRow();
        double sum = 0;
        foreach (var row in _rows)
        {
            _engine.Predict(row, ref prediction);
            sum += prediction.Score;
        }

        return sum;
    }

    private static double Checksum(float[] scores)
    {
        double sum = 0;
        foreach (float s in scores)
        {
            sum += s;
        }

        return sum;
    }

    private static Row[] Generate(int count, int groups, int seed)
    {
        var random = new Random(seed);
        var rows = new Row[count];
        for (int i = 0; i < count; i++)
        {
            var f = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                f[j] = (float)random.NextDouble();
            }

            double relevance = (2 * f[0]) + (1.5 * f[1]) - f[2] + (f[3] * f[4]) + (0.3 * random.NextDouble());
            rows[i] = new Row { Label = (float)Math.Clamp(Math.Floor(relevance * 1.2), 0, 4), Group = (uint)(i * groups / count), Features = f };
        }

        return rows;
    }

    /// <summary>One candidate pair as ML.NET reads it.</summary>
    public sealed class Row
    {
        /// <summary>Graded relevance 0-4.</summary>
        public float Label { get; set; }

        /// <summary>The demand the candidate belongs to.</summary>
        public uint Group { get; set; }

        /// <summary>The pair's features.</summary>
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>ML.NET's output column.</summary>
    public sealed class ScoreRow
    {
        /// <summary>The ranking score.</summary>
        public float Score { get; set; }
    }
}
