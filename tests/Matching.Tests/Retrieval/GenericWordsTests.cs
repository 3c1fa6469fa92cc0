using Lucene.Net.Store;
using Matching.Features;
using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Tests.Retrieval;

/// <summary>Generic words (技术, 工艺, 合作 …) and bare numbers (1000, 85%) do not drive matches: no weight in retrieval,
/// none in the pair features' idf, never shown as matched terms; topic words (正极材料) and quantities (1000次) do.</summary>
public sealed class GenericWordsTests
{
    // Share nothing but 技术, 工艺, 合作 and 85% (and, in the Traditional one, their Traditional forms).
    private static readonly Achievement Denitration = new()
    {
        Id = "G1",
        Title = "工業廢氣低溫脫硝催化技術",
        Abstract = "本成果開發了低溫選擇性催化還原脫硝工藝，脫硝效率達85%，可與企業合作推廣。",
        Keywords = ["脫硝", "催化還原"],
    };

    private static readonly Achievement ColdChain = new()
    {
        Id = "G2",
        Title = "果蔬气调保鲜包装",
        Abstract = "采用气调包装延长果蔬货架期。",
        Keywords = ["保鲜"],
    };

    private static readonly Demand FreshnessSimplified = new()
    {
        Id = "GD1",
        Title = "果蔬冷链保鲜",
        Description = "我公司希望引进果蔬保鲜工艺技术，使损耗降至85%以下，寻求与高校合作。",
        Keywords = ["保鲜"],
    };

    private static readonly Demand FreshnessTraditional = FreshnessSimplified with
    {
        Title = "果蔬冷鏈保鮮",
        Description = "我公司希望引進果蔬保鮮工藝技術，使損耗降至85%以下，尋求與高校合作。",
    };

    private RAMDirectory _directory = null!;
    private RecordSearcher _searcher = null!;

    [OneTimeSetUp]
    public void BuildIndex()
    {
        _directory = new RAMDirectory();
        IndexBuilder.Update(_directory, RecordKind.Achievements, AnalyzerKind.Jieba,
            TestRecords.Achievements.Append(Denitration).Append(ColdChain).Select(IndexedRecord.From));
        _searcher = new RecordSearcher(_directory, RecordKind.Achievements, AnalyzerKind.Jieba);
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _searcher.Dispose();
        _directory.Dispose();
    }

