using BenchmarkDotNet.Attributes;
using Matching.Features;
using Matching.Ingestion;
using Matching.Ranking;

namespace Matching.Benchmarks;

/// <summary>The scoring hot path per pair: pair features from cached document statistics, then the compiled
/// model, for one demand's list of 100 candidate achievements (the sample event's real texts).</summary>
[MemoryDiagnoser]
public class FeaturesBenchmarks
{
    private const int Candidates = 100;

    private FeatureSpace _space = null!;
    private PreparedProfile _demand = null!;
    private List<PreparedProfile> _candidates = null!;
    private RankerModel _model = null!;
    private float[] _rows = null!;
    private float[] _scores = null!;

    [GlobalSetup]
    public void Setup()
    {
        var achievements = RecordReader.ReadAchievements(SampleEvent.AchievementsCsv).Records;
        var demands = RecordReader.ReadDemands(SampleEvent.DemandsCsv).Records;
        _space = FeatureSpace.Build(achievements, demands);
        _demand = _space.Demand(demands[0].Id);
        _candidates = [.. achievements.Take(Candidates).Select(a => _space.Achievement(a.Id))];
        _model = RankerModel.Load(RankerModel.DefaultPath);
        _rows = new float[Candidates * PairFeatures.Count];
        _scores = new float[Candidates];
    }

    /// <summary>Features of 100 pairs (divide by 100 for one pair).</summary>
    [Benchmark(OperationsPerInvoke = Candidates)]
    public float FeaturesPerPair()
    {
        _space.Extractor.Compute(_demand, _candidates, _rows);
        return _rows[0] + 1;
    }

    /// <summary>Features and the shipped model's score of 100 pairs (divide by 100 for one pair).</summary>
    [Benchmark(OperationsPerInvoke = Candidates)]
    public float FeaturesAndModelPerPair()
    {
        _space.Extractor.Compute(_demand, _candidates, _rows);
        _model.Score(_rows, Candidates, _scores);
        return _scores[0] + 1;
    }
}
