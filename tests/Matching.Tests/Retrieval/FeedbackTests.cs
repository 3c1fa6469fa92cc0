using Matching.Engine;
using Matching.Retrieval;

namespace Matching.Tests.Retrieval;

/// <summary>RM3 pseudo-relevance feedback: a query sharing no word with a record finds it through the words of a
/// record that shares words with both.</summary>
public sealed class FeedbackTests
{
    /// <summary>The answer to the dead-fish demand, in academic words only: no 鱼, 塘, 死, 夏天 or 经常 anywhere.</summary>
    private static readonly Achievement Oxygen = new()
    {
        Id = "A01",
        Title = "溶解氧在线监测与智能增氧系统",
        Abstract = "荧光法溶解氧传感器测量养殖水体溶氧，低于阈值时自动启动叶轮式增氧机。",
        Organization = "海洋大学",
    };

    /// <summary>Shares 鱼塘/死鱼 with the demand and 溶解氧/增氧机 with the answer.</summary>
    private static readonly Achievement Bridge = new()
    {
        Id = "A02",
        Title = "鱼塘死鱼原因调查",
        Abstract = "鱼塘死鱼多由溶解氧不足引起，溶解氧偏低的夜间应开启增氧机。",
        Organization = "水产研究所",
    };

    private static readonly Achievement[] OtherAchievements =
    [
        new() { Id = "A03", Title = "仓储AGV调度算法", Abstract = "多台AGV小车路径规划与任务分配，提升仓库拣货效率。" },
        new() { Id = "A04", Title = "注塑模流分析", Abstract = "通过模流仿真预测注塑件翘曲变形并优化浇口位置。" },
        new() { Id = "A05", Title = "果蔬气调保鲜技术", Abstract = "调节冷库氧气与二氧化碳浓度，延长果蔬贮藏期。" },
        new() { Id = "A06", Title = "锂电池热管理", Abstract = "电池包液冷板设计，降低电芯温差。" },
        new() { Id = "A07", Title = "工业视觉缺陷检测", Abstract = "卷积神经网络识别金属零件表面划痕和凹坑。" },
        new() { Id = "A08", Title = "高盐废水催化氧化", Abstract = "负载型钌催化剂处理化工园区高盐有机废水。" },
        new() { Id = "A09", Title = "水稻分子育种", Abstract = "分子标记辅助选择聚合抗稻瘟病基因。" },
        new() { Id = "A10", Title = "永磁同步电机降噪", Abstract = "优化电机槽极配合，抑制振动与电磁噪声。" },
        new() { Id = "A11", Title = "光伏组件清洗机器人", Abstract = "无水清扫机器人沿组件阵列自动行走除尘。" },
        new() { Id = "A12", Title = "混凝土裂缝自修复", Abstract = "微生物矿化填充混凝土微裂缝，恢复结构强度。" },
    ];

    /// <summary>The demand: enterprise words only.</summary>
    private static readonly Demand DeadFish = new() { Id = "D01", Title = "鱼塘夏天经常死鱼", Organization = "水产合作社" };

    /// <summary>The same demand as a partner's system sends it, in Traditional characters.</summary>
    private static readonly Demand DeadFishTraditional = new() { Id = "D01", Title = "魚塘夏天經常死魚", Organization = "水產合作社" };

    /// <summary>Shares 溶解氧/增氧机 with the achievement and 鱼塘/死鱼 with the dead-fish demand.</summary>
    private static readonly Demand BridgeDemand = new() { Id = "D02", Title = "鱼塘溶解氧偏低导致死鱼", Description = "鱼塘死鱼，希望增氧机按溶解氧自动开关。" };

    private static readonly Demand[] OtherDemands =
    [
        new() { Id = "D03", Title = "仓库拣货太慢", Description = "拣货效率低，想引入AGV。" },
        new() { Id = "D04", Title = "注塑件翘曲", Description = "注塑件翘曲严重，需要优化浇口。" },
        new() { Id = "D05", Title = "草莓运到外地就烂", Description = "冷链保鲜期短。" },
        new() { Id = "D06", Title = "电池温差大", Description = "电池包电芯温差大。" },
        new() { Id = "D07", Title = "零件表面划痕漏检", Description = "人工目检漏检多。" },
        new() { Id = "D08", Title = "化工废水难处理", Description = "高盐有机废水生化处理效果差。" },
        new() { Id = "D09", Title = "水稻稻瘟病严重", Description = "需要抗病品种。" },
        new() { Id = "D10", Title = "电机噪声大", Description = "电机振动噪声超标。" },
        new() { Id = "D11", Title = "光伏板灰尘多", Description = "缺水地区清洗困难。" },
        new() { Id = "D12", Title = "混凝土开裂", Description = "桥面混凝土裂缝修补。" },
    ];

