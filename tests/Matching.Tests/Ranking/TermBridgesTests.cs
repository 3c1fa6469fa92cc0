using Matching.Engine;
using Matching.Ranking;
using Matching.Text;

namespace Matching.Tests.Ranking;

/// <summary>Bridges in explanations: a demand's unmatched words paired with the achievement's nearest words by
/// word-vector cosine.</summary>
public sealed class TermBridgesTests
{
    /// <summary>Hand-set vectors, so which words are near is known exactly: 死鱼 is near 溶解氧 (cos 0.99) and 增氧机
    /// (0.89), 鱼塘 near 池塘 (0.96); 传感器 and 荧光法 are orthogonal to every demand word.</summary>
    private static WordVectors Vectors()
    {
        (string Word, float[] Vector)[] rows =
        [
            ("死鱼", [1f, 0f, 0f, 0f]),
            ("溶解氧", [0.99f, 0.141f, 0f, 0f]),
            ("增氧机", [0.89f, 0.456f, 0f, 0f]),
            ("鱼塘", [0f, 0f, 1f, 0f]),
            ("池塘", [0f, 0.28f, 0.96f, 0f]),
            ("传感器", [0f, 0f, 0f, 1f]),
            ("荧光法", [0f, 0f, 0f, 1f]),
            ("夏天", [0f, 1f, 0f, 0f]),
        ];
        return new WordVectors([.. rows.Select(r => r.Word)], [.. rows.Select(_ => 10L)], [.. rows.SelectMany(r => r.Vector)], 4, 0, 1, 3);
    }

    private static readonly Achievement Oxygen = new()
    {
        Id = "A1",
        Title = "溶解氧在线监测与增氧机联动",
        Abstract = "荧光法传感器实时测量池塘溶解氧，低于阈值时自动启动增氧机。",
        Organization = "海洋大学",
    };

    private static readonly string OxygenText = SemanticRoute.TextOf(Oxygen);

    private static readonly string[] OxygenTelling = ["溶解氧", "增氧机", "池塘", "传感器", "荧光法"];

    [Test]
    public void Find_PairsUnmatchedDemandWordsWithTheNearestAchievementWords_MostTellingFirst()
    {
        var bridges = TermBridges.Find(Vectors(), ["死鱼", "鱼塘", "夏天"], "鱼塘夏天经常死鱼", OxygenTelling, OxygenText, []);

        // 夏天's nearest achievement word is 增氧机 at cos 0.46, below the threshold: no bridge.
        Assert.That(bridges.Select(b => b.ToString()), Is.EqualTo(new[] { "死鱼 ↔ 溶解氧, 增氧机", "鱼塘 ↔ 池塘" }));
    }

    [Test]
    public void Find_TraditionalDemand_SameBridges()
    {
        var bridges = TermBridges.Find(Vectors(), ["死鱼", "鱼塘", "夏天"], "魚塘夏天經常死魚", OxygenTelling, OxygenText, []);

        Assert.That(bridges.Select(b => b.ToString()), Is.EqualTo(new[] { "死鱼 ↔ 溶解氧, 增氧机", "鱼塘 ↔ 池塘" }));
    }

    [Test]
    public void Find_MatchedTermsAndWordsTheAchievementHas_AreNotBridged()
    {
        // 溶解氧 is matched (shown already) and the achievement contains 池塘 itself: neither is bridged from or to.
        var bridges = TermBridges.Find(Vectors(), ["死鱼", "池塘"], "池塘死鱼", OxygenTelling, OxygenText, ["溶解氧"]);

        Assert.That(bridges.Select(b => b.ToString()), Is.EqualTo(new[] { "死鱼 ↔ 增氧机" }));
    }

    [Test]
    public void Find_GenericWordsOnEitherSide_AreNotBridged()
    {
        // 鱼塘 is not among the demand's telling terms, and 溶解氧/增氧机 not among the achievement's.
        var bridges = TermBridges.Find(Vectors(), ["死鱼"], "鱼塘死鱼", ["池塘", "传感器"], OxygenText, []);

        Assert.That(bridges, Is.Empty);
    }

