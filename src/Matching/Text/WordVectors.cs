using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace Matching.Text;

/// <summary>How <see cref="WordVectors.Train"/> trains skip-gram word vectors with character n-grams (fastText style).</summary>
/// <remarks>The defaults keep training cheap on an event's texts: about 4 CPU-seconds per million training tokens
/// (see benchmarks/README.md), at most <see cref="MaxTrainingTokens"/> tokens in all epochs together.</remarks>
public sealed class WordVectorTrainingOptions
{
    /// <summary>Vector length. Default 64.</summary>
    public int Dimension { get; init; } = 64;

    /// <summary>Passes over the texts. Default 5; more on a small event (enough passes for
    /// <see cref="MinTrainingTokens"/>, at most 100), fewer when <see cref="MaxTrainingTokens"/> would be exceeded.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>A small event's texts are passed over until this many tokens are trained (at most 100 passes). Default 1,000,000.</summary>
    public long MinTrainingTokens { get; init; } = 1_000_000;

    /// <summary>Largest distance between a word and a context word (each position draws its window in 1..this). Default 5.</summary>
    public int Window { get; init; } = 5;

    /// <summary>Negative samples per context word. Default 5.</summary>
    public int Negatives { get; init; } = 5;

    /// <summary>Words seen fewer times get no vector of their own (their character n-grams still give them one). Default 2.</summary>
    public int MinCount { get; init; } = 2;

    /// <summary>Shortest character n-gram. Default 1 (a Chinese character carries meaning).</summary>
    public int MinN { get; init; } = 1;

    /// <summary>Longest character n-gram. Default 3.</summary>
    public int MaxN { get; init; } = 3;

    /// <summary>Hash buckets shared by the character n-grams. Default 65,536.</summary>
    public int Buckets { get; init; } = 65_536;

    /// <summary>Starting learning rate, decaying linearly to 0. Default 0.05.</summary>
    public float LearningRate { get; init; } = 0.05f;

    /// <summary>Frequent words are dropped at random with fastText's rule (threshold t). Default 1e-3 (word2vec's; an
    /// event's corpus is small).</summary>
    public double SubsampleThreshold { get; init; } = 1e-3;

    /// <summary>The most tokens trained on, all epochs together: beyond it epochs are cut (to one at least) and then only
    /// the first texts are used. Default 3,000,000 (about 12 CPU-seconds; see benchmarks/README.md).</summary>
    public long MaxTrainingTokens { get; init; } = 3_000_000;

    /// <summary>Seed of every random draw: the same texts, options and seed give identical vectors.</summary>
    public int Seed { get; init; } = 1;

    internal void Validate()
    {
        if (Dimension < 2 || Epochs < 1 || Window < 1 || Negatives < 1 || MinCount < 1 || MinN < 1 || MaxN < MinN || Buckets < 1
            || LearningRate <= 0 || SubsampleThreshold <= 0 || MaxTrainingTokens < 1 || MinTrainingTokens < 0)
        {
            throw new ArgumentException("Invalid word vector options: Dimension ≥ 2, Epochs, Window, Negatives, MinCount, MinN, Buckets ≥ 1, MaxN ≥ MinN, positive learning rate, subsample threshold and token cap.");
        }
    }
}

/// <summary>Word vectors: trained here (skip-gram with negative sampling and hashed character n-grams, so a word never
/// seen still gets a vector from its characters), or read from a fastText <c>.vec</c> text file.</summary>
/// <remarks>Immutable and thread-safe once built.</remarks>
public sealed class WordVectors
{
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _words;
    private readonly long[] _counts;
    private readonly float[] _rows; // (words + buckets) × dimension: a word's own row, then the n-gram buckets
    private readonly int _buckets;
    private readonly int _minN;
    private readonly int _maxN;

    internal WordVectors(string[] words, long[] counts, float[] rows, int dimension, int buckets, int minN, int maxN)
    {
        _words = words;
        _counts = counts;
        _rows = rows;
        Dimension = dimension;
        _buckets = buckets;
        _minN = minN;
        _maxN = maxN;
        _ids = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (var i = 0; i < words.Length; i++)
        {
            _ids.TryAdd(words[i], i);
        }

        TotalCount = counts.Sum();
    }

    /// <summary>Vector length.</summary>
    public int Dimension { get; }

    /// <summary>Words with a vector of their own.</summary>
    public int Count => _words.Length;

    /// <summary>Whether unseen words get vectors from character n-grams (trained vectors); a <c>.vec</c> file has none,
    /// and an unseen word gets the mean of its known characters instead.</summary>
    public bool HasSubwords => _buckets > 0;

    /// <summary>Occurrences of all words in the training texts (0 for a <c>.vec</c> file).</summary>
    internal long TotalCount { get; }

    internal IReadOnlyList<string> Words => _words;

    internal long[] Counts => _counts;

    internal float[] Rows => _rows;

    internal int Buckets => _buckets;

    internal int MinN => _minN;

    internal int MaxN => _maxN;

    /// <summary>Whether <paramref name="word"/> has a vector of its own.</summary>
    public bool Contains(string word) => _ids.ContainsKey(word);

