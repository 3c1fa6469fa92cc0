using System.Text;
using System.Text.Json;

namespace Matching.Text;

/// <summary>What an encoder directory says about its model beyond the weights: <c>matching-encoder.json</c> (ours),
/// <c>tokenizer_config.json</c> (Hugging Face's) and <c>1_Pooling/config.json</c> (sentence-transformers'), each
/// optional, with the defaults documented in the README.</summary>
internal sealed class EncoderSettings
{
    public const string FileName = "matching-encoder.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";
    public static readonly string PoolingConfigFileName = Path.Combine("1_Pooling", "config.json");

    /// <summary>Default <see cref="MaxLength"/> when no file sets one: BERT's position limit.</summary>
    public const int DefaultMaxLength = 512;

    public const int DefaultBatchSize = 32;

    // matching-encoder.json
    public EncoderPooling? Pooling { get; private set; }
    public string PoolingSource { get; private set; } = "default";
    public int MaxLength { get; private set; } = DefaultMaxLength;
    public bool Normalize { get; private set; } = true;
    public bool TraditionalToSimplified { get; private set; } = true;
    public string InputIdsName { get; private set; } = "input_ids";
    public string AttentionMaskName { get; private set; } = "attention_mask";
    public bool AttentionMaskNamed { get; private set; }
    public string TokenTypeIdsName { get; private set; } = "token_type_ids";
    public bool TokenTypeIdsNamed { get; private set; }
    public string? OutputName { get; private set; }
    public int? Dimension { get; private set; }
    public int BatchSize { get; private set; } = DefaultBatchSize;
    public int IntraOpThreads { get; private set; } = 1;

    // tokenizer_config.json
    public bool LowerCase { get; private set; } = true;
    public bool? StripAccents { get; private set; }
    public bool TokenizeChineseChars { get; private set; } = true;
    public string ClsToken { get; private set; } = "[CLS]";
    public string SepToken { get; private set; } = "[SEP]";
    public string PadToken { get; private set; } = "[PAD]";
    public string UnkToken { get; private set; } = "[UNK]";
    public string MaskToken { get; private set; } = "[MASK]";

    /// <summary>The files read, for the fingerprint (absent ones are not listed).</summary>
    public List<string> Files { get; } = [];

    /// <summary>The path of <c>matching-encoder.json</c> in the directory (whether or not it exists).</summary>
    public string SettingsPath { get; private set; } = FileName;

    public static EncoderSettings Read(string directory)
    {
        var settings = new EncoderSettings { SettingsPath = Path.Combine(directory, FileName) };
        var tokenizerConfig = Path.Combine(directory, TokenizerConfigFileName);
        if (File.Exists(tokenizerConfig))
        {
            settings.ReadTokenizerConfig(tokenizerConfig);
        }

        var poolingConfig = Path.Combine(directory, PoolingConfigFileName);
        if (File.Exists(poolingConfig))
        {
            settings.ReadPoolingConfig(poolingConfig);
        }

        if (File.Exists(settings.SettingsPath))
        {
            settings.ReadOwn(settings.SettingsPath);
        }

        return settings;
    }

    /// <summary>Everything that changes the vectors, for the fingerprint.</summary>
    public string Identity(EncoderPooling pooling, string output) =>
        $"pool={pooling};max={MaxLength};norm={Normalize};t2s={TraditionalToSimplified};lower={LowerCase};strip={StripAccents};" +
        $"cjk={TokenizeChineseChars};out={output};tokens={ClsToken},{SepToken},{PadToken},{UnkToken},{MaskToken}";

    private void ReadOwn(string path)
    {
        Files.Add(path);
        foreach (var (name, value, line) in Properties(path))
        {
            switch (name)
            {
                case "pooling":
                    var text = String(path, name, value, line);
                    Pooling = text switch
                    {
                        "cls" => EncoderPooling.Cls,
                        "mean" => EncoderPooling.Mean,
                        _ => throw new EncoderFormatException(path, "expected \"cls\" or \"mean\"", line, name, text),
                    };
                    PoolingSource = FileName;
                    break;
                case "max_length":
                    MaxLength = Int(path, name, value, line, min: 3, max: 1_000_000);
                    break;
                case "normalize" or "normalise":
                    Normalize = Bool(path, name, value, line);
                    break;
                case "traditional_to_simplified":
                    TraditionalToSimplified = Bool(path, name, value, line);
                    break;
                case "input_ids":
                    InputIdsName = String(path, name, value, line);
                    break;
                case "attention_mask":
                    AttentionMaskName = String(path, name, value, line);
                    AttentionMaskNamed = true;
                    break;
                case "token_type_ids":
                    TokenTypeIdsName = String(path, name, value, line);
                    TokenTypeIdsNamed = true;
                    break;
                case "output":
                    OutputName = String(path, name, value, line);
                    break;
                case "dimension":
                    Dimension = Int(path, name, value, line, min: 1, max: 1_000_000);
                    break;
                case "batch_size":
                    BatchSize = Int(path, name, value, line, min: 1, max: 100_000);
                    break;
                case "intra_op_threads":
                    IntraOpThreads = Int(path, name, value, line, min: 1, max: 1024);
                    break;
                default:
                    throw new EncoderFormatException(path,
                        "unknown field (known: pooling, max_length, normalize, traditional_to_simplified, input_ids, attention_mask, " +
                        "token_type_ids, output, dimension, batch_size, intra_op_threads)", line, name);
            }
        }
    }

