using Matching.Cli.Hosting;
using Matching.Ranking;

namespace Matching.Cli.Tests;

/// <summary><c>--semantic on|off</c> and <c>--encoder DIR</c> on index, match and evaluate.</summary>
public sealed class SemanticCommandTests
{
    private static readonly string s_encoder = Path.Combine(AppContext.BaseDirectory, "tiny-encoder");

    [Test]
    public void IndexAndMatch_WithEncoder_VectorsAreItsOwn_AnIndexOfAnotherEncoderRefused()
    {
        using var temp = new TempDir();
        // The tiny encoder has 128 positions; the sample's abstracts are longer, so its settings cut them there.
        var encoder = temp["encoder"];
        Directory.CreateDirectory(encoder);
        foreach (var file in Directory.GetFiles(s_encoder))
        {
            File.Copy(file, Path.Combine(encoder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(encoder, "matching-encoder.json"), """{ "max_length": 128 }""");
        string[] records = ["-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"]];
        var index = Cli.Run(["index", .. records, "--encoder", encoder]);
        Assert.That(index.ExitCode, Is.EqualTo(0), index.Err);

        string[] match = ["match", .. records, "--model", "none", "--no-agenda", "--no-report"];
        var withEncoder = Cli.Run([.. match, "--out", temp["a"], "--encoder", encoder]);
        var wordVectors = Cli.Run([.. match, "--out", temp["b"], "--semantic", "on"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withEncoder.ExitCode, Is.EqualTo(0), withEncoder.Err);
            Assert.That(withEncoder.Err, Does.Contain("encoder onnx/"));
            Assert.That(File.ReadAllLines(Path.Combine(temp["a"], "demand_matches.csv")), Has.Length.GreaterThan(60));
            Assert.That(wordVectors.ExitCode, Is.EqualTo(4), "vectors of the tiny encoder are not the event's word vectors: " + wordVectors.Err);
        }
    }

    [Test]
    public void Match_SemanticOnWithTheShippedModel_ReranksTheFusedLists()
    {
        // The shipped model was trained on retrieved lists only, so it fits fused lists: no warning, and its order
        // is not the fused order of --model none.
        using var temp = new TempDir();
        string[] match = ["match", "--no-agenda", "--no-report", "--semantic", "on"];
        var shipped = Cli.Run([.. match, "--out", temp["shipped"]]);
        var none = Cli.Run([.. match, "--out", temp["none"], "--model", "none"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((shipped.ExitCode, none.ExitCode), Is.EqualTo((0, 0)), shipped.Err + none.Err);
            Assert.That(shipped.Err + none.Err, Does.Not.Contain("trained on BM25 candidate lists"));
            Assert.That(File.ReadAllBytes(Path.Combine(temp["shipped"], "demand_matches.csv")),
                Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(temp["none"], "demand_matches.csv"))), "reranked, not the fused order");
        }
    }

