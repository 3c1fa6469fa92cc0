using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Matching.Text;

/// <summary>An organisation's own sentence encoder: a BERT-style ONNX model (bge-small-zh, text2vec …) and its
/// WordPiece vocabulary, run with ONNX Runtime on the CPU. Nothing is downloaded: the directory holds everything.</summary>
/// <remarks>
/// <para>The directory holds <c>model.onnx</c> (or <c>onnx/model.onnx</c>) and <c>vocab.txt</c>, and optionally
/// <c>tokenizer_config.json</c> (<c>do_lower_case</c>, <c>strip_accents</c>, <c>tokenize_chinese_chars</c>,
/// <c>model_max_length</c>, special tokens), <c>1_Pooling/config.json</c> (sentence-transformers' pooling) and
/// <c>matching-encoder.json</c>, whose fields (all optional) override them: <c>pooling</c> (<c>"cls"</c> or
/// <c>"mean"</c>; default mean), <c>max_length</c> (tokens with <c>[CLS]</c> and <c>[SEP]</c>; default 512),
/// <c>normalize</c> (L2-normalise; default true), <c>traditional_to_simplified</c> (default true),
/// <c>input_ids</c>, <c>attention_mask</c>, <c>token_type_ids</c>, <c>output</c> (the model's tensor names),
/// <c>dimension</c> (checked against the model), <c>batch_size</c> (default 32) and <c>intra_op_threads</c>
/// (default 1).</para>
/// <para>Texts are converted Traditional → Simplified (OpenCC, as the analyzers do), tokenised as BERT does (Chinese
/// characters one token each), truncated to <c>max_length</c>, batched with padding to the batch's longest and
/// masked; the output <c>[batch, seq, dim]</c> is pooled with the attention mask, or an output <c>[batch, dim]</c> is
/// taken as it is. One <see cref="InferenceSession"/> serves every call: <see cref="Encode"/> is thread-safe.</para>
/// </remarks>
public sealed class OnnxTextEncoder : ITextEncoder, IDisposable
{
    /// <summary>The model's file name in the encoder directory.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The WordPiece vocabulary's file name in the encoder directory (one token a line; the line number,
    /// from 0, is the token's id).</summary>
    public const string VocabularyFileName = "vocab.txt";

    /// <summary>Matching's own optional settings file in the encoder directory.</summary>
    public const string SettingsFileName = EncoderSettings.FileName;

    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly EncoderSettings _settings;
    private readonly string _modelPath;
    private readonly string _outputName;
    private readonly bool _feedMask;
    private readonly bool _feedTypes;
    private readonly bool _int32Inputs;
    private int _disposed;

    private OnnxTextEncoder(InferenceSession session, BertTokenizer tokenizer, EncoderSettings settings, string modelPath,
        string outputName, bool feedMask, bool feedTypes, bool int32Inputs, EncoderPooling pooling)
    {
        _session = session;
        _tokenizer = tokenizer;
        _settings = settings;
        _modelPath = modelPath;
        _outputName = outputName;
        _feedMask = feedMask;
        _feedTypes = feedTypes;
        _int32Inputs = int32Inputs;
        Pooling = pooling;
        Fingerprint = "";
    }

    /// <inheritdoc/>
    /// <remarks><c>onnx/</c> and 16 hex digits of a SHA-256 over the model, the vocabulary, the settings files and the
    /// settings in effect.</remarks>
    public string Fingerprint { get; private set; }

    /// <inheritdoc/>
    public int Dimension { get; private set; }

    /// <summary>How token vectors become one vector per text.</summary>
    public EncoderPooling Pooling { get; }

    /// <summary>The most tokens a text is given, <c>[CLS]</c> and <c>[SEP]</c> included; the rest is cut.</summary>
    public int MaxLength => _settings.MaxLength;

    /// <summary>The model's output that is read.</summary>
    public string OutputName => _outputName;

    /// <summary>Loads the encoder in <paramref name="directory"/>, with the intra-op thread count of its settings
    /// (default 1, which keeps every run's floats identical).</summary>
    /// <param name="directory">The encoder directory (see the remarks on <see cref="OnnxTextEncoder"/>).</param>
    /// <returns>The encoder; dispose it to free the ONNX Runtime session.</returns>
    /// <exception cref="EncoderFormatException">A file is missing or does not fit; the message names it.</exception>
    public static OnnxTextEncoder Load(string directory) => Load(directory, intraOpThreads: null);

