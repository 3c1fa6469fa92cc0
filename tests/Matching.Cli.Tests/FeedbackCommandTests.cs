namespace Matching.Cli.Tests;

/// <summary><c>--prf on|off</c> with <c>--prf-docs</c>, <c>--prf-terms</c>, <c>--prf-weight</c> on match and evaluate; and
/// the bridges <c>explain --semantic on</c> prints (the other half of issue 14's bridge between the two languages).</summary>
public sealed class FeedbackCommandTests
{
    [Test]
    public void Match_PrfOn_OtherListsThanOff_SameOnEveryRun()
    {
        using var temp = new TempDir();
        string[] match = ["match", "--model", "none", "--no-agenda", "--no-report"];
        var off = Cli.Run([.. match, "--out", temp["off"]]);
        var on = Cli.Run([.. match, "--out", temp["on"], "--prf", "on"]);
        var again = Cli.Run([.. match, "--out", temp["again"], "--prf", "on", "--prf-docs", "10", "--prf-terms", "10", "--prf-weight", "0.7"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((off.ExitCode, on.ExitCode, again.ExitCode), Is.EqualTo((0, 0, 0)), off.Err + on.Err + again.Err);
            Assert.That(File.ReadAllBytes(Path.Combine(temp["on"], "demand_matches.csv")),
                Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(temp["off"], "demand_matches.csv"))), "feedback changes the lists");
            Assert.That(File.ReadAllBytes(Path.Combine(temp["again"], "demand_matches.csv")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(temp["on"], "demand_matches.csv"))), "the defaults spelt out, and a second run: the same bytes");
            Assert.That(File.ReadAllBytes(Path.Combine(temp["again"], "achievement_matches.csv")),
                Is.EqualTo(File.ReadAllBytes(Path.Combine(temp["on"], "achievement_matches.csv"))));
        }
    }

    [Test]
    public void Match_PrfOnWithTheShippedModel_ReranksTheFeedbackLists()
    {
        // The shipped model was trained on retrieved lists only (nothing appended), so it fits RM3 lists: no warning,
        // and its order is not the feedback order of --model none.
        using var temp = new TempDir();
        string[] match = ["match", "--no-agenda", "--no-report", "--prf", "on"];
        var shipped = Cli.Run([.. match, "--out", temp["shipped"]]);
        var none = Cli.Run([.. match, "--out", temp["none"], "--model", "none"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((shipped.ExitCode, none.ExitCode), Is.EqualTo((0, 0)), shipped.Err + none.Err);
            Assert.That(shipped.Err + none.Err, Does.Not.Contain("judged answers BM25 missed appended"));
            Assert.That(File.ReadAllBytes(Path.Combine(temp["shipped"], "demand_matches.csv")),
                Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(temp["none"], "demand_matches.csv"))), "reranked, not the feedback order");
        }
    }

    [Test]
    public void Match_PrfOnWithCluster_UsageError()
    {
        using var temp = new TempDir();
        var result = Cli.Run("match", "--out", temp["out"], "--model", "none", "--prf", "on", "--cluster", "redis://127.0.0.1:1");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain("--prf on does not work with --cluster"));
    }

    [TestCase("--max-query-terms", "340", "--max-query-terms (340) + --prf-terms (10) must be at most 340")]
    [TestCase("--prf-weight", "1.5", "--prf-weight must be between 0 and 1")]
    [TestCase("--prf-terms", "0", "--prf-terms must be at least 1")]
    [TestCase("--prf", "maybe", "maybe")]
    public void Evaluate_BadFeedbackSetting_UsageError(string option, string value, string message)
    {
        string[] on = option == "--prf" ? [] : ["--prf", "on"];
        var result = Cli.Run(["evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", "judgments.qrels",
            .. on, option, value]);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Err, Does.Contain(message));
    }

    [Test]
    public void Explain_SemanticOn_PrintsTheBridges_Off_None()
    {
        string[] explain = ["explain", "--demand", "D001", "--achievement", "A001", "--model", "none"];
        var on = Cli.Run([.. explain, "--semantic", "on"]);
        var again = Cli.Run([.. explain, "--semantic", "on"]);
        var off = Cli.Run(explain);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((on.ExitCode, off.ExitCode), Is.EqualTo((0, 0)), on.Err + off.Err);
            Assert.That(on.Out, Does.Match(@"语义关联 bridges  \S+ ↔ \S+"));
            Assert.That(again.Out, Is.EqualTo(on.Out), "the same vectors, the same bridges");
            Assert.That(off.Out, Does.Not.Contain("语义关联"));
        }
    }
}
