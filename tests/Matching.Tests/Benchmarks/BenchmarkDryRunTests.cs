using System.Reflection;
using BenchmarkDotNet.Attributes;
using Matching.Benchmarks;
using Matching.Features;
using Matching.Text;

namespace Matching.Tests.Benchmarks;

/// <summary>Runs every benchmark method once (setup, body, cleanup) so the benchmarks cannot rot, and checks that what
/// it computed is right: a benchmark that measures a wrong or empty result measures nothing.</summary>
public sealed class BenchmarkDryRunTests
{
    /// <summary>What each benchmark's result must be, checked against the benchmark instance after the call (so a
    /// check can look at what the call computed, or run the instance's baseline on the same data).</summary>
    private static readonly Dictionary<string, Action<object, object?>> s_expected = new()
    {
        [$"{nameof(SegmentationBenchmarks)}.{nameof(SegmentationBenchmarks.SegmentPrecise)}"] = (_, result) =>
        {
            // Precise mode cuts the text into words, each the text at its offsets, one after another, covering every
            // Chinese character (only punctuation and symbols are left out).
            var words = ChineseSegmenter.Shared.Segment(SimplifiedAbstract, SegmentMode.Precise);
            var han = Enumerable.Range(0, SimplifiedAbstract.Length).Where(i => SimplifiedAbstract[i] is >= '\u4e00' and <= '\u9fff');
            using (Assert.EnterMultipleScope())
            {
                Assert.That(words.Where(w => SimplifiedAbstract[w.Start..w.End] != w.Term), Is.Empty);
                Assert.That(words.Zip(words.Skip(1)).Where(p => p.Second.Start < p.First.End), Is.Empty, "overlapping words");
                Assert.That(words.SelectMany(w => Enumerable.Range(w.Start, w.End - w.Start)), Is.SupersetOf(han));
                Assert.That(result, Is.EqualTo(words.Count).And.GreaterThan(50));
            }
        },
        [$"{nameof(SegmentationBenchmarks)}.{nameof(SegmentationBenchmarks.SegmentSearch)}"] = (_, result) =>
            // Search mode adds the dictionary sub-words of long words (锂离子电池 → 锂离子, 离子, 电池 …) to precise mode's cut.
            Assert.That(result, Is.GreaterThan(ChineseSegmenter.Shared.Segment(SimplifiedAbstract, SegmentMode.Precise).Count + 5)),
        [$"{nameof(SegmentationBenchmarks)}.{nameof(SegmentationBenchmarks.NormalizeTraditional)}"] = (instance, result) =>
        {
            // The Traditional abstract normalises to the Simplified one.
            var traditional = (string)Field(instance, "_traditional");
            Assert.That(TextNormalizer.Default.Normalize(traditional), Is.EqualTo(TextNormalizer.Default.Normalize(SimplifiedAbstract)));
            Assert.That(result, Is.EqualTo(TextNormalizer.Default.Normalize(SimplifiedAbstract).Length));
        },
        [$"{nameof(SegmentationBenchmarks)}.{nameof(SegmentationBenchmarks.AnalyzeTraditional)}"] = (instance, result) =>
        {
            // The Traditional abstract gives the Simplified one's terms.
            using var analyzer = MatchingAnalyzer.ForIndexing(AnalyzerKind.Jieba);
            var simplified = analyzer.Terms(SimplifiedAbstract);
            Assert.That(simplified, Has.Count.GreaterThan(50));
            Assert.That(analyzer.Terms((string)Field(instance, "_traditional")), Is.EqualTo(simplified));
            Assert.That(result, Is.EqualTo(simplified.Count));
        },
        [$"{nameof(RetrievalBenchmarks)}.{nameof(RetrievalBenchmarks.Top100ForOneDemand)}"] = (_, result) =>
            // 2,000 achievements recombining 12 sentences, 3 of them on the demand's subject: a full top 100.
            Assert.That(result, Is.EqualTo(100)),
        [$"{nameof(RetrievalBenchmarks)}.{nameof(RetrievalBenchmarks.Top10WithMatchedTerms)}"] = (_, result) =>
            // Every one of the top 10 shares several terms with the demand (电池, 正极材料, 循环, 容量 …).
            Assert.That(result, Is.GreaterThanOrEqualTo(10 * 3)),
        [$"{nameof(RankingBenchmarks)}.{nameof(RankingBenchmarks.CompiledBatchesOf100)}"] = SameChecksumAsMlNet,
        [$"{nameof(RankingBenchmarks)}.{nameof(RankingBenchmarks.CompiledOneBatch)}"] = SameChecksumAsMlNet,
        [$"{nameof(RankingBenchmarks)}.{nameof(RankingBenchmarks.CompiledRowByRow)}"] = SameChecksumAsMlNet,
        [$"{nameof(RankingBenchmarks)}.{nameof(RankingBenchmarks.MlNetTransform)}"] = (instance, result) =>
            Assert.That(result, Is.EqualTo(((RankingBenchmarks)instance).MlNetPredictionEngine()), "Transform and PredictionEngine disagree"),
        [$"{nameof(RankingBenchmarks)}.{nameof(RankingBenchmarks.MlNetPredictionEngine)}"] = (instance, result) =>
            Assert.That(result, Is.EqualTo(((RankingBenchmarks)instance).MlNetTransform()), "Transform and PredictionEngine disagree"),
        [$"{nameof(FeaturesBenchmarks)}.{nameof(FeaturesBenchmarks.FeaturesPerPair)}"] = (instance, result) =>
        {
            // Row 0 is the hand-checked pair D001 → A001: the best BM25 of D001's list of the first 100 achievements.
            var rows = (float[])Field(instance, "_rows");
            var n = PairFeatures.Count;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result, Is.EqualTo(rows[0] + 1));
                Assert.That(rows[0], Is.GreaterThan(0).And.EqualTo(Enumerable.Range(0, 100).Max(i => rows[i * n])));
                Assert.That((rows[2], rows[3]), Is.EqualTo((1f, 1f)), "bm25_rank and bm25_norm of the best");
            }
        },
        [$"{nameof(FeaturesBenchmarks)}.{nameof(FeaturesBenchmarks.FeaturesAndModelPerPair)}"] = (instance, result) =>
        {
            // The shipped model ranks the hand-checked A001 first for D001 as well, clearly above the rest.
            var scores = (float[])Field(instance, "_scores");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(result, Is.EqualTo(scores[0] + 1));
                Assert.That(scores[0], Is.EqualTo(scores.Max()));
                Assert.That(scores[0], Is.GreaterThan(scores.Where((_, i) => i > 0).Max() + 1));
            }
        },
        [$"{nameof(EncoderBenchmarks)}.{nameof(EncoderBenchmarks.TokenizeAbstract)}"] = (instance, result) =>
        {
            // Every Chinese character and punctuation mark of the 85-character abstract is one BERT token, and "pH" one more
            // (lower-cased to ph, not in the tiny vocabulary: [UNK]): [CLS] + 84 + [SEP].
            var encoder = (OnnxTextEncoder)Field(instance, "_encoder");
            var ids = encoder.Tokenize(EncoderSentences[4]);
            Assert.That(result, Is.EqualTo(ids.Count).And.EqualTo(EncoderTokenCount));
            Assert.That((ids[0], ids[^1]), Is.EqualTo((2, 3)), "[CLS] … [SEP]");
        },
        [$"{nameof(EncoderBenchmarks)}.{nameof(EncoderBenchmarks.EncodeOneText)}"] = (instance, result) =>
        {
            // A unit vector of the tiny model's 6 dimensions, the same as in a batch of others.
            var encoder = (OnnxTextEncoder)Field(instance, "_encoder");
            var alone = encoder.Encode([EncoderSentences[4]])[0];
            var inBatch = encoder.Encode((string[])Field(instance, "_batch"))[4];
            Assert.That(result, Is.EqualTo(6));
            Assert.That(Math.Sqrt(alone.Sum(x => (double)x * x)), Is.EqualTo(1.0).Within(1e-6));
            Assert.That(alone, Is.EqualTo(inBatch).Within(1e-6f));
        },
        [$"{nameof(EncoderBenchmarks)}.{nameof(EncoderBenchmarks.EncodeBatchOf32)}"] = (instance, result) =>
        {
            // All 32 texts hold known characters: 32 non-zero vectors, each the text's own one-by-one vector.
            var encoder = (OnnxTextEncoder)Field(instance, "_encoder");
            var batch = (string[])Field(instance, "_batch");
            var vectors = encoder.Encode(batch);
            Assert.That(result, Is.EqualTo(32));
            for (var i = 0; i < batch.Length; i++)
            {
                Assert.That(vectors[i], Is.EqualTo(encoder.Encode([batch[i]])[0]).Within(1e-6f), $"text {i}");
            }
        },
        [$"{nameof(VectorSearchBenchmarks)}.{nameof(VectorSearchBenchmarks.Exact)}"] = (_, result) =>
            // Random unit vectors: about half have a positive inner product with the query, far more than 100.
            Assert.That(result, Is.EqualTo(100)),
        [$"{nameof(VectorSearchBenchmarks)}.{nameof(VectorSearchBenchmarks.Hnsw)}"] = (instance, result) =>
        {
            Assert.That(result, Is.EqualTo(100));
            Assert.That(((VectorSearchBenchmarks)instance).HnswRecall(), Is.GreaterThanOrEqualTo(0.9), "HNSW finds the exact top 100");
        },
    };

    private const int EncoderTokenCount = 86;

    private static string[] EncoderSentences =>
        (string[])typeof(EncoderBenchmarks).GetField("s_sentences", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    private static string SimplifiedAbstract =>
        (string)typeof(SegmentationBenchmarks).GetField("Simplified", BindingFlags.NonPublic | BindingFlags.Static)!.GetRawConstantValue()!;

    private static IEnumerable<TestCaseData> BenchmarkMethods() =>
        typeof(SegmentationBenchmarks).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract)
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .Select(m => new TestCaseData(m).SetName($"DryRun_{m.DeclaringType!.Name}_{m.Name}"));

    [TestCaseSource(nameof(BenchmarkMethods))]
    public void DryRun(MethodInfo method)
    {
        var type = method.DeclaringType!;
        Assert.That(s_expected.TryGetValue($"{type.Name}.{method.Name}", out var expected), Is.True,
            $"{type.Name}.{method.Name} has no expected result here: add one to {nameof(BenchmarkDryRunTests)}");
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.GetCustomAttribute<ParamsAttribute>() is not null))
        {
            property.SetValue(instance, property.GetCustomAttribute<ParamsAttribute>()!.Values[0]);
        }

        Invoke<GlobalSetupAttribute>(type, instance);
        try
        {
            var result = method.Invoke(instance, null);
            expected!(instance, result);
        }
        finally
        {
            Invoke<GlobalCleanupAttribute>(type, instance);
        }
    }

    /// <summary>The compiled ensemble's checksum over 100,000 rows is ML.NET's (the same floats bit for bit, summed in
    /// the same order), and not a degenerate one.</summary>
    private static void SameChecksumAsMlNet(object instance, object? result)
    {
        var mlNet = ((RankingBenchmarks)instance).MlNetTransform();
        Assert.That(result, Is.EqualTo(mlNet), "the compiled scores differ from ML.NET's");
        Assert.That(double.IsFinite(mlNet) && mlNet != 0, Is.True, $"checksum {mlNet}");
    }

    private static object Field(object instance, string name) =>
        instance.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(instance)!;

    private static void Invoke<TAttribute>(Type type, object instance) where TAttribute : Attribute
    {
        foreach (var m in type.GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            m.Invoke(instance, null);
        }
    }
}