    private void ReadTokenizerConfig(string path)
    {
        Files.Add(path);
        foreach (var (name, value, line) in Properties(path))
        {
            switch (name)
            {
                case "do_lower_case":
                    LowerCase = Bool(path, name, value, line);
                    break;
                case "strip_accents" when value.ValueKind != JsonValueKind.Null:
                    StripAccents = Bool(path, name, value, line);
                    break;
                case "tokenize_chinese_chars":
                    TokenizeChineseChars = Bool(path, name, value, line);
                    break;
                case "model_max_length" when value.ValueKind == JsonValueKind.Number:
                    // Hugging Face writes a huge number (1e30) when the model sets no limit.
                    if (value.TryGetInt32(out var max) && max is >= 3 and <= 1_000_000)
                    {
                        MaxLength = max;
                    }

                    break;
                case "cls_token":
                    ClsToken = Token(path, name, value, line);
                    break;
                case "sep_token":
                    SepToken = Token(path, name, value, line);
                    break;
                case "pad_token":
                    PadToken = Token(path, name, value, line);
                    break;
                case "unk_token":
                    UnkToken = Token(path, name, value, line);
                    break;
                case "mask_token":
                    MaskToken = Token(path, name, value, line);
                    break;
                default:
                    break; // the file holds much that does not concern a BERT tokenizer
            }
        }
    }

    private void ReadPoolingConfig(string path)
    {
        Files.Add(path);
        var modes = Properties(path)
            .Where(p => p.Name.StartsWith("pooling_mode_", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.True)
            .Select(p => p.Name)
            .ToList();
        Pooling = modes switch
        {
            ["pooling_mode_cls_token"] => EncoderPooling.Cls,
            ["pooling_mode_mean_tokens"] => EncoderPooling.Mean,
            _ => throw new EncoderFormatException(path,
                $"pooling {(modes.Count == 0 ? "(none)" : string.Join(" + ", modes))} is not supported: only pooling_mode_cls_token or " +
                $"pooling_mode_mean_tokens alone (or set \"pooling\" in {FileName})"),
        };
        PoolingSource = PoolingConfigFileName;
    }

    /// <summary>The top-level properties of a JSON object file, each with the 1-based line of its name.</summary>
    private static List<(string Name, JsonElement Value, int Line)> Properties(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EncoderFormatException(path, $"cannot be read: {e.Message}", inner: e);
        }

        var result = new List<(string, JsonElement, int)>();
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EncoderFormatException(path, "expected a JSON object { ... }", 1);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var line = LineOf(bytes, reader.TokenStartIndex);
                var name = reader.GetString()!;
                reader.Read();
                result.Add((name, JsonElement.ParseValue(ref reader), line));
            }
        }
        catch (JsonException e)
        {
            throw new EncoderFormatException(path, $"not valid JSON: {e.Message}", (int)(e.LineNumber ?? -1) + 1, inner: e);
        }

        return result;
    }

    private static int LineOf(byte[] bytes, long index)
    {
        var line = 1;
        for (var i = 0; i < index; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }

    private static string String(string path, string name, JsonElement value, int line) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new EncoderFormatException(path, "expected a non-empty string", line, name, value.GetRawText());

    private static bool Bool(string path, string name, JsonElement value, int line) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new EncoderFormatException(path, "expected true or false", line, name, value.GetRawText()),
    };

    private static int Int(string path, string name, JsonElement value, int line, int min, int max) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
            ? n
            : throw new EncoderFormatException(path, $"expected a whole number from {min} to {max}", line, name, value.GetRawText());

    /// <summary>A special token: a string, or Hugging Face's added-token object <c>{"content": "[CLS]", ...}</c>.</summary>
    private static string Token(string path, string name, JsonElement value, int line)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content))
        {
            value = content;
        }

        return String(path, name, value, line);
    }

    /// <summary>For messages: a list of names.</summary>
    public static string List(IEnumerable<string> names)
    {
        var text = new StringBuilder();
        foreach (var name in names)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(name);
        }

        return text.Length == 0 ? "(none)" : text.ToString();
    }
}
