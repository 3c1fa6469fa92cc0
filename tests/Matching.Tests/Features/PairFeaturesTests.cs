using Matching.Features;

namespace Matching.Tests.Features;

public sealed class PairFeaturesTests
{
    private static float[] Row(FeatureSpace space, string demand, string achievement) => space.ForDemand(demand, [achievement]);

    private static float Get(float[] row, string name) => row[PairFeatures.Names.ToList().IndexOf(name)];

    [Test]
    public void Names_AreDistinctAndHashIsStable()
    {
        Assert.That(PairFeatures.Names, Is.Unique);
        Assert.That(PairFeatures.Count, Is.EqualTo(25));
        Assert.That(PairFeatures.Hash, Does.Match("^[0-9a-f]{16}$"));
    }

    [Test]
    public void Compute_MatchingPair_ScoresAboveUnrelatedPair()
    {
        var space = FeatureSpace.Build(TestRecords.Achievements, TestRecords.Demands);

        var good = Row(space, "D1", "A1");
        var bad = Row(space, "D1", "A4");

        using (Assert.EnterMultipleScope())
        {
            foreach (var name in new[] { "bm25", "bm25_reverse", "idf_coverage_demand", "idf_coverage_achievement", "keyword_exact", "word_jaccard", "bigram_jaccard" })
            {
                Assert.That(Get(good, name), Is.GreaterThan(Get(bad, name)), name);
            }

            // 正极材料 is a demand keyword found verbatim in A1; 循环寿命 is not.
            Assert.That(Get(good, "keyword_exact"), Is.EqualTo(0.5f));
            Assert.That(Get(bad, "max_idf_unmatched_demand"), Is.GreaterThan(0f));
        }
    }

    [Test]
    public void Compute_TraditionalDemand_SameFeaturesAsSimplified()
    {
        var simplified = TestRecords.VisionDemand with
        {
            Id = "S",
            Title = "冲压件表面缺陷自动检测",
            Description = "本企业冲压生产线目前依靠人工目检，漏检率高。寻求基于机器视觉和深度学习的表面缺陷检测方案，要求检测准确率99%以上，能与现有PLC联动。",
            Keywords = ["缺陷检测", "机器视觉"],
        };
        var space = FeatureSpace.Build(TestRecords.Achievements, [.. TestRecords.Demands, simplified]);

        Assert.That(Row(space, "D2", "A2"), Is.EqualTo(Row(space, "S", "A2")));
    }

    [Test]
    public void Compute_MissingMetadata_IsAValueNotNaN()
    {
        var space = FeatureSpace.Build(TestRecords.Achievements, TestRecords.Demands);

        var row = Row(space, "D1", "A1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row, Has.None.NaN);
            Assert.That(Get(row, "domain_fit"), Is.EqualTo(-1f));
            Assert.That(Get(row, "same_region"), Is.EqualTo(-1f));
            Assert.That(Get(row, "maturity_fit"), Is.EqualTo(-10f));
        }
    }

    [Test]
    public void Compute_StatedMetadata_Compared()
    {
        var achievement = TestRecords.Battery with { Field = "新能源", Region = "湖南省", Maturity = "中试" };
        var demand = TestRecords.BatteryDemand with { Industry = "新能源", Region = "湖南", RequiredMaturity = "TRL 4" };
        var space = FeatureSpace.Build([achievement], [demand]);

        var row = Row(space, "D1", "A1");

        Assert.That((Get(row, "domain_fit"), Get(row, "same_region"), Get(row, "maturity_fit")), Is.EqualTo((1f, 1f, 2f)));
    }

    [Test]
    public void Compute_ListFeatures_RankAndNormWithinTheList()
    {
        var space = FeatureSpace.Build(TestRecords.Achievements, TestRecords.Demands);

        var rows = space.ForDemand("D1", ["A4", "A1", "A2"]);

        var n = PairFeatures.Count;
        var rank = PairFeatures.Names.ToList().IndexOf("bm25_rank");
        var norm = PairFeatures.Names.ToList().IndexOf("bm25_norm");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows[n + rank], Is.EqualTo(1f), "A1 has the best BM25");
            Assert.That(rows[n + norm], Is.EqualTo(1f));
            Assert.That(rows[rank], Is.GreaterThan(1f));
        }
    }

    [Test]
    public void Build_Twice_IdenticalFeatures()
    {
        var first = FeatureSpace.Build(SampleEvent.Achievements, SampleEvent.Demands);
        var second = FeatureSpace.Build(SampleEvent.Achievements, SampleEvent.Demands);
        var ids = SampleEvent.Achievements.Select(a => a.Id).ToList();

        foreach (var demand in SampleEvent.Demands.Take(10))
        {
            Assert.That(second.ForDemand(demand.Id, ids), Is.EqualTo(first.ForDemand(demand.Id, ids)), demand.Id);
        }
    }

    [Test]
    public void ForAchievement_RowsAreStillDemandAchievementFeatures()
    {
        var space = FeatureSpace.Build(TestRecords.Achievements, TestRecords.Demands);

        var reverse = space.ForAchievement(space.Achievement("A1"), ["D1"]);
        var forward = space.ForDemand("D1", ["A1"]);

        Assert.That(reverse, Is.EqualTo(forward));
    }
}