    /// <summary>Loads the encoder in <paramref name="directory"/> with ONNX Runtime using
    /// <paramref name="intraOpThreads"/> threads inside each operator (null: the settings' value, default 1).</summary>
    /// <param name="directory">The encoder directory (see the remarks on <see cref="OnnxTextEncoder"/>).</param>
    /// <param name="intraOpThreads">Threads per operator; more than 1 is faster on large models but may change the
    /// last bits of the floats between runs.</param>
    /// <returns>The encoder; dispose it to free the ONNX Runtime session.</returns>
    /// <exception cref="EncoderFormatException">A file is missing or does not fit; the message names it.</exception>
    public static OnnxTextEncoder Load(string directory, int? intraOpThreads)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads ?? 1, 1, nameof(intraOpThreads));
        if (!Directory.Exists(directory))
        {
            throw new EncoderFormatException(directory, "encoder directory not found");
        }

        var modelPath = Path.Combine(directory, ModelFileName);
        if (!File.Exists(modelPath) && File.Exists(Path.Combine(directory, "onnx", ModelFileName)))
        {
            modelPath = Path.Combine(directory, "onnx", ModelFileName);
        }

        if (!File.Exists(modelPath))
        {
            throw new EncoderFormatException(modelPath, "file not found (an encoder directory holds model.onnx and vocab.txt)");
        }

        var vocabPath = Path.Combine(directory, VocabularyFileName);
        if (!File.Exists(vocabPath))
        {
            throw new EncoderFormatException(vocabPath, "file not found (an encoder directory holds model.onnx and vocab.txt)");
        }

        var settings = EncoderSettings.Read(directory);
        var tokenizer = CreateTokenizer(vocabPath, settings);
        var session = CreateSession(modelPath, intraOpThreads ?? settings.IntraOpThreads);
        try
        {
            return Bind(session, tokenizer, settings, modelPath, vocabPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static BertTokenizer CreateTokenizer(string vocabPath, EncoderSettings settings)
    {
        HashSet<string> vocabulary;
        try
        {
            vocabulary = [.. File.ReadLines(vocabPath)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EncoderFormatException(vocabPath, $"cannot be read: {e.Message}", inner: e);
        }

        foreach (var (role, token) in new[]
                 {
                     ("cls_token", settings.ClsToken), ("sep_token", settings.SepToken), ("pad_token", settings.PadToken),
                     ("unk_token", settings.UnkToken), ("mask_token", settings.MaskToken),
                 })
        {
            if (!vocabulary.Contains(token))
            {
                throw new EncoderFormatException(vocabPath, $"the special token {token} ({role}) is not in the vocabulary");
            }
        }

        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = settings.LowerCase,
            RemoveNonSpacingMarks = settings.StripAccents ?? settings.LowerCase,
            IndividuallyTokenizeCjk = settings.TokenizeChineseChars,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
            ClassificationToken = settings.ClsToken,
            SeparatorToken = settings.SepToken,
            PaddingToken = settings.PadToken,
            UnknownToken = settings.UnkToken,
            MaskingToken = settings.MaskToken,
        };
        try
        {
            return BertTokenizer.Create(vocabPath, options);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or IOException or InvalidOperationException)
        {
            throw new EncoderFormatException(vocabPath, $"not a WordPiece vocabulary: {e.Message}", inner: e);
        }
    }

    private static InferenceSession CreateSession(string modelPath, int intraOpThreads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new EncoderFormatException(modelPath, $"ONNX Runtime cannot load the model: {e.Message}", inner: e);
        }
        finally
        {
            options.Dispose();
        }
    }

    /// <summary>Checks the model's inputs and output against the settings, runs it once to learn the vector length,
    /// and computes the fingerprint.</summary>
    private static OnnxTextEncoder Bind(InferenceSession session, BertTokenizer tokenizer, EncoderSettings settings, string modelPath, string vocabPath)
    {
        var inputs = session.InputMetadata;
        var known = new[] { settings.InputIdsName, settings.AttentionMaskName, settings.TokenTypeIdsName };
        foreach (var (name, metadata) in inputs)
        {
            if (!known.Contains(name))
            {
                throw new EncoderFormatException(modelPath,
                    $"input '{name}' is not one the encoder can feed ({EncoderSettings.List(known)}; name the model's inputs in {SettingsFileName})");
            }

            if (!metadata.IsTensor || metadata.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
            {
                throw new EncoderFormatException(modelPath, $"input '{name}' is {metadata.ElementDataType}, not an int64 or int32 tensor");
            }
        }

        if (!inputs.ContainsKey(settings.InputIdsName))
        {
            throw new EncoderFormatException(modelPath, $"no input '{settings.InputIdsName}' (the model has: {EncoderSettings.List(inputs.Keys)})");
        }

        foreach (var (named, name) in new[] { (settings.AttentionMaskNamed, settings.AttentionMaskName), (settings.TokenTypeIdsNamed, settings.TokenTypeIdsName) })
        {
            if (named && !inputs.ContainsKey(name))
            {
                throw new EncoderFormatException(modelPath, $"no input '{name}' as {settings.SettingsPath} names (the model has: {EncoderSettings.List(inputs.Keys)})");
            }
        }

        var int32 = inputs[settings.InputIdsName].ElementDataType == TensorElementType.Int32;
        if (inputs.Values.Any(m => (m.ElementDataType == TensorElementType.Int32) != int32))
        {
            throw new EncoderFormatException(modelPath, "the inputs mix int32 and int64 tensors");
        }

        var outputs = session.OutputMetadata;
        var outputName = settings.OutputName
            ?? (outputs.ContainsKey("last_hidden_state") ? "last_hidden_state"
                : outputs.ContainsKey("sentence_embedding") ? "sentence_embedding"
                : outputs.Count == 1 ? outputs.Keys.Single()
                : throw new EncoderFormatException(modelPath,
                    $"no output 'last_hidden_state' or 'sentence_embedding' (the model has: {EncoderSettings.List(outputs.Keys)}; name one as \"output\" in {SettingsFileName})"));
        if (!outputs.TryGetValue(outputName, out var output))
        {
            throw new EncoderFormatException(modelPath, $"no output '{outputName}' (the model has: {EncoderSettings.List(outputs.Keys)})");
        }

        if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length is not (2 or 3))
        {
            throw new EncoderFormatException(modelPath,
                $"output '{outputName}' is a {output.ElementDataType} tensor of rank {output.Dimensions.Length}: expected float [batch, sequence, dim] or [batch, dim]");
        }

        EncoderPooling pooling;
        if (output.Dimensions.Length == 2)
        {
            if (settings.PoolingSource == SettingsFileName)
            {
                throw new EncoderFormatException(settings.SettingsPath,
                    $"pooling is set, but the model's output '{outputName}' is already one vector per text [batch, dim]", field: "pooling");
            }

            pooling = EncoderPooling.Model;
        }
        else
        {
            pooling = settings.Pooling ?? EncoderPooling.Mean;
        }

        var encoder = new OnnxTextEncoder(session, tokenizer, settings, modelPath, outputName,
            inputs.ContainsKey(settings.AttentionMaskName), inputs.ContainsKey(settings.TokenTypeIdsName), int32, pooling);

        // One run on [CLS] [SEP] shows the model runs on what we feed it, and gives the vector length.
        var declared = output.Dimensions[^1];
        encoder.Dimension = declared > 0 ? declared : 0;
        var probe = encoder.Run([[tokenizer.ClassificationTokenId, tokenizer.SeparatorTokenId]]);
        var dimension = probe[0].Length;
        if (declared > 0 && dimension != declared)
        {
            throw new EncoderFormatException(modelPath, $"output '{outputName}' declares dimension {declared} but gives {dimension}");
        }

        if (settings.Dimension is { } expected && expected != dimension)
        {
            throw new EncoderFormatException(settings.SettingsPath,
                $"dimension {expected} does not match the model's output '{outputName}' ({dimension})", field: "dimension");
        }

        encoder.Dimension = dimension;
        encoder.Fingerprint = ComputeFingerprint(modelPath, vocabPath, settings, pooling, outputName);
        return encoder;
    }

    private static string ComputeFingerprint(string modelPath, string vocabPath, EncoderSettings settings, EncoderPooling pooling, string outputName)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = new List<string> { modelPath, modelPath + "_data", vocabPath };
        files.AddRange(settings.Files);
        foreach (var file in files.Where(File.Exists))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}:{new FileInfo(file).Length}:"));
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer.AsSpan(0, read));
            }
        }

        var identity = settings.Identity(pooling, outputName) +
            (settings.TraditionalToSimplified ? $";opencc-{ChineseConverter.Default.Fingerprint}" : "");
        hash.AppendData(Encoding.UTF8.GetBytes(identity));
        return "onnx/" + Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>The token ids the model is given for <paramref name="text"/>: <c>[CLS]</c>, the text's WordPiece
    /// tokens (after Traditional → Simplified when the settings ask for it), <c>[SEP]</c>, cut to
    /// <see cref="MaxLength"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ids, at least <c>[CLS] [SEP]</c>.</returns>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_settings.TraditionalToSimplified)
        {
            text = ChineseConverter.Default.Convert(text);
        }

        return _tokenizer.EncodeToIds(text, _settings.MaxLength, addSpecialTokens: true, out _, out _);
    }

    /// <inheritdoc/>
    /// <remarks>Texts are batched <c>batch_size</c> at a time in order of token count (so little padding is run);
    /// a text whose tokens are all unknown (or that has none) gets the zero vector without a run.</remarks>
    public IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var vectors = new float[texts.Count][];
        var tokenized = new IReadOnlyList<int>[texts.Count];
        var toRun = new List<int>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            tokenized[i] = Tokenize(texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts)));
            if (tokenized[i].Skip(1).SkipLast(1).Any(id => id != _tokenizer.UnknownTokenId))
            {
                toRun.Add(i);
            }
            else
            {
                vectors[i] = new float[Dimension];
            }
        }

        toRun.Sort((a, b) => tokenized[a].Count != tokenized[b].Count ? tokenized[a].Count.CompareTo(tokenized[b].Count) : a.CompareTo(b));
        for (var start = 0; start < toRun.Count; start += _settings.BatchSize)
        {
            var batch = toRun.GetRange(start, Math.Min(_settings.BatchSize, toRun.Count - start));
            var results = Run(batch.Select(i => tokenized[i]).ToList());
            for (var j = 0; j < batch.Count; j++)
            {
                vectors[batch[j]] = results[j];
            }
        }

        return vectors;
    }

    /// <summary>Runs the model on one batch of token id sequences, padded to the longest, and pools and normalises
    /// each row.</summary>
    private float[][] Run(IReadOnlyList<IReadOnlyList<int>> batch)
    {
        var rows = batch.Count;
        var length = batch.Max(ids => ids.Count);
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        if (_tokenizer.PaddingTokenId != 0)
        {
            Array.Fill(ids, _tokenizer.PaddingTokenId);
        }

        for (var r = 0; r < rows; r++)
        {
            for (var t = 0; t < batch[r].Count; t++)
            {
                ids[(r * length) + t] = batch[r][t];
                mask[(r * length) + t] = 1;
            }
        }

        long[] shape = [rows, length];
        var names = new List<string> { _settings.InputIdsName };
        var values = new List<OrtValue> { Tensor(ids, shape) };
        try
        {
            if (_feedMask)
            {
                names.Add(_settings.AttentionMaskName);
                values.Add(Tensor(mask, shape));
            }

            if (_feedTypes)
            {
                names.Add(_settings.TokenTypeIdsName);
                values.Add(Tensor(new long[rows * length], shape));
            }

            using var runOptions = new RunOptions();
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(runOptions, names, values, [_outputName]);
            }
            catch (OnnxRuntimeException e)
            {
                throw new EncoderFormatException(_modelPath, $"the model failed on a batch of {rows} × {length} tokens (if the model takes fewer tokens, set max_length in {SettingsFileName}): {e.Message}", inner: e);
            }

            using (outputs)
            {
                return Pool(outputs[0], mask, rows, length);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private OrtValue Tensor(long[] data, long[] shape) =>
        _int32Inputs
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)v), shape)
            : OrtValue.CreateTensorValueFromMemory(data, shape);

    private float[][] Pool(OrtValue output, long[] mask, int rows, int length)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var values = output.GetTensorDataAsSpan<float>();
        var expectedRank = Pooling == EncoderPooling.Model ? 2 : 3;
        var dimension = shape.Length == expectedRank ? (int)shape[^1] : -1;
        if (shape[0] != rows || dimension <= 0 || (Dimension > 0 && dimension != Dimension) || (expectedRank == 3 && shape[1] != length))
        {
            throw new EncoderFormatException(_modelPath,
                $"output '{_outputName}' has shape [{string.Join(", ", shape)}] for a batch of {rows} × {length} tokens" +
                (Dimension > 0 ? $" (dimension {Dimension} expected)" : ""));
        }

        var result = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var sum = new double[dimension];
            switch (Pooling)
            {
                case EncoderPooling.Model:
                    Accumulate(sum, values.Slice(r * dimension, dimension));
                    break;
                case EncoderPooling.Cls:
                    Accumulate(sum, values.Slice(r * length * dimension, dimension));
                    break;
                default:
                    var count = 0;
                    for (var t = 0; t < length; t++)
                    {
                        if (mask[(r * length) + t] != 0)
                        {
                            Accumulate(sum, values.Slice(((r * length) + t) * dimension, dimension));
                            count++;
                        }
                    }

                    for (var d = 0; d < dimension; d++)
                    {
                        sum[d] /= count;
                    }

                    break;
            }

            result[r] = Finish(sum);
        }

        return result;
    }

    private static void Accumulate(double[] sum, ReadOnlySpan<float> vector)
    {
        for (var d = 0; d < sum.Length; d++)
        {
            sum[d] += vector[d];
        }
    }

    private float[] Finish(double[] sum)
    {
        var scale = 1.0;
        if (_settings.Normalize)
        {
            var norm = Math.Sqrt(sum.Sum(v => v * v));
            scale = norm > 0 && double.IsFinite(norm) ? 1 / norm : 0;
        }

        var vector = new float[sum.Length];
        for (var d = 0; d < sum.Length; d++)
        {
            vector[d] = (float)(sum[d] * scale);
        }

        return vector;
    }

    /// <summary>Frees the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }
}