    [Test]
    public void Search_DemandSharingOnlyTechnologyProcessCooperationAndAPercentage_AchievementNotFound()
    {
        foreach (var demand in new[] { FreshnessSimplified, FreshnessTraditional })
        {
            var hits = _searcher.Search(QueryText.From(demand), 10);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(hits.Select(h => h.Id), Does.Not.Contain("G1"), demand.Title);
                Assert.That(hits[0].Id, Is.EqualTo("G2"), "the achievement sharing the topic word");
                Assert.That(hits[0].MatchedTerms, Is.EquivalentTo(new[] { "果蔬", "保鲜" }));
            }
        }
    }

    [Test]
    public void Search_OnlyGenericWordsAndNumbers_NoQueryTermsAtAll()
    {
        var query = new QueryText("", "希望与企业合作开发技术，使效率提高85%，年产1000", []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_searcher.WeightedTerms(query), Is.Empty);
            Assert.That(_searcher.Search(query, 10), Is.Empty);
        }
    }

    [Test]
    public void Search_BatteryDemand_TopicWordsAndQuantityMatchedGenericWordsNot()
    {
        var hits = _searcher.Search(QueryText.From(TestRecords.BatteryDemand), 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hits[0].Id, Is.EqualTo("A1"));
            Assert.That(hits[0].MatchedTerms, Does.Contain("正极材料").And.Contain("1000次").And.Contain("包覆"));
            Assert.That(hits[0].MatchedTerms, Does.Not.Contain("材料").And.Not.Contain("工艺").And.Not.Contain("1000"));
            Assert.That(hits.SelectMany(h => h.MatchedTerms).Where(t => GenericWords.IsCurated(t) || GenericWords.IsBareNumber(t)), Is.Empty);
        }
    }

    [TestCase("循环寿命 1000 次")]
    [TestCase("循环寿命1000次")]
    [TestCase("循環壽命一千次")]
    public void Search_CycleLifeWithUnit_MatchesTheQuantity(string text)
    {
        var hits = _searcher.Search(new QueryText("", text, []), 10);

        Assert.That(hits[0].Id, Is.EqualTo("A1"));
        Assert.That(hits[0].MatchedTerms, Does.Contain("1000次"));
    }

    [Test]
    public void Search_BareNumber_FindsNothing()
    {
        // A1 holds 1000 (as 1000次) and 92%: neither a bare number nor a percentage is a query term.
        Assert.That(_searcher.Search(new QueryText("", "1000 92%", []), 10), Is.Empty);
    }

    [TestCase("循环寿命 1000 次", "1000次")]
    [TestCase("循环寿命1000次", "1000次")]
    [TestCase("循環壽命一千次", "1000次")]
    [TestCase("使循环1000次后容量保持率不低于90%", "1000次")]
    [TestCase("厚度0.05mm", "0.05mm")]
    [TestCase("年產 5000 噸", "5000吨")]
    [TestCase("在85 ℃下老化", "85℃")]
    [TestCase("孔径0.5 μm", "0.5μm")]
    public void WeightedTerms_NumberWithUnit_QuantityIsAWordBareNumberNoTerm(string text, string quantity)
    {
        var segmented = ChineseSegmenter.Shared.Segment(TextNormalizer.Default.Normalize(text), SegmentMode.Search);
        var terms = _searcher.WeightedTerms(new QueryText("", text, []));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(segmented.Where(t => t.Term == quantity).Select(t => t.PositionIncrement), Is.EqualTo(new[] { 0 }), "stacked on its number");
            Assert.That(terms.Where(t => t.Term == quantity).Select(t => t.Weight), Is.EqualTo(new[] { 1f }), "a whole word's weight");
            Assert.That(terms.Select(t => t.Term).Where(GenericWords.IsBareNumber), Is.Empty);
        }
    }

    [TestCase("1000", true)]
    [TestCase("85%", true)]
    [TestCase("90%", true)]
    [TestCase("0.05", true)]
    [TestCase("85", true)]
    [TestCase("1,000", true)]
    [TestCase("9901", false)]
    [TestCase("7075", false)]
    [TestCase("1000次", false)]
    [TestCase("ncm811", false)]
    [TestCase("5g", false)]
    public void IsBareNumber_ValuesYesNamesAndQuantitiesNo(string term, bool bare)
    {
        Assert.That(GenericWords.IsBareNumber(term), Is.EqualTo(bare));
    }

    [Test]
    public void Curated_EventBoilerplateListedTopicCompoundsNot()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var word in new[] { "技术", "工艺", "合作", "中试", "产品", "提高", "开发", "研究", "应用", "系统", "方法", "材料", "公司", "企业", "需求", "希望", "实现", "项目" })
            {
                Assert.That(GenericWords.IsCurated(word), Is.True, word);
            }

            foreach (var word in new[] { "正极材料", "复合材料", "锂离子电池", "催化剂", "机器视觉", "稻瘟病" })
            {
                Assert.That(GenericWords.IsCurated(word), Is.False, word);
            }
        }
    }

    [TestCase(60, 100, 30, 50, 0f)]        // most records of both sides: nothing
    [TestCase(35, 100, 35, 100, 0.5f)]     // halfway between 20 % and 50 %
    [TestCase(20, 100, 90, 100, 1f)]       // common on one side only
    [TestCase(90, 100, 0, 100, 0.25f)]     // achievement boilerplate (本成果): the floor
    [TestCase(60, 100, 0, 100, 0.625f)]    // halfway between 40 % and 80 % of the achievements
    [TestCase(19, 19, 19, 19, 1f)]         // too few records to tell
    public void CorpusWeight_SharesOfBothSides_ExactWeight(int achievementDf, int achievements, int demandDf, int demands, float weight)
    {
        Assert.That(GenericWords.CorpusWeight(achievementDf, achievements, demandDf, demands), Is.EqualTo(weight).Within(1e-6f));
    }

    /// <summary>数字化 is in 18 of 20 achievements and 18 of 20 demands: a generic word of this corpus, though no list has
    /// it. Retrieval drops it and the pair features give it no idf; a word of one record keeps full weight.</summary>
    [Test]
    public void CorpusWeight_WordInMostRecordsOfBothSides_ZeroInRetrievalAndFeatures()
    {
        var achievements = Enumerable.Range(0, 20).Select(i => new Achievement
        {
            Id = $"A{i:D2}",
            Title = i < 18 ? $"数字化车间第{i}号" : $"车间第{i}号",
            Abstract = i == 0 ? "视觉检测" : "排产调度",
        }).ToList();
        var demands = Enumerable.Range(0, 20).Select(i => new Demand
        {
            Id = $"D{i:D2}",
            Title = i < 18 ? "数字化转型" : "转型",
            Description = i == 0 ? "需要视觉检测" : "需要仓储物流",
        }).ToList();
        using var achievementDirectory = new RAMDirectory();
        using var demandDirectory = new RAMDirectory();
        IndexBuilder.Update(achievementDirectory, RecordKind.Achievements, AnalyzerKind.Jieba, achievements.Select(IndexedRecord.From));
        IndexBuilder.Update(demandDirectory, RecordKind.Demands, AnalyzerKind.Jieba, demands.Select(IndexedRecord.From));
        using var achievementSearcher = new RecordSearcher(achievementDirectory, RecordKind.Achievements, AnalyzerKind.Jieba);
        using var demandSearcher = new RecordSearcher(demandDirectory, RecordKind.Demands, AnalyzerKind.Jieba);
        achievementSearcher.Counterpart = demandSearcher;
        demandSearcher.Counterpart = achievementSearcher;

        var space = FeatureSpace.Build(achievements, demands);
        var demand = space.Demand("D01");
        var words = demand.Profile.Words;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievementSearcher.TermWeight("数字化"), Is.Zero);
            Assert.That(demandSearcher.TermWeight("数字化"), Is.Zero);
            Assert.That(achievementSearcher.TermWeight("视觉"), Is.EqualTo(1f));
            Assert.That(achievementSearcher.Search(QueryText.From(demands[1]), 20).Select(h => h.Id), Is.Empty, "D01 shares only 数字化");
            var hits = achievementSearcher.Search(QueryText.From(demands[0]), 20);
            Assert.That(hits.Select(h => h.Id), Is.EqualTo(new[] { "A00" }));
            Assert.That(hits[0].MatchedTerms, Is.Not.Empty.And.Not.Contain("数字化"));
            Assert.That(demand.WordIdf.Where(idf => idf == 0f).Count(), Is.EqualTo(1), "数字化 alone weighs nothing");
            Assert.That(demand.WordIdf.Count(idf => idf > 0f), Is.EqualTo(words.Length - 1));
        }
    }
}