public sealed class MetadataTests
{
    [TestCase("TRL 6", 6)]
    [TestCase("trl-3", 3)]
    [TestCase("中试", 6)]
    [TestCase("中試階段", 6)]
    [TestCase("产业化", 8)]
    [TestCase("实验室阶段", 3)]
    [TestCase("小试", 4)]
    [TestCase("", 0)]
    [TestCase("待定", 0)]
    public void MaturityLevel_Examples(string text, int level) => Assert.That(Metadata.MaturityLevel(text), Is.EqualTo(level));

    [TestCase("浙江省", "浙江")]
    [TestCase("北京市", "北京")]
    [TestCase("广西壮族自治区", "广西")]
    [TestCase("廣東省", "广东")]
    public void Region_Examples(string text, string region) => Assert.That(Metadata.Region(text), Is.EqualTo(region));

    [TestCase("新能源", "新能源", 1f)]
    [TestCase("新能源材料", "新能源", 1f)]
    [TestCase("先进制造", "汽车", 0.5f)]
    [TestCase("生物医药", "汽车", 0f)]
    [TestCase("", "汽车", -1f)]
    public void DomainCompatibility_Examples(string field, string industry, float expected) =>
        Assert.That(Metadata.DomainCompatibility(field, industry), Is.EqualTo(expected));
}

public sealed class PairFeatureExtractorTests
{
    [Test]
    public void Compute_FastPath_EqualsReferenceDefinitionBitForBit_BothDirections()
    {
        var space = FeatureSpace.Build(SampleEvent.Achievements, SampleEvent.Demands);
        var n = PairFeatures.Count;
        var achievements = SampleEvent.Achievements.Select(a => space.Achievement(a.Id)).ToList();
        var demands = SampleEvent.Demands.Select(d => space.Demand(d.Id)).ToList();
        var checkedPairs = 0;

        // Every column of every row, the list columns (2: rank of bm25 in the list, 3: bm25 / the list's best) too.
        void AssertSameRows(float[] rows, List<float[]> reference, string query)
        {
            ReferenceListColumns(reference);
            for (var i = 0; i < reference.Count; i++)
            {
                Assert.That(Bits(rows.AsSpan(i * n, n).ToArray()), Is.EqualTo(Bits(reference[i])), $"{query}, candidate {i}");
                checkedPairs++;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            for (var d = 0; d < demands.Count; d++)
            {
                var rows = new float[achievements.Count * n];
                space.Extractor.Compute(demands[d], achievements, rows);
                AssertSameRows(rows, [.. achievements.Select(a => Reference(space, demands[d], a))], SampleEvent.Demands[d].Id);
            }

            for (var a = 0; a < 20; a++)
            {
                var rows = new float[demands.Count * n];
                space.Extractor.Compute(achievements[a], demands, rows, demandIsQuery: false);
                AssertSameRows(rows, [.. demands.Select(d => Reference(space, d, achievements[a]))], SampleEvent.Achievements[a].Id);
            }
        }

        Assert.That(checkedPairs, Is.EqualTo((60 * 120) + (20 * 60)));
    }

    private static float[] Reference(FeatureSpace space, PreparedProfile demand, PreparedProfile achievement)
    {
        var row = new float[PairFeatures.Count];
        space.Extractor.ComputeRowReference(demand, achievement, row);
        return row;
    }

    /// <summary>The list columns by their definition: the 1-based rank of column 0 (bm25) in the list, best first, ties
    /// in list order; and column 0 over the list's best (0 when the best is not positive).</summary>
    private static void ReferenceListColumns(List<float[]> rows)
    {
        var best = rows.Max(r => r[0]);
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(i => rows[i][0]).ThenBy(i => i).ToList();
        for (var rank = 0; rank < order.Count; rank++)
        {
            var row = rows[order[rank]];
            row[2] = rank + 1;
            row[3] = best > 0 ? row[0] / best : 0f;
        }
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    [Test]
    public void Compute_AdHocQueryWithUnseenTerms_NoOutOfRange()
    {
        var space = FeatureSpace.Build(TestRecords.Achievements, TestRecords.Demands);
        var adHoc = space.PrepareDemand(new Demand { Id = "X", Title = "量子点发光二极管的封装工艺", Keywords = ["量子点", "锂离子电池"] });
        var rows = new float[4 * PairFeatures.Count];

        space.Extractor.Compute(adHoc, [.. TestRecords.Achievements.Select(a => space.Achievement(a.Id))], rows);

        Assert.That(rows, Has.None.NaN);
        Assert.That(rows[PairFeatures.Names.ToList().IndexOf("keyword_exact")], Is.EqualTo(0.5f), "锂离子电池 is in A1");
    }
}
