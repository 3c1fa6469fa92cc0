using Matching.Evaluation;

namespace Matching.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    private static IReadOnlySet<string> Set(params string[] ids) => ids.ToHashSet();

    [Test]
    public void Compute_HandWorkedExample()
    {
        var ranked = new Dictionary<string, IReadOnlyList<string>>
        {
            ["q1"] = ["a", "b", "c"],          // relevant at rank 1
            ["q2"] = ["x", "y", "r1", "r2"],   // relevant at ranks 3 and 4, of 2
            // q3 has no results at all: scores 0
        };
        var relevant = new Dictionary<string, IReadOnlySet<string>>
        {
            ["q1"] = Set("a"),
            ["q2"] = Set("r1", "r2"),
            ["q3"] = Set("z"),
            ["q4"] = Set(),                    // no relevant judgment: not averaged
        };

        var m = RankingMetrics.Compute(ranked, relevant);

        var ndcgQ2 = (1 / Math.Log2(4) + 1 / Math.Log2(5)) / (1 + 1 / Math.Log2(3));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Queries, Is.EqualTo(3));
            Assert.That(m.Mrr10, Is.EqualTo((1 + (1.0 / 3) + 0) / 3).Within(1e-12));
            Assert.That(m.Ndcg10, Is.EqualTo((1 + ndcgQ2 + 0) / 3).Within(1e-12));
            Assert.That(m.Recall10, Is.EqualTo(2.0 / 3).Within(1e-12));
            Assert.That(m.Recall100, Is.EqualTo(2.0 / 3).Within(1e-12));
        }
    }

    [Test]
    public void Compute_RelevantBeyondTen_CountsOnlyForRecall100()
    {
        var ranked = new Dictionary<string, IReadOnlyList<string>>
        {
            ["q"] = [.. Enumerable.Range(0, 20).Select(i => "n" + i), "hit"],
        };

        var m = RankingMetrics.Compute(ranked, new Dictionary<string, IReadOnlySet<string>> { ["q"] = Set("hit") });

        Assert.That((m.Mrr10, m.Ndcg10, m.Recall10, m.Recall100), Is.EqualTo((0.0, 0.0, 0.0, 1.0)));
    }
}
