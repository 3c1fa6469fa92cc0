using Matching.Engine;

namespace Matching.Tests.Engine;

/// <summary><see cref="EngineOptions.MaxAnalyzedChars"/>: text past it is neither indexed nor part of a query.</summary>
public sealed class AnalysisLimitTests
{
    private static readonly Achievement Long = TestRecords.Battery with
    {
        Id = "A9",
        Abstract = new string('。', 2_000) + "钙钛矿叠层",
    };

    [Test]
    public void MatchDemand_TermPastTheBudgetOfAnIndexedRecord_NotFound()
    {
        var demand = new Demand { Id = "D9", Title = "钙钛矿叠层" };
        using var bounded = MatchingEngine.Create([Long, TestRecords.Vision], [demand], new EngineOptions { MaxAnalyzedChars = 1_000 });
        using var unbounded = MatchingEngine.Create([Long, TestRecords.Vision], [demand]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unbounded.MatchDemand(demand, 5).Select(c => c.Id), Does.Contain("A9"));
            Assert.That(bounded.MatchDemand(demand, 5).Select(c => c.Id), Does.Not.Contain("A9"));
            Assert.That(bounded.FindAchievement("A9")!.Abstract, Has.Length.EqualTo(1_000 - Long.Title.Length - Long.Keywords.Sum(k => k.Length)),
                "the index keeps the record as analysed");
        }
    }

    [Test]
    public void MatchAchievement_QueryTermPastTheBudget_NotSearched()
    {
        var demand = new Demand { Id = "D9", Title = "钙钛矿叠层" };
        using var bounded = MatchingEngine.Create([TestRecords.Vision], [demand], new EngineOptions { MaxAnalyzedChars = 1_000 });
        using var unbounded = MatchingEngine.Create([TestRecords.Vision], [demand]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(unbounded.MatchAchievement(Long, 5).Select(c => c.Id), Does.Contain("D9"));
            Assert.That(bounded.MatchAchievement(Long, 5).Select(c => c.Id), Does.Not.Contain("D9"));
        }
    }
}
