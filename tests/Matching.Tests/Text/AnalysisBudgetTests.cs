using Matching.Text;

namespace Matching.Tests.Text;

public sealed class AnalysisBudgetTests
{
    [Test]
    public void Fit_WithinTheBudget_TheSameRecord()
    {
        var achievement = TestRecords.Battery;

        Assert.That(AnalysisBudget.Fit(achievement, 1000), Is.SameAs(achievement));
    }

    [Test]
    public void Fit_OverTheBudget_TitleThenKeywordsThenBodyUntilItIsSpent()
    {
        var demand = new Demand { Id = "D1", Title = "标题五个字", Keywords = ["关键词一", "关键词二", "三"], Description = "描述" + new string('长', 100), Organization = "某公司" };

        var fitted = AnalysisBudget.Fit(demand, 11);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fitted.Title, Is.EqualTo("标题五个字"));
            Assert.That(fitted.Keywords, Is.EqualTo(new[] { "关键词一", "关键" }));
            Assert.That(fitted.Description, Is.Empty);
            Assert.That(fitted.Organization, Is.EqualTo("某公司"));
        }
    }

    [Test]
    public void Fit_CutInsideASurrogatePair_PairDropped()
    {
        var achievement = new Achievement { Id = "A1", Abstract = "ab𠀀cd" };

        Assert.That(AnalysisBudget.Fit(achievement, 3).Abstract, Is.EqualTo("ab"));
    }
}
