using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;

namespace Matching.Text;

/// <summary>Text vectors from word vectors (SIF, Arora et al. 2017): the mean of the text's content words weighted
/// a / (a + p(word)), the corpus's first principal component removed, scaled to unit length.</summary>
/// <remarks>Thread-safe and deterministic. <see cref="Train"/> learns the word vectors from the event's own texts;
/// <see cref="Fit"/> wraps vectors read elsewhere (a fastText <c>.vec</c> file) with word frequencies and the principal
/// component of the given texts. <see cref="Save"/>/<see cref="Load"/> keep an encoder beside an index.</remarks>
public sealed class WordVectorEncoder : ITextEncoder
{
    /// <summary>SIF's smoothing constant a.</summary>
    public const double SifWeight = 1e-3;

    private const string Magic = "MATCHING-WORDVECTORS 1";
    private const int MaxPrincipalTexts = 20_000;

    private readonly Dictionary<string, long> _frequencies;
    private readonly long _total;
    private readonly float[] _principal;

    private WordVectorEncoder(WordVectors vectors, Dictionary<string, long> frequencies, float[] principal)
    {
        Vectors = vectors;
        _frequencies = frequencies;
        _total = Math.Max(1, frequencies.Values.Sum());
        _principal = principal;
        Fingerprint = "wordvectors-" + Convert.ToHexString(SHA256.HashData(Serialize()))[..16].ToLowerInvariant();
    }

    /// <summary>The word vectors.</summary>
    public WordVectors Vectors { get; }

    /// <inheritdoc />
    public string Fingerprint { get; }

    /// <inheritdoc />
    public int Dimension => Vectors.Dimension;

    /// <summary>Trains word vectors on <paramref name="texts"/> and fits the encoder to them.</summary>
    /// <param name="texts">Every record's text, in a stable order.</param>
    /// <param name="options">Training settings; default <see cref="WordVectorTrainingOptions"/>.</param>
    public static WordVectorEncoder Train(IReadOnlyList<string> texts, WordVectorTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokens = texts.Select(VectorTokens.Of).ToList();
        var vectors = WordVectorTrainer.Train(tokens, options ?? new WordVectorTrainingOptions());
        return FitTokens(vectors, tokens);
    }

    /// <summary>An encoder over vectors learnt elsewhere: word frequencies and the principal component come from
    /// <paramref name="texts"/> (the event's records).</summary>
    public static WordVectorEncoder Fit(WordVectors vectors, IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(texts);
        return FitTokens(vectors, texts.Select(VectorTokens.Of).ToList());
    }

    private static WordVectorEncoder FitTokens(WordVectors vectors, List<List<string>> tokens)
    {
        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var word in tokens.SelectMany(t => t))
        {
            frequencies[word] = frequencies.GetValueOrDefault(word) + 1;
        }

