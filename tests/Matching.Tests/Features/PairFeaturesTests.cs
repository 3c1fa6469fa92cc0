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
        Assert.That(PairFeatures.Count, Is.EqualTo(33));
        Assert.That(PairFeatures.Hash, Does.Match("^[0-9a-f]{16}$"));
        // Every feature can be named in an explanation.
        Assert.That(Matching.Ranking.PairExplainer.Labels.Keys, Is.EquivalentTo(PairFeatures.Names));
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
    public void Compute_ReorderedTitle_OrderAwareFeaturesExact()
    {
        // The Traditional achievement title is normalised to 图像识别的深度学习方法: the same words as the demand's
        // title, in the other order; only 深度学习 or 图像识别 can be matched in order.
        Achievement[] achievements =
        [
            new() { Id = "A1", Title = "圖像識別的深度學習方法" },
            new() { Id = "A2", Title = "基于深度学习的图像识别方法" },
        ];
        var space = FeatureSpace.Build(achievements, [new Demand { Id = "D1", Title = "基于深度学习的图像识别" }]);

        var reordered = Row(space, "D1", "A1");
        var extended = Row(space, "D1", "A2");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Get(reordered, "char_lcs_ratio"), Is.EqualTo(4f / 11));
            Assert.That(Get(reordered, "char_edit_distance"), Is.EqualTo(10f / 11));
            Assert.That(Get(reordered, "title_bigram_jaccard"), Is.EqualTo(6f / 14), "shared: 深度 度学 学习 图像 像识 识别");
            Assert.That(Get(extended, "char_lcs_ratio"), Is.EqualTo(1f));
            Assert.That(Get(extended, "char_edit_distance"), Is.EqualTo(2f / 13));
            Assert.That(Get(extended, "title_bigram_jaccard"), Is.EqualTo(10f / 12));
            Assert.That(Get(reordered, "char_jaccard"), Is.EqualTo(Get(extended, "char_jaccard")).Within(0.2f));
            Assert.That(Get(reordered, "char_order_loss"), Is.EqualTo(5f / 9), "9 letters in common (all but 基于), 4 in order");
            Assert.That(Get(extended, "char_order_loss"), Is.Zero);
        }
    }

    [Test]
    public void Compute_SwappedWords_LowerOrderFeaturesThanIdentical()
    {
        // A PAWS-X-style adversary: the same words, swapped, mean the opposite.
        Achievement[] achievements =
        [
            new() { Id = "same", Title = "高校向企业转让锂电池正极材料专利" },
            new() { Id = "swapped", Title = "企业向高校转让锂电池正极材料专利" },
        ];
        Demand[] demands =
        [
            new() { Id = "D", Title = "高校向企业转让锂电池正极材料专利" },
            new() { Id = "T", Title = "高校向企業轉讓鋰電池正極材料專利" },
        ];
        var space = FeatureSpace.Build(achievements, demands);

        var same = Row(space, "D", "same");
        var swapped = Row(space, "D", "swapped");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Get(swapped, "char_jaccard"), Is.EqualTo(Get(same, "char_jaccard")), "the same characters");
            Assert.That(Get(same, "word_pair_overlap"), Is.EqualTo(1f));
            Assert.That(Get(swapped, "word_pair_overlap"), Is.LessThan(Get(same, "word_pair_overlap")));
            Assert.That(Get(same, "char_lcs_ratio"), Is.EqualTo(1f));
            Assert.That(Get(swapped, "char_lcs_ratio"), Is.EqualTo(13f / 16), "企业 then 转让锂电池正极材料专利: 高校 and 向 are out of order");
            Assert.That(Get(same, "char_edit_distance"), Is.Zero);
            Assert.That(Get(swapped, "char_edit_distance"), Is.EqualTo(4f / 16));
            Assert.That(Get(same, "char_order_loss"), Is.Zero);
            Assert.That(Get(swapped, "char_order_loss"), Is.EqualTo(3f / 16), "all 16 letters in common, 13 in order");
            Assert.That(Row(space, "T", "swapped"), Is.EqualTo(swapped), "Traditional script, same row");
        }
    }

    [Test]
    public void Compute_NumericSpecs_MetConflictingOrUnknown()
    {
        Achievement[] achievements =
        [
            new() { Id = "A92", Title = "高镍正极包覆改性", Abstract = "循环1000次后容量保持率达到92%。" },
            new() { Id = "A85", Title = "高镍正极包覆改性", Abstract = "循环1000次后容量保持率为85%。" },
        ];
        Demand[] demands =
        [
            new() { Id = "D", Title = "正极材料改性", Description = "要求容量保持率≥90%" },
            new() { Id = "T", Title = "正極材料改性", Description = "容量保持率不低於90%，循環壽命1000次以上" },
            new() { Id = "bare", Title = "正极材料改性", Description = "循环寿命1000" },
        ];
        var space = FeatureSpace.Build(achievements, demands);

        (float, float) Specs(string demand, string achievement)
        {
            var row = Row(space, demand, achievement);
            return (Get(row, "spec_met"), Get(row, "spec_conflict"));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Specs("D", "A92"), Is.EqualTo((1f, 0f)));
            Assert.That(Specs("D", "A85"), Is.EqualTo((0f, 1f)));
            Assert.That(Specs("T", "A92"), Is.EqualTo((2f, 0f)), "Traditional: 不低於 → 不低于; 1000次 meets 1000次以上");
            Assert.That(Specs("T", "A85"), Is.EqualTo((1f, 1f)));
            Assert.That(Specs("bare", "A92"), Is.EqualTo((-1f, -1f)), "1000 without a unit is no spec");
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

    [Test]
    public void Compute_FastPath_EqualsReference_LongShortAndMissingTexts_BothDirections()
    {
        // Short texts either side of 64 and 128 letters (one or two bit-vector words; edit distance unknown past 128),
        // leads past 512 letters, no title (keywords or body instead), Traditional script, and numeric specs.
        const string Sentence = "针对高镍三元正极材料循环过程中容量衰减快的问题，采用原子层沉积包覆纳米氧化铝，循环1000次容量保持率达92%。";
        string Repeat(string text, int length) => string.Concat(Enumerable.Repeat(text, (length / text.Length) + 1))[..length];
        Achievement[] achievements =
        [
            new() { Id = "A0", Title = Repeat("一种高镍三元锂离子电池正极材料的表面包覆改性技术", 70), Abstract = Repeat(Sentence, 700) },
            new() { Id = "A1", Title = Repeat("基于深度学习的工业产品表面缺陷视觉检测系统", 140), Abstract = Sentence },
            new() { Id = "A2", Abstract = Repeat(Sentence, 300), Keywords = ["正极材料", "容量保持率"] },
            new() { Id = "A3", Abstract = Repeat("利用分子標記輔助選擇，將廣譜抗稻瘟病基因聚合到優質雜交水稻親本中，畝產提高8.5%以上。", 900) },
            new() { Id = "A4", Title = "Li-ion battery cathode 5G", Abstract = "循环寿命不低于2000次，工作温度-20~60℃。" },
            new() { Id = "A5", Title = "。", Abstract = "" },
        ];
        Demand[] demands =
        [
            new() { Id = "D0", Title = Repeat("动力电池正极材料循环寿命提升与容量保持率改进", 65), Description = "循环1000次后容量保持率不低于90%。" },
            new() { Id = "D1", Title = Repeat("沖壓件表面缺陷自動檢測", 130), Description = "檢測準確率99%以上" },
            new() { Id = "D2", Keywords = ["正极材料", "循环寿命", "包覆改性"], Description = Repeat(Sentence, 200) },
            new() { Id = "D3", Description = Repeat("公司在南方推广杂交水稻，需要抗稻瘟病基因的分子标记辅助育种技术，工作温度≤80℃。", 260) },
            new() { Id = "D4", Title = "電池", Description = "" },
        ];
        var space = FeatureSpace.Build(achievements, demands);
        var n = PairFeatures.Count;
        var a = achievements.Select(x => space.Achievement(x.Id)).ToList();
        var d = demands.Select(x => space.Demand(x.Id)).ToList();

        using (Assert.EnterMultipleScope())
        {
            foreach (var demand in d)
            {
                var rows = new float[a.Count * n];
                space.Extractor.Compute(demand, a, rows);
                AssertRowsEqualReference(rows, [.. a.Select(x => Reference(space, demand, x))], n);
            }

            foreach (var achievement in a)
            {
                var rows = new float[d.Count * n];
                space.Extractor.Compute(achievement, d, rows, demandIsQuery: false);
                AssertRowsEqualReference(rows, [.. d.Select(x => Reference(space, x, achievement))], n);
            }
        }

        var lcs = PairFeatures.Names.ToList().IndexOf("char_edit_distance");
        var forward = space.ForDemand("D0", ["A0", "A1"]);
        Assert.That((forward[lcs], forward[n + lcs]), Is.EqualTo((forward[lcs], -1f)), "A1's title is over 128 letters");
    }

    private static void AssertRowsEqualReference(float[] rows, List<float[]> reference, int n)
    {
        ReferenceListColumns(reference);
        for (var i = 0; i < reference.Count; i++)
        {
            Assert.That(Bits(rows.AsSpan(i * n, n).ToArray()), Is.EqualTo(Bits(reference[i])), $"candidate {i}");
        }
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