    [Test]
    public void Find_NearButNotAmongTheWordsTenNearest_IsNotBridged()
    {
        // 传感器 is at cosine 0.6 from 死鱼, but ten other words of the vocabulary are nearer (0.8–0.98): a cosine
        // that high is common in skip-gram vectors, so it is no bridge. With one word fewer it is the tenth nearest.
        string[] nearer = ["浮头", "泛塘", "缺氧", "水温", "闷热", "藻类", "氨氮", "亚硝酸", "溶氧", "暴雨"];
        WordVectors Space(int count)
        {
            (string Word, float[] Vector)[] rows =
            [
                ("死鱼", [1f, 0f, 0f, 0f]),
                ("传感器", [0.6f, 0.8f, 0f, 0f]),
                .. nearer.Take(count).Select((w, i) => (w, new[] { 0.98f - (0.018f * i), 0f, MathF.Sqrt(1 - MathF.Pow(0.98f - (0.018f * i), 2)), 0f })),
            ];
            return new WordVectors([.. rows.Select(r => r.Word)], [.. rows.Select(_ => 10L)], [.. rows.SelectMany(r => r.Vector)], 4, 0, 1, 3);
        }

        var ten = TermBridges.Find(Space(10), ["死鱼"], "死鱼", ["传感器"], "荧光法传感器", []);
        var nine = TermBridges.Find(Space(9), ["死鱼"], "死鱼", ["传感器"], "荧光法传感器", []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ten, Is.Empty);
            Assert.That(nine.Select(b => b.ToString()), Is.EqualTo(new[] { "死鱼 ↔ 传感器" }));
        }
    }

    [Test]
    public void Find_EqualCosines_TiesByWord()
    {
        // 传感器 and 荧光法 have the same vector: the ordinally smaller word comes first, whatever the text order.
        var vectors = new WordVectors(["气味", "传感器", "荧光法"], [10, 10, 10], [0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f], 4, 0, 1, 3);
        var first = TermBridges.Find(vectors, ["气味"], "气味", ["荧光法", "传感器"], "荧光法传感器", []);
        var second = TermBridges.Find(vectors, ["气味"], "气味", ["传感器", "荧光法"], "传感器与荧光法", []);

        var expected = string.CompareOrdinal("传感器", "荧光法") < 0 ? "气味 ↔ 传感器, 荧光法" : "气味 ↔ 荧光法, 传感器";
        Assert.That(first.Select(b => b.ToString()), Is.EqualTo(new[] { expected }));
        Assert.That(second.Select(b => b.ToString()), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void Explain_SemanticRouteOn_ShowsTheBridge_Off_None()
    {
        Achievement[] achievements =
        [
            Oxygen,
            new() { Id = "A2", Title = "仓储AGV调度算法", Abstract = "多台AGV小车路径规划与任务分配，提升仓库拣货效率。", Organization = "理工大学" },
            new() { Id = "A3", Title = "注塑模流分析", Abstract = "通过模流仿真预测注塑件翘曲变形并优化浇口位置。", Organization = "化工大学" },
        ];
        var deadFish = new Demand { Id = "D1", Title = "鱼塘夏天经常死鱼", Organization = "水产公司" };
        var texts = achievements.Select(SemanticRoute.TextOf).Append(SemanticRoute.TextOf(deadFish)).ToList();
        var encoder = WordVectorEncoder.Fit(Vectors(), texts);

        using var on = MatchingEngine.Create(achievements, [deadFish], new EngineOptions { Semantic = true, Encoder = encoder });
        using var off = MatchingEngine.Create(achievements, [deadFish], new EngineOptions());
        var withRoute = on.Explain(deadFish, Oxygen).Explanation;
        var without = off.Explain(deadFish, Oxygen).Explanation;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(withRoute.MatchedTerms, Is.Empty, "the demand shares no word with the achievement");
            // Both words are equally telling here (no achievement has either): the title's order decides.
            Assert.That(withRoute.Bridges?.Select(b => b.ToString()), Is.EqualTo(new[] { "鱼塘 ↔ 池塘", "死鱼 ↔ 溶解氧, 增氧机" }));
            Assert.That(without.Bridges, Is.Null);
        }
    }
}
