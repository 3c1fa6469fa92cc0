using System.Globalization;
using Matching.Reporting;
using Matching.Retrieval;

namespace Matching.Tests.Reporting;

public sealed class TrecRunTests
{
    /// <summary>Orders a run's lines as trec_eval does: by score descending, equal scores by doc id descending.</summary>
    internal static List<string> TrecEvalOrder(IEnumerable<string[]> lines) =>
        [.. lines.OrderByDescending(l => double.Parse(l[4], CultureInfo.InvariantCulture)).ThenByDescending(l => l[2], StringComparer.Ordinal).Select(l => l[2])];

    private static string[][] Written(params (string Id, double Key)[] ranked)
    {
        var query = new QueryMatches("需求D001", [.. ranked.Select((c, i) => new Candidate(c.Id, i + 1, c.Key, []))]);
        using var writer = new StringWriter();
        TrecRun.Write(writer, [query], "matching-reranked");
        return [.. writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))];
    }

    [Test]
    public void Write_TiedKeysRankedByListOrder_ScoresStillReproduceTheRanks()
    {
        // Tied keys ranked A001 before A002: trec_eval would put A002 first on equal scores (doc id descending).
        var lines = Written(("A001", 0.5), ("A002", 0.5), ("A003", 0.5), ("A004", 0.25));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TrecEvalOrder(lines), Is.EqualTo(new[] { "A001", "A002", "A003", "A004" }));
            Assert.That(lines[0][4], Is.EqualTo("0.5"), "the first of the tie is the key itself");
            Assert.That(double.Parse(lines[1][4], CultureInfo.InvariantCulture), Is.EqualTo(Math.BitDecrement(0.5)), "one ulp below");
            Assert.That(lines[3][4], Is.EqualTo("0.25"));
        }
    }

    [Test]
    public void Write_KeysEqualAtSixDecimals_WrittenWithEnoughDigitsToKeepTheirOrder()
    {
        var lines = Written(("A002", 0.12345671), ("A001", 0.12345669), ("A003", 0.1234567));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines.Select(l => l[4]), Is.EqualTo(new[] { "0.12345671", "0.12345669", "0.12345668999999998" }));
            Assert.That(TrecEvalOrder(lines), Is.EqualTo(new[] { "A002", "A001", "A003" }), "a key above the one before it is capped below it");
        }
    }

    [Test]
    public void Write_SinglePrecisionKey_ShortestTextOfTheFloat()
    {
        var lines = Written(("A001", 12.345f), ("A002", 0.1f));

        Assert.That(lines.Select(l => l[4]), Is.EqualTo(new[] { "12.345", "0.1" }));
    }
}
