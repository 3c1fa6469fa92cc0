using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Matching.Retrieval;

namespace Matching.Benchmarks;

/// <summary>The semantic route's vector search: the 100 nearest of 10,000 or 100,000 random unit vectors (64 dimensions, the event
/// word vectors' size), exactly (every dot product) and through the HNSW graph (candidates re-scored exactly).</summary>
[MemoryDiagnoser]
public class VectorSearchBenchmarks
{
    private VectorIndex _exact = null!;
    private VectorIndex _hnsw = null!;
    private float[][] _queries = null!;
    private int _next;

    /// <summary>Records in the index.</summary>
    [Params(10_000, 100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        float[] Unit()
        {
            var v = new float[64];
            for (var i = 0; i < v.Length; i++)
            {
                v[i] = (float)((random.NextDouble() * 2) - 1);
            }

            TensorPrimitives.Multiply(v, 1f / TensorPrimitives.Norm(v), v);
            return v;
        }

        var entries = Enumerable.Range(0, Records).Select(i => new VectorEntry($"A{i:D7}", "h", Unit())).ToList();
        _exact = VectorIndex.Build("bench", 64, entries, hnswThreshold: int.MaxValue);
        _hnsw = VectorIndex.Build("bench", 64, entries, hnswThreshold: 0);
        _queries = [.. Enumerable.Range(0, 64).Select(_ => Unit())];
        _hnsw.Search(_queries[0], 100); // builds the graph outside the measurement
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exact.Dispose();
        _hnsw.Dispose();
    }

    /// <summary>HNSW's overlap with the exact top 100 for one query (0–1).</summary>
    public double HnswRecall()
    {
        var exact = _exact.Search(_queries[1], 100).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return _hnsw.Search(_queries[1], 100).Count(r => exact.Contains(r.Id)) / 100.0;
    }

    [Benchmark(Baseline = true)]
    public int Exact() => _exact.Search(_queries[_next++ & 63], 100).Count;

    [Benchmark]
    public int Hnsw() => _hnsw.Search(_queries[_next++ & 63], 100).Count;
}
