namespace Matching.Cli.Tests.Reliability;

/// <summary>Damaged or foreign indexes end a run with exit code 4 and a message saying what is wrong and what to do;
/// the streamed <c>matching index</c> reports bad rows as before.</summary>
public sealed class IndexIntegrityCommandTests
{
    private static string[] IndexSample(string index) =>
        ["index", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", index, "--threads", "1"];

    /// <summary>(One indexing thread: one segment.) Overwrites 64 bytes in the middle of the achievement index's compound segment file (a bad sector,
    /// a stray write): the kind of damage only checksums reveal.</summary>
    private static string Damage(string index)
    {
        var file = Directory.GetFiles(Path.Combine(index, "achievements"), "*.cfs").Single();
        var bytes = File.ReadAllBytes(file);
        for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 64; i++)
        {
            bytes[i] ^= 0x5A;
        }

        File.WriteAllBytes(file, bytes);
        return file;
    }

    [Test]
    public void Index_DamagedSegment_ExitCode4WithCheckIndexVerdict()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run(IndexSample(temp["index"])).ExitCode, Is.EqualTo(0));
        var file = Damage(temp["index"]);

        var result = Cli.Run(IndexSample(temp["index"]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(result.Err, Does.StartWith($"error: the achievement index in {Path.Combine(temp["index"], "achievements")} is damaged: " +
                "Lucene CheckIndex: 1 broken segments (containing 120 documents) detected; segment _0: check integrity FAILED (System.IO.IOException: checksum failed"));
            Assert.That(result.Err, Does.Contain(file).And.EndWith("rebuild it from the original inputs with `matching index --rebuild`." + Environment.NewLine));
            Assert.That(result.Out, Is.Empty);
        }

        TestContext.Out.WriteLine(result.Err);
    }

    [Test]
    public void Match_DamagedIndex_ExitCode4AndNoOutputs()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run(IndexSample(temp["index"])).ExitCode, Is.EqualTo(0));
        Damage(temp["index"]);

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--out", temp["out"]);

        Assert.That(result.ExitCode, Is.EqualTo(4), result.Err);
        Assert.That(result.Err, Does.Contain("is damaged: Lucene CheckIndex:"));
        Assert.That(Directory.Exists(temp["out"]) ? Directory.GetFiles(temp["out"]) : [], Is.Empty);
    }

    [Test]
    public void Index_RebuildOfADamagedIndex_Recovers()
    {
        using var temp = new TempDir();
        Cli.Run(IndexSample(temp["index"]));
        Damage(temp["index"]);

        var rebuilt = Cli.Run([.. IndexSample(temp["index"]), "--rebuild"]);
        var rerun = Cli.Run(IndexSample(temp["index"]));

        Assert.That((rebuilt.ExitCode, rerun.ExitCode), Is.EqualTo((0, 0)), rebuilt.Err + rerun.Err);
        Assert.That(rerun.Out, Does.Contain("achievements: 0 added, 0 updated, 120 unchanged, 0 deleted, 120 in index"));
    }

    [Test]
    public void Match_IndexBuiltWithAnotherAnalyzer_ExitCode4()
    {
        using var temp = new TempDir();
        Assert.That(Cli.Run([.. IndexSample(temp["index"]), "--analyzer", "smartcn"]).ExitCode, Is.EqualTo(0));

        var result = Cli.Run("match", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "--index", temp["index"], "--out", temp["out"]);

        Assert.That(result.ExitCode, Is.EqualTo(4));
        Assert.That(result.Err, Does.Contain("was built with analyzer 'smartcn/").And.Contain("this run uses 'jieba/").And.Contain("--rebuild"));
    }

    [Test]
    public void Index_ManyBadRowsSkipped_FirstTwentyAndCountReported()
    {
        using var temp = new TempDir();
        var input = temp["achievements.jsonl"];
        File.WriteAllLines(input, Enumerable.Range(1, 30).SelectMany(i => new[]
        {
            $$"""{"id": "X{{i}}", "title": "锂电池正极材料表面包覆"}""",
            """{"id": "", "title": "缺少编号"}""",
        }));

        var skipped = Cli.Run("index", "-a", input, "--index", temp["index"], "--on-bad-row", "skip");
        var failed = Cli.Run("index", "-a", input, "--index", temp["other"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(skipped.ExitCode, Is.EqualTo(0), skipped.Err);
            Assert.That(skipped.Out, Does.Contain("achievements: 30 added, 0 updated, 0 unchanged, 0 deleted, 30 in index"));
            Assert.That(skipped.Err.Split(Environment.NewLine).Count(l => l.StartsWith("skipped: ", StringComparison.Ordinal)), Is.EqualTo(20));
            Assert.That(skipped.Err, Does.Contain($"skipped: {input}:2: field 'id': missing id")
                .And.Contain($"skipped 30 bad row(s) in {input} (first 20 shown)")
                .And.Contain($"read 30 achievements from {input}"));
            Assert.That(failed.ExitCode, Is.EqualTo(3));
            Assert.That(failed.Err, Is.EqualTo($"error: {input}:2: field 'id': missing id{Environment.NewLine}"));
            Assert.That(Directory.Exists(Path.Combine(temp["other"], "achievements")) ? Directory.GetFiles(Path.Combine(temp["other"], "achievements"), "segments_*") : [],
                Is.Empty, "a failed first run commits no index");
        }
    }
}
