namespace Matching.Cli.Tests;

/// <summary><c>--semantic on|off</c> on index, match and evaluate.</summary>
public sealed class SemanticCommandTests
{
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