    /// <summary>Training occurrences of a word (0 when unknown or read from a <c>.vec</c> file).</summary>
    public long CountOf(string word) => _ids.TryGetValue(word, out var id) ? _counts[id] : 0;

    /// <summary>The vector of a word (not normalised): its own row and its character n-grams averaged; an unseen word
    /// gets its n-grams only (or, without subwords, the mean of its known characters). Null when nothing is known.</summary>
    public float[]? Vector(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var vector = new float[Dimension];
        return AddVector(word, vector) ? vector : null;
    }

    /// <summary>Writes the vector of <paramref name="word"/> into <paramref name="into"/>; false when nothing is known.</summary>
    internal bool AddVector(string word, Span<float> into)
    {
        into.Clear();
        var n = 0;
        var known = _ids.TryGetValue(word, out var id);
        if (known)
        {
            TensorPrimitives.Add(into, Row(id), into);
            n++;
        }

        if (_buckets > 0)
        {
            foreach (var bucket in NGramBuckets(word, _minN, _maxN, _buckets))
            {
                TensorPrimitives.Add(into, Row(_words.Length + bucket), into);
                n++;
            }
        }
        else if (!known && word.Length > 1)
        {
            foreach (var c in word)
            {
                if (_ids.TryGetValue(c.ToString(), out var charId))
                {
                    TensorPrimitives.Add(into, Row(charId), into);
                    n++;
                }
            }
        }

        if (n == 0)
        {
            return false;
        }

        TensorPrimitives.Multiply(into, 1f / n, into);
        return true;
    }

    internal ReadOnlySpan<float> Row(int row) => _rows.AsSpan(row * Dimension, Dimension);

    /// <summary>The hash buckets of a word's character n-grams of <c>&lt;word&gt;</c> (fastText's boundary marks; the
    /// marks alone and the whole marked word are not n-grams).</summary>
    internal static List<int> NGramBuckets(string word, int minN, int maxN, int buckets)
    {
        var result = new List<int>();
        var marked = "<" + word + ">";
        for (var start = 0; start < marked.Length; start++)
        {
            for (var n = minN; n <= maxN && start + n <= marked.Length; n++)
            {
                if ((n == 1 && (start == 0 || start == marked.Length - 1)) || (start == 0 && n == marked.Length))
                {
                    continue;
                }

                result.Add((int)(Fnv1a(marked.AsSpan(start, n)) % (uint)buckets));
            }
        }

        return result;
    }

    private static uint Fnv1a(ReadOnlySpan<char> text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (byte)(c >> 8)) * 16777619u;
        }

        return hash;
    }

    /// <summary>Trains vectors on texts (each one record's text; segmented as the vector route segments).</summary>
    /// <param name="texts">The texts, in a stable order (the order is part of what makes training deterministic).</param>
    /// <param name="options">Training settings; default <see cref="WordVectorTrainingOptions"/>.</param>
    public static WordVectors Train(IEnumerable<string> texts, WordVectorTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return WordVectorTrainer.Train([.. texts.Select(VectorTokens.Of)], options ?? new WordVectorTrainingOptions());
    }

    /// <summary>Reads a fastText <c>.vec</c> text file (first line <c>count dimension</c>, then <c>word v1 … vd</c>
    /// per line), keeping the first <paramref name="maxWords"/> words (fastText writes the most frequent first).
    /// Words are normalised as text is, so Traditional-script entries merge with Simplified ones (the first kept).</summary>
    /// <exception cref="InputFormatException">The file is malformed (line and field named).</exception>
    public static WordVectors ReadVec(string path, int maxWords = 200_000)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWords, 1);
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, "word vector file not found");
        }

        using var reader = new StreamReader(path, Encoding.UTF8);
        var header = reader.ReadLine() ?? throw new InputFormatException(path, 1, "header", "empty file, expected 'count dimension'");
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var declared)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var dimension) || dimension is < 1 or > 4096)
        {
            throw new InputFormatException(path, 1, "header", "must be 'count dimension' (dimension 1–4096)", header);
        }

        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<float>();
        var lineNumber = 1;
        while (words.Count < Math.Min(maxWords, declared) && reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.TrimEnd().Split(' ');
            if (fields.Length != dimension + 1)
            {
                throw new InputFormatException(path, lineNumber, "vector", $"expected a word and {dimension} numbers, got {fields.Length - 1} numbers");
            }

            var word = TextNormalizer.Default.Normalize(fields[0]);
            var values = new float[dimension];
            for (var i = 0; i < dimension; i++)
            {
                if (!float.TryParse(fields[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
                {
                    throw new InputFormatException(path, lineNumber, $"value {i + 1}", "not a finite number", fields[i + 1]);
                }
            }

            if (word.Length == 0 || !seen.Add(word))
            {
                continue;
            }

            words.Add(word);
            rows.AddRange(values);
        }

        return new WordVectors([.. words], new long[words.Count], [.. rows], dimension, buckets: 0, minN: 0, maxN: 0);
    }
}