    [Test]
    public void Match_SemanticDepth_BoundsTheCandidatesByMeaning_ZeroIsAUsageError()
    {
        // With --model none the list is the fused order: the nearest record by meaning alone adds at most one record a
        // demand that BM25 did not find, the nearest 100 add every record with a positive similarity.
        using var temp = new TempDir();
        string[] match = ["match", "--no-agenda", "--no-report", "--semantic", "on", "--model", "none", "--top-k", "50"];
        var one = Cli.Run([.. match, "--out", temp["one"], "--semantic-depth", "1"]);
        var hundred = Cli.Run([.. match, "--out", temp["hundred"]]);
        var zero = Cli.Run([.. match, "--out", temp["zero"], "--semantic-depth", "0"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((one.ExitCode, hundred.ExitCode), Is.EqualTo((0, 0)), one.Err + hundred.Err);
            Assert.That(File.ReadAllLines(Path.Combine(temp["one"], "demand_matches.csv")).Length,
                Is.LessThan(File.ReadAllLines(Path.Combine(temp["hundred"], "demand_matches.csv")).Length));
            Assert.That(zero.ExitCode, Is.EqualTo(2));
            Assert.That(zero.Err, Does.Contain("--semantic-depth must be at least 1"));
            Assert.That(Directory.Exists(temp["zero"]), Is.False);
        }
    }

    [Test]
    public void FitsExpandedLists_ModelsTrainedWithMissedAnswersAppended_DoNot()
    {
        var shipped = RankerModel.ReadMetadata(RankerModel.DefaultPath);
        RankerMetadata With(string candidates) => shipped with
        {
            Parameters = new Dictionary<string, string> { ["candidates"] = candidates },
            Sets = null,
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(CommandHost.FitsExpandedLists(shipped, feedback: false), Is.True, "the shipped model");
            Assert.That(CommandHost.FitsExpandedLists(With("bm25"), feedback: false), Is.True);
            Assert.That(CommandHost.FitsExpandedLists(With("given"), feedback: false), Is.True);
            Assert.That(CommandHost.FitsExpandedLists(With("bm25+vectors"), feedback: false), Is.True);
            Assert.That(CommandHost.FitsExpandedLists(With("bm25+vectors+judged"), feedback: false), Is.True);
            Assert.That(CommandHost.FitsExpandedLists(With("bm25+judged"), feedback: false), Is.False, "older models: ranked past every BM25 hit meant relevant");
            Assert.That(CommandHost.FitsExpandedLists(shipped, feedback: true), Is.True, "RM3 lists: the shipped model");
            Assert.That(CommandHost.FitsExpandedLists(With("bm25+judged"), feedback: true), Is.False);
            Assert.That(CommandHost.FitsExpandedLists(shipped with { Parameters = new Dictionary<string, string> { ["candidates"] = "bm25+judged", ["feedback"] = "rm3 10 10 0.7" }, Sets = null }, feedback: true), Is.True, "trained on RM3 lists");
        }
    }

    [Test]
    public void Evaluate_EncoderWithSemanticOff_UsageError()
    {
        var result = Cli.Run("evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", "judgments.qrels",
            "--encoder", s_encoder, "--semantic", "off");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--encoder feeds the route by meaning"));
    }

    [Test]
    public void Match_EncoderFolderWithoutModel_ExitCode6()
    {
        using var temp = new TempDir();
        Directory.CreateDirectory(temp["empty"]);
        var result = Cli.Run("match", "--out", temp["out"], "--model", "none", "--encoder", temp["empty"]);

        Assert.That(result.ExitCode, Is.EqualTo(6));
        Assert.That(result.Err, Does.Contain("model.onnx"));
        Assert.That(Directory.Exists(temp["out"]) && Directory.EnumerateFileSystemEntries(temp["out"]).Any(), Is.False, "nothing written");
    }

    [Test]
    public void Match_SemanticOff_SameFilesAsTheDefault()
    {
        using var temp = new TempDir();
        string[] common = ["match", "--model", "none", "--no-agenda", "--no-report"];
        var byDefault = Cli.Run([.. common, "--out", temp["default"]]);
        var off = Cli.Run([.. common, "--out", temp["off"], "--semantic", "off"]);

        Assert.That((byDefault.ExitCode, off.ExitCode), Is.EqualTo((0, 0)), byDefault.Err + off.Err);
        foreach (var file in new[] { "demand_matches.csv", "achievement_matches.csv", "pairs.csv" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(temp["off"], file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(temp["default"], file))), file);
        }
    }

    [Test]
    public void IndexAndMatch_SemanticOn_VectorsBesideTheIndex_DamageRefusedWithExitCode4()
    {
        using var temp = new TempDir();
        var index = Cli.Run("index", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--semantic", "on");
        Assert.That(index.ExitCode, Is.EqualTo(0), index.Err);
        var vectors = Path.Combine(temp["index"], "semantic", "achievements.vectors");
        Assert.That(File.Exists(vectors) && File.Exists(Path.Combine(temp["index"], "semantic", "wordvectors.bin")), Is.True);

        string[] match = ["match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"],
            "--model", "none", "--no-agenda", "--no-report", "--semantic", "on"];
        var first = Cli.Run([.. match, "--out", temp["a"]]);
        var second = Cli.Run([.. match, "--out", temp["b"]]);
        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Err + second.Err);
        Assert.That(File.ReadAllBytes(Path.Combine(temp["b"], "demand_matches.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(temp["a"], "demand_matches.csv"))),
            "same index, same vectors: same lists");

        var bytes = File.ReadAllBytes(vectors);
        bytes[bytes.Length / 3] ^= 0x01;
        File.WriteAllBytes(vectors, bytes);
        var damaged = Cli.Run([.. match, "--out", temp["c"]]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(damaged.ExitCode, Is.EqualTo(4));
            Assert.That(damaged.Err, Does.Contain("achievements.vectors").And.Contain("checksum").And.Contain("--rebuild"));
        }
    }

    [Test]
    public void Match_SemanticOnWithCluster_UsageError()
    {
        using var temp = new TempDir();
        var result = Cli.Run("match", "--out", temp["out"], "--semantic", "on", "--cluster", "redis://127.0.0.1:1");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--semantic on does not work with --cluster"));
    }
}
