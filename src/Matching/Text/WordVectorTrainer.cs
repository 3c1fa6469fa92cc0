using System.Numerics.Tensors;

namespace Matching.Text;

/// <summary>fastText's skip-gram with negative sampling and hashed character n-grams, on one thread with one seeded
/// generator, so the same sentences, options and seed give bit-identical vectors.</summary>
internal static class WordVectorTrainer
{
    private const int NegativeTableSize = 1_000_000;

    public static WordVectors Train(IReadOnlyList<List<string>> sentences, WordVectorTrainingOptions options)
    {
        options.Validate();
        var dimension = options.Dimension;

        // Vocabulary: words seen at least MinCount times, most frequent first (ties by ordinal), as fastText orders it.
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (var word in sentence)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        var vocabulary = counts.Where(p => p.Value >= options.MinCount)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
        var words = vocabulary.Select(p => p.Key).ToArray();
        var wordCounts = vocabulary.Select(p => p.Value).ToArray();
        var ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            ids[words[i]] = i;
        }

        var rowsCount = words.Length + options.Buckets;
        var random = new SplitMix64((ulong)options.Seed);
        var input = new float[(long)rowsCount * dimension];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (float)((random.NextDouble() * 2 - 1) / dimension);
        }

        if (words.Length == 0)
        {
            return new WordVectors(words, wordCounts, input, dimension, options.Buckets, options.MinN, options.MaxN);
        }

        var output = new float[(long)words.Length * dimension];
        var subwords = words.Select(w => (int[])[ids[w], .. WordVectors.NGramBuckets(w, options.MinN, options.MaxN, options.Buckets).Select(b => words.Length + b)]).ToArray();
        var encoded = sentences.Select(s => s.Where(ids.ContainsKey).Select(w => ids[w]).ToArray()).Where(s => s.Length > 1).ToList();

        // The budget: cut epochs first, then texts.
        var tokens = encoded.Sum(s => (long)s.Length);
        var wanted = Math.Max(options.Epochs, (int)Math.Min(100, (options.MinTrainingTokens + tokens - 1) / Math.Max(1, tokens)));
        var epochs = (int)Math.Clamp(options.MaxTrainingTokens / Math.Max(1, tokens), 1, wanted);
        if (tokens * epochs > options.MaxTrainingTokens)
        {
            long kept = 0;
            var keep = 0;
            while (keep < encoded.Count && kept + encoded[keep].Length <= options.MaxTrainingTokens)
            {
                kept += encoded[keep++].Length;
            }

            encoded = encoded.GetRange(0, Math.Max(1, keep));
            tokens = encoded.Sum(s => (long)s.Length);
        }

        var total = wordCounts.Sum();
        var keepProbability = wordCounts.Select(c =>
        {
            var f = (double)c / total;
            return Math.Sqrt(options.SubsampleThreshold / f) + (options.SubsampleThreshold / f);
        }).ToArray();
        var negatives = NegativeTable(wordCounts);
        var negativePosition = 0;

        var hidden = new float[dimension];
        var gradient = new float[dimension];
        var processed = 0L;
        var planned = Math.Max(1, tokens * epochs);
        var line = new List<int>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var sentence in encoded)
            {
                line.Clear();
                foreach (var id in sentence)
                {
                    if (random.NextDouble() <= keepProbability[id])
                    {
                        line.Add(id);
                    }
                }

                var rate = options.LearningRate * (float)Math.Max(1e-4, 1 - ((double)processed / planned));
                processed += sentence.Length;
                for (var w = 0; w < line.Count; w++)
                {
                    var reach = 1 + (int)(random.Next() % (ulong)options.Window);
                    var rows = subwords[line[w]];
                    for (var c = Math.Max(0, w - reach); c <= Math.Min(line.Count - 1, w + reach); c++)
                    {
                        if (c == w)
                        {
                            continue;
                        }

                        // hidden = mean of the word's rows
                        Array.Clear(hidden);
                        foreach (var row in rows)
                        {
                            TensorPrimitives.Add(hidden, input.AsSpan(row * dimension, dimension), hidden);
                        }

                        TensorPrimitives.Multiply(hidden, 1f / rows.Length, hidden);
                        Array.Clear(gradient);
                        Update(line[c], 1f);
                        for (var k = 0; k < options.Negatives; k++)
                        {
                            int negative;
                            do
                            {
                                negative = negatives[negativePosition];
                                negativePosition = (negativePosition + 1) % negatives.Length;
                            }
                            while (negative == line[c] && words.Length > 1);
                            Update(negative, 0f);
                        }

                        foreach (var row in rows)
                        {
                            var target = input.AsSpan(row * dimension, dimension);
                            TensorPrimitives.Add(target, gradient, target);
                        }
                    }
                }

                void Update(int target, float label)
                {
                    var outRow = output.AsSpan(target * dimension, dimension);
                    var score = 1f / (1f + MathF.Exp(-Math.Clamp(TensorPrimitives.Dot(outRow, hidden), -30f, 30f)));
                    var alpha = rate * (label - score);
                    TensorPrimitives.MultiplyAdd(outRow, alpha, gradient, gradient);
                    TensorPrimitives.MultiplyAdd(hidden, alpha, outRow, outRow);
                }
            }
        }

        return new WordVectors(words, wordCounts, input, dimension, options.Buckets, options.MinN, options.MaxN);
    }

    /// <summary>fastText's table of negative samples: each word in proportion to the square root of its count,
    /// shuffled by a fixed generator.</summary>
    private static int[] NegativeTable(long[] counts)
    {
        var weights = counts.Select(c => Math.Sqrt(c)).ToArray();
        var sum = weights.Sum();
        var table = new List<int>(NegativeTableSize);
        for (var i = 0; i < counts.Length; i++)
        {
            var share = (int)Math.Ceiling(weights[i] * NegativeTableSize / sum);
            for (var k = 0; k < share; k++)
            {
                table.Add(i);
            }
        }

        var array = table.ToArray();
        var random = new SplitMix64(0x5EED);
        for (var i = array.Length - 1; i > 0; i--)
        {
            var j = (int)(random.Next() % (ulong)(i + 1));
            (array[i], array[j]) = (array[j], array[i]);
        }

        return array;
    }
}

/// <summary>SplitMix64: a tiny seeded generator whose sequence is fixed by its seed on every platform.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
}