        var withoutComponent = new WordVectorEncoder(vectors, frequencies, new float[vectors.Dimension]);
        var sample = tokens.Where(t => t.Count > 0).Take(MaxPrincipalTexts).Select(t => withoutComponent.Mean(t)).Where(v => v is not null).ToList();
        return new WordVectorEncoder(vectors, frequencies, FirstComponent(sample!, vectors.Dimension));
    }

    /// <inheritdoc />
    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            result[i] = EncodeOne(texts[i] ?? "");
        }

        return result;
    }

    private float[] EncodeOne(string text)
    {
        var mean = Mean(VectorTokens.Of(text));
        if (mean is null)
        {
            return new float[Dimension];
        }

        var projection = TensorPrimitives.Dot(mean, _principal);
        TensorPrimitives.MultiplyAdd(_principal, -projection, mean, mean);
        var norm = TensorPrimitives.Norm(mean);
        if (norm <= 0 || !float.IsFinite(norm))
        {
            return new float[Dimension];
        }

        TensorPrimitives.Multiply(mean, 1f / norm, mean);
        return mean;
    }

    /// <summary>The SIF-weighted mean of the words' vectors, or null when no word has one.</summary>
    private float[]? Mean(List<string> words)
    {
        var sum = new float[Dimension];
        var word = new float[Dimension];
        var weightSum = 0.0;
        foreach (var w in words)
        {
            if (!Vectors.AddVector(w, word))
            {
                continue;
            }

            var weight = (float)(SifWeight / (SifWeight + ((double)_frequencies.GetValueOrDefault(w) / _total)));
            TensorPrimitives.MultiplyAdd(word, weight, sum, sum);
            weightSum += weight;
        }

        if (weightSum <= 0)
        {
            return null;
        }

        TensorPrimitives.Multiply(sum, (float)(1 / weightSum), sum);
        return sum;
    }

    /// <summary>The first principal component (uncentred, as SIF does) by power iteration from a fixed start.</summary>
    private static float[] FirstComponent(List<float[]> vectors, int dimension)
    {
        var u = new float[dimension];
        if (vectors.Count < 2)
        {
            return u;
        }

        Array.Fill(u, 1f / MathF.Sqrt(dimension));
        var next = new float[dimension];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            Array.Clear(next);
            foreach (var v in vectors)
            {
                TensorPrimitives.MultiplyAdd(v, TensorPrimitives.Dot(v, u), next, next);
            }

            var norm = TensorPrimitives.Norm(next);
            if (norm <= 0)
            {
                return new float[dimension];
            }

            TensorPrimitives.Multiply(next, 1f / norm, next);
            (u, next) = (next, u);
        }

        return u;
    }

    /// <summary>Writes the encoder (vectors, word frequencies, principal component) atomically, with a checksum.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Serialize();
        var hash = SHA256.HashData(bytes);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        System.IO.Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            stream.Write(bytes);
            stream.Write(hash);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads an encoder written by <see cref="Save"/>.</summary>
    /// <exception cref="IndexMismatchException">The file is damaged or not a word vector file.</exception>
    public static WordVectorEncoder Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var all = File.ReadAllBytes(path);
        if (all.Length < 32 || !SHA256.HashData(all.AsSpan(0, all.Length - 32)).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
        {
            throw new IndexMismatchException($"{path}: the word vectors are damaged (checksum mismatch); rebuild the index (matching index --rebuild).");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(all, 0, all.Length - 32), Encoding.UTF8);
            if (reader.ReadString() != Magic)
            {
                throw new IndexMismatchException($"{path}: not a Matching word vector file ({Magic}).");
            }

            var dimension = reader.ReadInt32();
            var buckets = reader.ReadInt32();
            var minN = reader.ReadInt32();
            var maxN = reader.ReadInt32();
            var count = reader.ReadInt32();
            var words = new string[count];
            var counts = new long[count];
            for (var i = 0; i < count; i++)
            {
                words[i] = reader.ReadString();
                counts[i] = reader.ReadInt64();
            }

            var rows = ReadFloats(reader, checked((count + buckets) * dimension));
            var frequencyCount = reader.ReadInt32();
            var frequencies = new Dictionary<string, long>(frequencyCount, StringComparer.Ordinal);
            for (var i = 0; i < frequencyCount; i++)
            {
                var word = reader.ReadString();
                frequencies[word] = reader.ReadInt64();
            }

            var principal = ReadFloats(reader, dimension);
            return new WordVectorEncoder(new WordVectors(words, counts, rows, dimension, buckets, minN, maxN), frequencies, principal);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OverflowException or ArgumentException)
        {
            throw new IndexMismatchException($"{path}: unreadable word vector file ({e.Message}); rebuild the index.", e);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[count];
        var bytes = reader.ReadBytes(count * sizeof(float));
        if (bytes.Length != count * sizeof(float))
        {
            throw new EndOfStreamException("truncated vectors");
        }

        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    private byte[] Serialize()
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Vectors.Dimension);
            writer.Write(Vectors.Buckets);
            writer.Write(Vectors.MinN);
            writer.Write(Vectors.MaxN);
            writer.Write(Vectors.Count);
            for (var i = 0; i < Vectors.Count; i++)
            {
                writer.Write(Vectors.Words[i]);
                writer.Write(Vectors.Counts[i]);
            }

            var rows = new byte[Vectors.Rows.Length * sizeof(float)];
            Buffer.BlockCopy(Vectors.Rows, 0, rows, 0, rows.Length);
            writer.Write(rows);
            writer.Write(_frequencies.Count);
            foreach (var (word, frequency) in _frequencies.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.Write(word);
                writer.Write(frequency);
            }

            var principal = new byte[_principal.Length * sizeof(float)];
            Buffer.BlockCopy(_principal, 0, principal, 0, principal.Length);
            writer.Write(principal);
        }

        return memory.ToArray();
    }
}
