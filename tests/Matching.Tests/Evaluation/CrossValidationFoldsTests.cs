using Matching.Evaluation;
using Matching.Ingestion;

namespace Matching.Tests.Evaluation;

public sealed class CrossValidationFoldsTests
{
    private static readonly IReadOnlyList<string> s_demands = [.. SampleEvent.Demands.Select(d => d.Id)];

    /// <summary>The sample's hand-checked pairs, plus answers shared between demands on the same subject:
    /// D001 高镍三元正极材料残碱控制 and D002 硅碳负极首效提升 share A001 and A002 (battery materials), and D003 shares D002's
    /// A002 (so D001–D003 form one component through two achievements); D010 was judged against A001 as non-relevant
    /// (grade 0) and D011 with a negative grade, which join nothing.</summary>
    private static List<Judgment> Judgments() =>
    [
        .. SampleEvent.BestPairs,
        new("D001", "A002", 1),
        new("D002", "A001", 2),
        new("D003", "A002", 1),
        new("D010", "A001", 0),
        new("D011", "A001", -1),
    ];

    [Test]
    public void Groups_DemandsSharingARelevantAchievement_OneGroupThroughChains()
    {
        var groups = CrossValidationFolds.Groups(s_demands, Judgments(), FoldGrouping.Components);
        var ofDemand = groups.SelectMany(g => g.Select(d => (Demand: s_demands[d], Group: g))).ToDictionary(x => x.Demand, x => x.Group);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ofDemand["D001"].Select(d => s_demands[d]), Is.EquivalentTo(new[] { "D001", "D002", "D003" }));
            Assert.That(ofDemand["D010"], Has.Length.EqualTo(1), "a grade-0 judgment shares no answer");
            Assert.That(ofDemand["D011"], Has.Length.EqualTo(1), "a negative grade shares no answer");
            Assert.That(groups.Sum(g => g.Length), Is.EqualTo(s_demands.Count));
            Assert.That(groups, Has.Length.EqualTo(s_demands.Count - 2));
        }
    }

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public void Assign_SiblingsSharingAnAnswerNeverStraddleFolds(int seed)
    {
        var judgments = Judgments();
        var fold = CrossValidationFolds.Assign(s_demands, judgments, 5, seed, FoldGrouping.Components)
            .ToDictionary(a => s_demands[a.Demand], a => a.Fold);
        var straddling = judgments.Where(j => j.Grade > 0 && fold.ContainsKey(j.DemandId))
            .GroupBy(j => j.AchievementId)
            .Where(g => g.Select(j => fold[j.DemandId]).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToList();
        var sizes = Enumerable.Range(0, 5).Select(f => fold.Values.Count(v => v == f)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fold, Has.Count.EqualTo(s_demands.Count), "every demand in exactly one fold");
            Assert.That(straddling, Is.Empty, "relevant achievements whose demands are in different folds");
            Assert.That(sizes.Max() - sizes.Min(), Is.LessThanOrEqualTo(3), "balanced up to the largest group");
        }
    }

    [Test]
    public void Assign_SameSeed_SameSplit_OtherSeed_OtherSplit()
    {
        var first = CrossValidationFolds.Assign(s_demands, Judgments(), 5, 1, FoldGrouping.Components);
        var again = CrossValidationFolds.Assign(s_demands, Judgments(), 5, 1, FoldGrouping.Components);
        var other = CrossValidationFolds.Assign(s_demands, Judgments(), 5, 2, FoldGrouping.Components);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(other.OrderBy(a => a.Demand), Is.Not.EqualTo(first.OrderBy(a => a.Demand)));
        }
    }

    [Test]
    public void Assign_Ungrouped_SeededShuffleDealtRoundRobin()
    {
        var shuffled = Enumerable.Range(0, s_demands.Count).ToArray();
        new Random(1).Shuffle(shuffled);

        var assignment = CrossValidationFolds.Assign(s_demands, Judgments(), 5, 1, FoldGrouping.Demands);

        Assert.That(assignment, Is.EqualTo(shuffled.Select((d, i) => new FoldAssignment(d, i % 5))));
    }

    [Test]
    public void Assign_FewerGroupsThanFolds_Refused()
    {
        // Three demands about battery materials, all answered by A001: one group.
        List<Judgment> judgments = [new("D001", "A001", 1), new("D002", "A001", 1), new("D003", "A001", 3)];

        Assert.That(() => CrossValidationFolds.Assign(["D001", "D002", "D003"], judgments, 2, 1, FoldGrouping.Components),
            Throws.ArgumentException.With.Message.Contains("form 1"));
    }
}
