using Matching.Aggregation;
using Matching.Engine;
using Matching.Scheduling;

namespace Matching.Tests.Aggregation;

public sealed class PairAggregatorTests
{
    private static readonly Achievement s_a1 = TestRecords.Battery with { Organization = "中南大学", Region = "湖南省", Maturity = "中试", IpType = "发明专利" };
    private static readonly Achievement s_a2 = TestRecords.Vision with { Organization = "中南大学", Region = "湖南省", Maturity = "实验室阶段", IpType = "软件著作权" };
    private static readonly Achievement s_a3 = TestRecords.Rice with { Organization = "華南農業大學", Region = "广东省" };
    private static readonly Demand s_d1 = TestRecords.BatteryDemand with { Organization = "宁波某新能源科技有限公司", Region = "浙江省", RequiredMaturity = "中试", Industry = "新能源" };
    private static readonly Demand s_d2 = TestRecords.VisionDemand with { Organization = "宁波某新能源科技有限公司", Region = "浙江省", Industry = "先进制造" };

    [Test]
    public void Aggregate_BestPlusDecayedSum_EvidenceStrongestFirst()
    {
        var pairs = PairAggregator.Aggregate(
        [
            (s_d1, s_a1, 1, 0.9),
            (s_d2, s_a2, 1, 0.6),
            (s_d1, s_a2, 3, 0.2),
            (s_d1, s_a3, 2, 0.4),
            (s_d1, s_a1, 1, 0.7), // the same pair from the other direction: counted once, at its strongest
        ], new PairFilters { MinPairScore = 0 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pairs, Has.Count.EqualTo(2));
            Assert.That(pairs[0].University, Is.EqualTo("中南大学"));
            Assert.That(pairs[0].Score, Is.EqualTo(0.9 + (0.5 * 0.6) + (0.25 * 0.2)).Within(1e-9));
            Assert.That(pairs[0].Evidence.Select(e => (e.DemandId, e.AchievementId)), Is.EqualTo(new[] { ("D1", "A1"), ("D2", "A2"), ("D1", "A2") }));
            Assert.That(pairs[1], Is.EqualTo(pairs[1] with { University = "華南農業大學", Score = 0.4 }));
        }
    }

    [Test]
    public void Aggregate_FiltersByIndustryRegionAndMinimumScore()
    {
        var recommendations = new[] { (s_d1, s_a1, 1, 0.9), (s_d2, s_a3, 1, 0.3) };

        var byIndustry = PairAggregator.Aggregate(recommendations, new PairFilters { Industries = ["先进制造"], MinPairScore = 0 });
        var byRegion = PairAggregator.Aggregate(recommendations, new PairFilters { Regions = ["江苏"], MinPairScore = 0 });
        var byScore = PairAggregator.Aggregate(recommendations, new PairFilters());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(byIndustry.Select(p => p.University), Is.EqualTo(new[] { "華南農業大學" }));
            Assert.That(byRegion, Is.Empty);
            Assert.That(byScore.Select(p => p.Score), Is.EqualTo(new[] { 0.9 }), "the default minimum pair score is 0.5");
        }
    }

    [Test]
    public void Allows_MaturityIpTypeAndRegionRules()
    {
        var options = new HardFilters { AllowedIpTypes = ["发明专利"], SameRegionRequiredFor = ["D2"] };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PairAggregator.Allows(s_d1, s_a1, options), Is.True, "中试 meets 中试; 发明专利 allowed");
            Assert.That(PairAggregator.Allows(s_d1, s_a2, options), Is.False, "实验室阶段 is below 中试");
            Assert.That(PairAggregator.Allows(s_d1, s_a3, options), Is.True, "unstated maturity and IP type pass");
            Assert.That(PairAggregator.Allows(s_d2, s_a3, options), Is.False, "D2 insists on its own province");
            var insisting = s_d1 with { Extra = new Dictionary<string, string> { ["限本地"] = "是" } };
            Assert.That(PairAggregator.Allows(insisting, s_a1, new HardFilters()), Is.False, "a 限本地 column insists too");
            Assert.That(PairAggregator.Allows(s_d1, s_a2, new HardFilters { MaturityAtLeastRequired = false }), Is.True);
        }
    }

    [Test]
    public void StrengthAndBonus_Documented()
    {
        var preferences = new SoftPreferences { SameProvince = 0.05, HostRegion = 0.03 };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PairAggregator.Strength(0, reranked: true, 0), Is.EqualTo(0.5));
            Assert.That(PairAggregator.Strength(50, reranked: false, bestBm25: 200), Is.EqualTo(0.25));
            Assert.That(PairAggregator.Bonus(s_d1, s_a1, preferences, "湖南"), Is.EqualTo(0.03).Within(1e-12), "host region only");
            Assert.That(PairAggregator.Bonus(s_d1 with { Region = "湖南" }, s_a1, preferences, "湖南"), Is.EqualTo(0.08).Within(1e-12));
        }
    }
}