    private static MatchingEngine Engine(bool feedback, float originalWeight = 0.7f) => MatchingEngine.Create(
        [Oxygen, Bridge, .. OtherAchievements],
        [DeadFish, BridgeDemand, .. OtherDemands],
        new EngineOptions { Retrieval = new RetrievalOptions { Feedback = feedback, FeedbackTerms = 20, OriginalQueryWeight = originalWeight } });

    private static List<string> Ids(IEnumerable<Candidate> candidates) => [.. candidates.Select(c => c.Id)];

    [TestCase("鱼塘夏天经常死鱼")]
    [TestCase("魚塘夏天經常死魚")]
    public void Demand_SharingNoWordWithItsAnswer_GetsItOnlyThroughFeedback(string title)
    {
        var demand = DeadFish with { Title = title };
        using var plain = Engine(feedback: false);
        using var expanded = Engine(feedback: true);

        var without = plain.MatchDemand(demand, 12);
        var with = expanded.MatchDemand(demand, 12);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Ids(without), Is.EqualTo(new[] { "A02" }), "by its own words the demand finds only the record that shares them");
            Assert.That(Ids(with), Does.Contain("A01"));
            Assert.That(Ids(with)[0], Is.EqualTo("A02"), "the record sharing the demand's words stays first");
            // Matched terms stay the demand's own words: the answer holds none of them.
            Assert.That(with.Single(c => c.Id == "A01").MatchedTerms, Is.Empty);
            Assert.That(with.Single(c => c.Id == "A02").MatchedTerms, Is.EquivalentTo(new[] { "鱼塘", "死鱼" }));
        }
    }

    [Test]
    public void Achievement_SharingNoWordWithADemand_GetsItOnlyThroughFeedback()
    {
        using var plain = Engine(feedback: false);
        using var expanded = Engine(feedback: true);

        var without = Ids(plain.MatchAchievement(Oxygen, 12));
        var with = Ids(expanded.MatchAchievement(Oxygen, 12));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(without, Is.EqualTo(new[] { "D02" }));
            Assert.That(with, Does.Contain("D01"));
        }
    }

    [Test]
    public void ExcludedRecord_GivesNoFeedback()
    {
        using var expanded = Engine(feedback: true);

        // Without the bridge record (as a pair task drops the demand's own sentence), nothing leads to the answer.
        Assert.That(Ids(expanded.RetrieveForDemand(DeadFish, 12, excludeId: "A02")), Is.Empty);
    }

    [Test]
    public void OriginalQueryWeightOne_RanksAsWithoutFeedback()
    {
        using var plain = Engine(feedback: false);
        using var unexpanded = Engine(feedback: true, originalWeight: 1f);

        Assert.That(Ids(unexpanded.MatchDemand(BridgeDemand, 12)), Is.EqualTo(Ids(plain.MatchDemand(BridgeDemand, 12))));
    }

    [Test]
    public void SameInputs_SameListsAndScores()
    {
        using var first = Engine(feedback: true);
        using var second = Engine(feedback: true);

        foreach (var demand in new[] { DeadFish, DeadFishTraditional, BridgeDemand }.Concat(OtherDemands))
        {
            var a = first.MatchDemand(demand, 12);
            var b = second.MatchDemand(demand, 12);
            Assert.That(a.Select(c => (c.Id, c.Score)), Is.EqualTo(b.Select(c => (c.Id, c.Score))), demand.Id);
        }
    }

    [TestCase(0, 0.5f)]
    [TestCase(10, 1.5f)]
    [TestCase(10, -0.1f)]
    public void InvalidSettings_AreRefused(int terms, float weight)
    {
        var options = new EngineOptions { Retrieval = new RetrievalOptions { Feedback = true, FeedbackTerms = terms, OriginalQueryWeight = weight } };

        Assert.That(() => MatchingEngine.Create([Oxygen], [DeadFish], options), Throws.ArgumentException);
    }
}
