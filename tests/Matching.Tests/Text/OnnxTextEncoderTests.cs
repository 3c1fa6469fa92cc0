using System.Text.Json;
using Matching.Text;

namespace Matching.Tests.Text;

/// <summary>The bring-your-own encoder on tiny real ONNX models (Resources/tiny-encoder, written by make_model.py):
/// token ids checked against ids written out by hand from the vocabulary, vectors against numpy's computation of the
/// same network (expected.json), which does not use ONNX Runtime.</summary>
public sealed class OnnxTextEncoderTests
{
    private const string FishpondSimplified = "鱼塘死鱼，溶解氧在线监测。";
    private const string FishpondTraditional = "魚塘死魚，溶解氧在線監測。";
    private const string Warehouse = "仓库拣货慢，用AGVs调度";
    private const string ColdChain = "果蔬冷链保鲜期短";
    private const float Tolerance = 1e-5f;

    private static readonly string s_resources = Path.Combine(AppContext.BaseDirectory, "Resources", "tiny-encoder");
    private static readonly JsonElement s_expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(s_resources, "expected.json"))).RootElement;

    private static int[] Ids(string name) => [.. s_expected.GetProperty("cases").GetProperty(name).GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())];

    private static float[] Vector(string name, string pooling) =>
        [.. s_expected.GetProperty("cases").GetProperty(name).GetProperty(pooling).EnumerateArray().Select(e => e.GetSingle())];

    /// <summary>An encoder directory in a temp folder: the tiny model (or <paramref name="model"/>), vocab.txt, and the
    /// given extra files.</summary>
    private static TempDirectory EncoderDirectory(string model = "model.onnx", params (string Name, string Text)[] files)
    {
        var directory = new TempDirectory();
        File.Copy(Path.Combine(s_resources, model), directory.File("model.onnx"));
        File.Copy(Path.Combine(s_resources, "vocab.txt"), directory.File("vocab.txt"));
        foreach (var (name, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(directory.File(name))!);
            File.WriteAllText(directory.File(name), text);
        }

        return directory;
    }

    private static void AssertVector(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.That(actual[d], Is.EqualTo(expected[d]).Within(Tolerance), $"{what}, component {d}");
        }
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    [Test]
    public void Tokenize_ChineseSentence_OneIdPerCharacterBetweenClsAndSep_BothScripts()
    {
        using var directory = EncoderDirectory();
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        using (Assert.EnterMultipleScope())
        {
            // [CLS] 鱼 塘 死 鱼 ， 溶 解 氧 在 线 监 测 。 [SEP]
            Assert.That(encoder.Tokenize(FishpondSimplified), Is.EqualTo(new[] { 2, 5, 6, 7, 5, 43, 8, 9, 10, 11, 12, 13, 14, 44, 3 }));
            Assert.That(Ids("fishpond"), Is.EqualTo(new[] { 2, 5, 6, 7, 5, 43, 8, 9, 10, 11, 12, 13, 14, 44, 3 }));
            // Traditional → Simplified first (魚 → 鱼, 線 → 线, 監 → 监, 測 → 测), as the analyzers do.
            Assert.That(encoder.Tokenize(FishpondTraditional), Is.EqualTo(Ids("fishpond")));
            Assert.That(encoder.Tokenize(ColdChain), Is.EqualTo(new[] { 2, 27, 28, 20, 21, 22, 23, 29, 30, 3 }));
        }
    }

    [Test]
    public void Tokenize_ConversionTurnedOff_TraditionalCharactersKeepTheirOwnIds()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "traditional_to_simplified": false }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        // 魚 31, 線 32, 監 33, 測 34 in vocab.txt.
        Assert.That(encoder.Tokenize(FishpondTraditional), Is.EqualTo(new[] { 2, 31, 6, 7, 31, 43, 8, 9, 10, 11, 32, 33, 34, 44, 3 }));
        Assert.That(encoder.Tokenize(FishpondTraditional), Is.EqualTo(Ids("fishpond_traditional_raw")));
    }

    [Test]
    public void Tokenize_UnknownCharacters_Unk_LatinLowerCasedIntoWordPieces()
    {
        using var directory = EncoderDirectory();
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        // 用 and 度 are not in the vocabulary: [UNK] (1); AGVs → agv ##s (41 42).
        Assert.That(encoder.Tokenize(Warehouse), Is.EqualTo(new[] { 2, 15, 16, 17, 18, 19, 43, 1, 41, 42, 26, 1, 3 }));
        Assert.That(encoder.Tokenize(Warehouse), Is.EqualTo(Ids("warehouse")));
    }

    [Test]
    public void Tokenize_TokenizerConfigDoLowerCaseFalse_UpperCaseWordIsUnknown()
    {
        using var directory = EncoderDirectory(files: ("tokenizer_config.json", """{ "do_lower_case": false, "model_max_length": 512, "tokenizer_class": "BertTokenizer" }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        Assert.That(encoder.Tokenize(Warehouse), Is.EqualTo(new[] { 2, 15, 16, 17, 18, 19, 43, 1, 1, 26, 1, 3 }));
    }

    [Test]
    public void Load_HuggingFaceTokenizerConfig_TokenObjectsAndNulls_Read_ATokenAbsentFromTheVocabularyRefused()
    {
        using var huggingFace = EncoderDirectory(files: ("tokenizer_config.json", """
            {
              "added_tokens_decoder": { "0": { "content": "[PAD]", "special": true } },
              "cls_token": { "content": "[CLS]", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false },
              "do_lower_case": true,
              "strip_accents": null,
              "tokenize_chinese_chars": true,
              "unk_token": "[UNK]",
              "model_max_length": 512
            }
            """));
        using var xlmStyle = EncoderDirectory(files: ("tokenizer_config.json", """{ "mask_token": "<mask>" }"""));
        using var encoder = OnnxTextEncoder.Load(huggingFace.Path);

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(xlmStyle.Path));

        Assert.That(encoder.Tokenize(FishpondSimplified), Is.EqualTo(Ids("fishpond")));
        Assert.That(e!.Message, Is.EqualTo($"{xlmStyle.File("vocab.txt")}: the special token <mask> (mask_token) is not in the vocabulary"));
    }

    [Test]
    public void Tokenize_LongerThanMaxLength_CutKeepingClsAndSep()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "max_length": 8 }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoder.MaxLength, Is.EqualTo(8));
            Assert.That(encoder.Tokenize(FishpondSimplified), Is.EqualTo(new[] { 2, 5, 6, 7, 5, 43, 8, 3 }));
            Assert.That(encoder.Tokenize(ColdChain), Is.EqualTo(new[] { 2, 27, 28, 20, 21, 22, 23, 3 }));
        }
    }

    [Test]
    public void Tokenize_ModelMaxLengthFromTokenizerConfig_Applies_HuggingFacesNoLimitValueIgnored()
    {
        using var limited = EncoderDirectory(files: ("tokenizer_config.json", """{ "model_max_length": 5 }"""));
        using var unlimited = EncoderDirectory(files: ("tokenizer_config.json", """{ "model_max_length": 1000000000000000019884624838656 }"""));
        using var limitedEncoder = OnnxTextEncoder.Load(limited.Path);
        using var unlimitedEncoder = OnnxTextEncoder.Load(unlimited.Path);

        Assert.That(limitedEncoder.Tokenize(ColdChain), Is.EqualTo(new[] { 2, 27, 28, 20, 3 }));
        Assert.That(unlimitedEncoder.MaxLength, Is.EqualTo(512));
    }

    [Test]
    public void Encode_DefaultMeanPooling_MatchesNumpy()
    {
        using var directory = EncoderDirectory();
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        var vectors = encoder.Encode([FishpondSimplified, Warehouse, ColdChain]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoder.Pooling, Is.EqualTo(EncoderPooling.Mean));
            Assert.That(encoder.Dimension, Is.EqualTo(6));
            Assert.That(encoder.OutputName, Is.EqualTo("last_hidden_state"));
            AssertVector(vectors[0], Vector("fishpond", "mean"), "鱼塘");
            AssertVector(vectors[1], Vector("warehouse", "mean"), "仓库");
            AssertVector(vectors[2], Vector("coldchain", "mean"), "冷链");
            Assert.That(vectors.Select(Norm), Is.All.EqualTo(1.0).Within(1e-6));
        }
    }

    [Test]
    public void Encode_ClsPooling_FromOurSettingsOrSentenceTransformersConfig_MatchesNumpy_DiffersFromMean()
    {
        using var ours = EncoderDirectory(files: ("matching-encoder.json", """{ "pooling": "cls" }"""));
        using var sentenceTransformers = EncoderDirectory(files: (Path.Combine("1_Pooling", "config.json"),
            """{ "word_embedding_dimension": 6, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": false }"""));
        using var oursEncoder = OnnxTextEncoder.Load(ours.Path);
        using var stEncoder = OnnxTextEncoder.Load(sentenceTransformers.Path);

        var vectors = oursEncoder.Encode([FishpondSimplified, Warehouse]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(oursEncoder.Pooling, Is.EqualTo(EncoderPooling.Cls));
            Assert.That(stEncoder.Pooling, Is.EqualTo(EncoderPooling.Cls));
            AssertVector(vectors[0], Vector("fishpond", "cls"), "鱼塘 cls");
            AssertVector(vectors[1], Vector("warehouse", "cls"), "仓库 cls");
            AssertVector(stEncoder.Encode([Warehouse])[0], Vector("warehouse", "cls"), "仓库 cls via 1_Pooling");
            // The [CLS] state sees the text only through the masked context, so it differs from the mean.
            Assert.That(Math.Abs(vectors[0][0] - Vector("fishpond", "mean")[0]), Is.GreaterThan(0.01));
        }
    }

    [Test]
    public void Encode_TraditionalText_SameVectorAsSimplified_UnlessConversionIsOff()
    {
        using var directory = EncoderDirectory();
        using var raw = EncoderDirectory(files: ("matching-encoder.json", """{ "traditional_to_simplified": false }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);
        using var rawEncoder = OnnxTextEncoder.Load(raw.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoder.Encode([FishpondTraditional])[0], Is.EqualTo(encoder.Encode([FishpondSimplified])[0]));
            AssertVector(rawEncoder.Encode([FishpondTraditional])[0], Vector("fishpond_traditional_raw", "mean"), "魚塘 unconverted");
            Assert.That(encoder.Fingerprint, Is.Not.EqualTo(rawEncoder.Fingerprint));
        }
    }

    [Test]
    public void Encode_OneBatch_SameAsOneByOne_AndPaddingLeavesAVectorUnchanged()
    {
        using var directory = EncoderDirectory();
        using var oneByOne = EncoderDirectory(files: ("matching-encoder.json", """{ "batch_size": 1 }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);
        using var singleEncoder = OnnxTextEncoder.Load(oneByOne.Path);
        string[] texts = [ColdChain, FishpondSimplified, Warehouse, FishpondTraditional, ColdChain];

        // One batch: 冷链 (10 tokens) is padded to 鱼塘's 15, with the mask telling the model which are padding.
        var batched = encoder.Encode(texts);
        var single = singleEncoder.Encode(texts);
        var separately = texts.Select(t => encoder.Encode([t])[0]).ToList();

        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < texts.Length; i++)
            {
                AssertVector(batched[i], single[i], $"text {i}: batch vs batch_size 1");
                AssertVector(batched[i], separately[i], $"text {i}: batch vs one call each");
            }

            AssertVector(batched[0], Vector("coldchain", "mean"), "padded 冷链 vs numpy unpadded");
            AssertVector(batched[4], Vector("coldchain", "mean"), "padded 冷链 again");
            AssertVector(batched[2], Vector("warehouse", "mean"), "padded 仓库 vs numpy unpadded");
        }
    }

    [Test]
    public void Encode_SameInputs_SameBits_AcrossLoadsAndThreads()
    {
        using var directory = EncoderDirectory();
        string[] texts = [FishpondSimplified, Warehouse, ColdChain, FishpondTraditional];
        using var first = OnnxTextEncoder.Load(directory.Path);
        using var second = OnnxTextEncoder.Load(directory.Path);

        var reference = first.Encode(texts);
        var concurrent = new IReadOnlyList<float[]>[8];
        Parallel.For(0, concurrent.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = first.Encode(texts));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Fingerprint, Is.EqualTo(first.Fingerprint));
            Assert.That(first.Fingerprint, Does.Match("^onnx/[0-9a-f]{16}$"));
            Assert.That(second.Encode(texts), Is.EqualTo(reference));
            Assert.That(concurrent, Is.All.EqualTo(reference));
        }
    }

    [Test]
    public void Fingerprint_ChangesWithPoolingOrVocabulary()
    {
        using var baseline = EncoderDirectory();
        using var cls = EncoderDirectory(files: ("matching-encoder.json", """{ "pooling": "cls" }"""));
        using var vocabulary = EncoderDirectory();
        File.AppendAllText(vocabulary.File("vocab.txt"), "泵\n");

        var fingerprints = new[] { baseline, cls, vocabulary }.Select(d =>
        {
            using var e = OnnxTextEncoder.Load(d.Path);
            return e.Fingerprint;
        }).ToList();

        Assert.That(fingerprints, Is.Unique);
    }

    [Test]
    public void Encode_ModelWithPooledOutputAndNoTokenTypes_UsedAsIs_MatchesNumpy()
    {
        using var directory = EncoderDirectory("model-pooled.onnx");
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        var vectors = encoder.Encode([FishpondSimplified, ColdChain]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(encoder.Pooling, Is.EqualTo(EncoderPooling.Model));
            Assert.That(encoder.OutputName, Is.EqualTo("sentence_embedding"));
            AssertVector(vectors[0], Vector("fishpond", "pooled_model_mean"), "鱼塘, pooled in the model");
            AssertVector(vectors[1], Vector("coldchain", "pooled_model_mean"), "冷链, pooled in the model");
        }
    }

    [Test]
    public void Encode_ModelWithInt32Inputs_FedInt32_SameVectors()
    {
        using var directory = EncoderDirectory("model-int32.onnx");
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        var vectors = encoder.Encode([FishpondSimplified, Warehouse]);

        AssertVector(vectors[0], Vector("fishpond", "mean"), "鱼塘, int32 inputs");
        AssertVector(vectors[1], Vector("warehouse", "mean"), "仓库, int32 inputs");
    }

    [Test]
    public void Encode_NormalizeOff_SameDirectionNotUnitLength()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "normalize": false }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        var vector = encoder.Encode([FishpondSimplified])[0];
        var norm = Norm(vector);

        Assert.That(norm, Is.Not.EqualTo(1.0).Within(1e-3));
        AssertVector([.. vector.Select(v => (float)(v / norm))], Vector("fishpond", "mean"), "鱼塘 normalised afterwards");
    }

    [Test]
    public void Encode_NothingKnown_ZeroVector_WithoutDisturbingTheOthers()
    {
        using var directory = EncoderDirectory();
        using var encoder = OnnxTextEncoder.Load(directory.Path);

        // 用度 are both unknown; the empty and the blank text have no token at all.
        var vectors = encoder.Encode(["用度", ColdChain, "", "   "]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(vectors[0], Is.EqualTo(new float[6]));
            Assert.That(vectors[2], Is.EqualTo(new float[6]));
            Assert.That(vectors[3], Is.EqualTo(new float[6]));
            AssertVector(vectors[1], Vector("coldchain", "mean"), "冷链");
            Assert.That(encoder.Encode([]), Is.Empty);
        }
    }

    [Test]
    public void Encode_AfterDispose_Throws()
    {
        using var directory = EncoderDirectory();
        var encoder = OnnxTextEncoder.Load(directory.Path);
        encoder.Dispose();
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode([ColdChain]));
    }

    [Test]
    public void Encode_LongerThanTheModelsPositions_ClearError_UnlessMaxLengthCutsIt()
    {
        // The tiny model has 128 positions; the default max_length is 512, as for a BERT model.
        var longText = string.Concat(Enumerable.Repeat("鱼塘溶解氧在线监测", 20));
        using var directory = EncoderDirectory();
        using var capped = EncoderDirectory(files: ("matching-encoder.json", """{ "max_length": 128 }"""));
        using var encoder = OnnxTextEncoder.Load(directory.Path);
        using var cappedEncoder = OnnxTextEncoder.Load(capped.Path);

        var e = Assert.Throws<EncoderFormatException>(() => encoder.Encode([longText]));
        var vector = cappedEncoder.Encode([longText])[0];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(e!.Message, Does.StartWith($"{directory.File("model.onnx")}: the model failed on a batch of 1 × 182 tokens (if the model takes fewer tokens, set max_length in matching-encoder.json)"));
            Assert.That(cappedEncoder.Tokenize(longText), Has.Count.EqualTo(128));
            Assert.That(vector, Is.EqualTo(cappedEncoder.Encode([longText[..126]])[0]).Within(1e-6f), "cut to [CLS] + 126 characters + [SEP]");
        }
    }

    [Test]
    public void Load_MissingModel_NamesModelOnnx()
    {
        using var directory = EncoderDirectory();
        File.Delete(directory.File("model.onnx"));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Path, Is.EqualTo(directory.File("model.onnx")));
        Assert.That(e.Message, Does.StartWith(directory.File("model.onnx") + ": file not found"));
    }

    [Test]
    public void Load_ModelUnderOnnxFolder_Found()
    {
        using var directory = EncoderDirectory();
        Directory.CreateDirectory(directory.File("onnx"));
        File.Move(directory.File("model.onnx"), Path.Combine(directory.File("onnx"), "model.onnx"));

        using var encoder = OnnxTextEncoder.Load(directory.Path);

        AssertVector(encoder.Encode([ColdChain])[0], Vector("coldchain", "mean"), "冷链");
    }

    [Test]
    public void Load_MissingVocabulary_NamesVocabTxt()
    {
        using var directory = EncoderDirectory();
        File.Delete(directory.File("vocab.txt"));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Does.StartWith(directory.File("vocab.txt") + ": file not found"));
    }

    [Test]
    public void Load_MissingDirectory_NamesIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "matching-no-such-encoder-" + Guid.NewGuid().ToString("N"));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(missing));

        Assert.That(e!.Message, Is.EqualTo($"{missing}: encoder directory not found"));
    }

    [Test]
    public void Load_VocabularyWithoutMaskToken_NamesVocabTxtAndTheToken()
    {
        using var directory = EncoderDirectory();
        File.WriteAllLines(directory.File("vocab.txt"), File.ReadAllLines(directory.File("vocab.txt")).Where(l => l != "[MASK]"));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Is.EqualTo($"{directory.File("vocab.txt")}: the special token [MASK] (mask_token) is not in the vocabulary"));
    }

    [Test]
    public void Load_ConfiguredOutputAbsent_NamesModelAndListsItsOutputs()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "output": "pooler_output" }"""));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Is.EqualTo($"{directory.File("model.onnx")}: no output 'pooler_output' (the model has: last_hidden_state)"));
    }

    [Test]
    public void Load_ConfiguredInputAbsent_NamesModelAndListsItsInputs()
    {
        using var directory = EncoderDirectory("model-pooled.onnx", ("matching-encoder.json", """{ "token_type_ids": "token_type_ids" }"""));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Does.StartWith($"{directory.File("model.onnx")}: no input 'token_type_ids'"));
        Assert.That(e.Message, Does.Contain("input_ids, attention_mask"));
    }

    [Test]
    public void Load_InputIdsRenamedToOneTheModelLacks_ModelInputCannotBeFed()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "input_ids": "ids" }"""));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Does.StartWith($"{directory.File("model.onnx")}: input 'input_ids' is not one the encoder can feed"));
    }

    [Test]
    public void Load_DeclaredDimensionDiffers_NamesSettingsFileAndField()
    {
        using var directory = EncoderDirectory(files: ("matching-encoder.json", """{ "dimension": 768 }"""));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Is.EqualTo(
            $"{directory.File("matching-encoder.json")}: field 'dimension': dimension 768 does not match the model's output 'last_hidden_state' (6)"));
    }

    [Test]
    public void Load_PoolingSetForAnAlreadyPooledModel_Refused()
    {
        using var directory = EncoderDirectory("model-pooled.onnx", ("matching-encoder.json", """{ "pooling": "mean" }"""));

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Does.StartWith($"{directory.File("matching-encoder.json")}: field 'pooling': pooling is set, but"));
    }

    [Test]
    public void Load_BadSettings_NameFileLineAndField()
    {
        using var badPooling = EncoderDirectory(files: ("matching-encoder.json", "{\n  \"max_length\": 64,\n  \"pooling\": \"max\"\n}\n"));
        using var unknown = EncoderDirectory(files: ("matching-encoder.json", "{ \"pooling\": \"cls\", \"poolling\": \"mean\" }"));
        using var badNumber = EncoderDirectory(files: ("matching-encoder.json", "{ \"batch_size\": 0 }"));
        using var notJson = EncoderDirectory(files: ("matching-encoder.json", "{ \"pooling\": cls }"));
        using var stPooling = EncoderDirectory(files: (Path.Combine("1_Pooling", "config.json"), """{ "pooling_mode_max_tokens": true }"""));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(badPooling.Path))!.Message,
                Is.EqualTo($"{badPooling.File("matching-encoder.json")}:3: field 'pooling': expected \"cls\" or \"mean\" (value 'max')"));
            Assert.That(Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(unknown.Path))!.Message,
                Does.StartWith($"{unknown.File("matching-encoder.json")}:1: field 'poolling': unknown field"));
            Assert.That(Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(badNumber.Path))!.Message,
                Is.EqualTo($"{badNumber.File("matching-encoder.json")}:1: field 'batch_size': expected a whole number from 1 to 100000 (value '0')"));
            Assert.That(Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(notJson.Path))!.Message,
                Does.StartWith($"{notJson.File("matching-encoder.json")}:1: not valid JSON"));
            Assert.That(Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(stPooling.Path))!.Message,
                Does.StartWith($"{stPooling.File(Path.Combine("1_Pooling", "config.json"))}: pooling pooling_mode_max_tokens is not supported"));
        }
    }

    [Test]
    public void Load_NotAnOnnxModel_NamesModelOnnx()
    {
        using var directory = EncoderDirectory();
        File.WriteAllText(directory.File("model.onnx"), "鱼塘死鱼 — not a model");

        var e = Assert.Throws<EncoderFormatException>(() => OnnxTextEncoder.Load(directory.Path));

        Assert.That(e!.Message, Does.StartWith($"{directory.File("model.onnx")}: ONNX Runtime cannot load the model"));
    }
}
