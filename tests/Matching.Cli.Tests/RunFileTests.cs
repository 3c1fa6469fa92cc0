using Matching.Aggregation;
using Matching.Ingestion;
using System.Globalization;
using CsvHelper;

namespace Matching.Cli.Tests;

/// <summary>Every run file's score column is its ranking key: trec_eval, which re-sorts each query by score (descending;
/// equal scores by doc id descending) and ignores the rank column, must see the ranking the product reports.</summary>
public sealed class RunFileTests
{
    private static string[][] Lines(string path) =>
        [.. File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))];

    /// <summary>Per query: the doc ids as trec_eval orders them, and as the rank column orders them.</summary>
    private static void AssertTrecEvalOrderIsTheRankOrder(string path, int? expectedLines)
    {
        var lines = Lines(path);
        var queries = lines.GroupBy(l => l[0], StringComparer.Ordinal).ToList();
        var reordered = queries.Where(q =>
        {
            var byScore = q.OrderByDescending(l => double.Parse(l[4], CultureInfo.InvariantCulture))
                .ThenByDescending(l => l[2], StringComparer.Ordinal).Select(l => l[2]);
            var byRank = q.OrderBy(l => int.Parse(l[3], CultureInfo.InvariantCulture)).Select(l => l[2]);
            return !byScore.SequenceEqual(byRank);
        }).Select(q => q.Key).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, expectedLines is { } n ? Has.Length.EqualTo(n) : Is.Not.Empty);
            Assert.That(queries.All(q => q.Select(l => int.Parse(l[3], CultureInfo.InvariantCulture)).SequenceEqual(Enumerable.Range(1, q.Count()))), Is.True,
                "ranks 1..n in file order");
            Assert.That(reordered, Is.Empty, "queries whose scores order them otherwise than their ranks");
            Assert.That(queries.All(q => q.Select(l => l[4]).Distinct().Count() == q.Count()), Is.True, "no two scores of a query tie");
        }
    }

    [TestCase("none")]
    [TestCase(null)]
    public void Match_Sample_RunScoresAreTheStrengthsAndReproduceTheRanks(string? model)
    {
        using var temp = new TempDir();
        string[] args = model is null ? ["match", "--out", temp.Path] : ["match", "--model", model, "--out", temp.Path];

        var result = Cli.Run(args);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        // 10 a demand; without the reranker, BM25 alone: D043 shares topic words with only 8 achievements
        // (generic words such as 技术 and bare numbers are no evidence of a match, so they find nothing more).
        AssertTrecEvalOrderIsTheRankOrder(temp["run.trec"], model == "none" ? 598 : 600);
        // The score written is the key the list is ordered by: the strength demand_matches.csv shows (six decimals
        // there) plus the default soft-preference bonus (same province), not the raw score.
        using var reader = new StreamReader(temp["demand_matches.csv"]);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var strengths = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>()
            .ToDictionary(row => ((string)row["demand_id"], (string)row["achievement_id"]), row => double.Parse((string)row["strength"], CultureInfo.InvariantCulture));
        var achievements = RecordReader.ReadAchievements(Cli.Sample("achievements.csv")).Records.ToDictionary(a => a.Id);
        var demands = RecordReader.ReadDemands(Cli.Sample("demands.csv")).Records.ToDictionary(d => d.Id);
        double Bonus(string demand, string achievement) => PairAggregator.Bonus(demands[demand], achievements[achievement], new SoftPreferences(), "");
        Assert.That(strengths.Keys.Count(k => Bonus(k.Item1, k.Item2) > 0), Is.GreaterThan(0), "some recommendations carry a bonus");
        var off = Lines(temp["run.trec"])
            .Where(l => Math.Abs(double.Parse(l[4], CultureInfo.InvariantCulture) - strengths[(l[0], l[2])] - Bonus(l[0], l[2])) > 1e-6)
            .Select(l => string.Join(' ', l)).ToList();
        Assert.That(off, Is.Empty);
    }

    [TestCase("none")]
    [TestCase(null)]
    public void Evaluate_RunOut_ScoresReproduceTheRanks(string? model)
    {
        using var temp = new TempDir();
        File.WriteAllLines(temp["judgments.qrels"], File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "sample_expected_top1.tsv"))
            .Select(line => line.Split('\t'))
            .Select(parts => $"{parts[0]} 0 {parts[1]} 1"));
        string[] args = ["evaluate", "-a", Cli.Sample("achievements.csv"), "-d", Cli.Sample("demands.csv"), "-j", temp["judgments.qrels"],
            "--depth", "30", "--run-out", temp["run.trec"]];

        var result = Cli.Run(model is null ? args : [.. args, "--model", model]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.Err);
        AssertTrecEvalOrderIsTheRankOrder(temp["run.trec"], null);
    }
}
