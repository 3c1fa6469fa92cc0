using System.Text;

namespace Matching.Cli.Tests;

/// <summary>The limit options on the command line: validated like any option, passed to the readers and the engine, and
/// cut fields reported as warnings naming file, line and field.</summary>
public sealed class InputLimitOptionsTests
{
    [TestCase("match", "--max-field-bytes", "0")]
    [TestCase("index", "--max-xlsx-part-bytes", "-1")]
    [TestCase("evaluate", "--max-records", "0")]
    [TestCase("explain", "--max-analyzed-chars", "0")]
    public void Verb_LimitBelowOne_UsageError(string verb, string option, string value)
    {
        var result = Cli.Run(verb, option, value);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.Err, Does.Contain($"{option} must be at least 1"));
        }
    }

    [Test]
    public void Match_LongFieldTruncated_WarningOnStderrAndTheRunSucceeds()
    {
        using var temp = new TempDir();
        var achievements = temp["achievements.csv"];
        File.WriteAllText(achievements, File.ReadAllText(Cli.Sample("achievements.csv")) + "A999,很长的记录," + new string('长', 500) + ",锂电池,某大学,新能源,浙江,中试,发明专利\r\n", new UTF8Encoding(true));

        var refused = Cli.Run("match", "-a", achievements, "-d", Cli.Sample("demands.csv"), "--out", temp["out"], "--max-field-bytes", "1000");
        var cut = Cli.Run("match", "-a", achievements, "-d", Cli.Sample("demands.csv"), "--out", temp["out"], "--max-field-bytes", "1000", "--truncate-long-fields", "--no-report");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(3));
            Assert.That(refused.Err, Does.Contain($"error: {achievements}:122: field 'abstract': longer than 1,000 bytes, the field limit"));
            Assert.That(cut.ExitCode, Is.EqualTo(0), cut.Err);
            Assert.That(cut.Err, Does.Contain($"warning: {achievements}:122: field 'abstract': longer than 1,000 bytes, the field limit: cut to its first 333 characters (--truncate-long-fields)"));
            Assert.That(cut.Err, Does.Contain($"cut 1 long field(s) in {achievements}"));
        }
    }

    [Test]
    public void Index_LongFieldTruncated_WarningOnStderr()
    {
        using var temp = new TempDir();
        var demands = temp["demands.jsonl"];
        File.WriteAllText(demands, "{\"id\":\"D1\",\"title\":\"锂电池\",\"description\":\"" + new string('长', 500) + "\"}\n");

        var result = Cli.Run("index", "-d", demands, "--index", temp["idx"], "--max-field-bytes", "300", "--truncate-long-fields");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
            Assert.That(result.Err, Does.Contain($"warning: {demands}:1: field 'description': longer than 300 bytes, the field limit: cut to its first 100 characters"));
            Assert.That(result.Err, Does.Contain($"cut 1 long field(s) in {demands}"));
        }
    }
}
