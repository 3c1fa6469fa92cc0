using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

/// <summary>Records accepted with a gap (no title, no text, no organisation) or entered twice are warned, naming file,
/// line and field, in file order.</summary>
public sealed class DataQualityTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_RecordsWithGaps_AcceptedAndWarnedWithFileLineAndField()
    {
        var path = _files.Write("achievements.csv",
            "成果编号,成果名称,成果简介,关键词,完成单位\n"
            + "A001,基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。,锂电池,清华大学\n"
            + "A002,,本成果提出一种光伏组件缺陷检测方法。,光伏,浙江大学\n"
            + "A003,一種高能量密度鋰離子電池正極材料,,鋰離子電池,\n"
            + "A004, 基于深度学习的锂电池健康状态估计 ,本成果提出一种锂电池健康状态估计方法！,锂电池,北京大学\n");

        var result = RecordReader.ReadAchievements(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(a => a.Id), Is.EqualTo(new[] { "A001", "A002", "A003", "A004" }));
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Warnings, Is.Empty);
            Assert.That(result.DataQuality.Select(w => (w.Kind, w.Warning.Message)), Is.EqualTo(new[]
            {
                (DataQualityKind.NoTitle, $"{path}:3: field 'title': empty: the record has no title (kept, matched on its abstract and keywords)"),
                (DataQualityKind.NoText, $"{path}:4: field 'abstract': empty: the record has no abstract (kept, matched on its title and keywords only)"),
                (DataQualityKind.NoOrganization, $"{path}:4: field 'organization': empty: the record names no organization (kept; pairs and the agenda show it as an organization of its own)"),
                (DataQualityKind.DuplicateText, $"{path}:5: field 'title': id 'A004' has the same title and abstract as id 'A001' at line 2 (kept: both are matched)"),
            }));
        }
    }

    [Test]
    public void ReadDemands_KeywordOnlyDemand_WarnedForTitleAndDescription()
    {
        var path = _files.Write("demands.jsonl",
            "{\"id\":\"D1\",\"keywords\":[\"动力电池\",\"寿命预测\"],\"organization\":\"宁德时代\"}\n");

        var result = RecordReader.ReadDemands(path);

        Assert.That(result.DataQuality.Select(w => w.Warning.Message), Is.EqualTo(new[]
        {
            $"{path}:1: field 'title': empty: the record has no title (kept, matched on its description and keywords)",
            $"{path}:1: field 'description': empty: the record has no description (kept, matched on its title and keywords only)",
        }));
    }

    [Test]
    public void ReadDemands_SameTitleDifferentDescription_NotADuplicate()
    {
        var path = _files.Write("demands.csv",
            "需求编号,需求名称,需求描述,企业名称\n"
            + "D1,动力电池寿命预测,需要预测动力电池的剩余使用寿命。,宁德时代\n"
            + "D2,动力电池寿命预测,需要预测储能电站电池的健康状态。,比亚迪\n");

        Assert.That(RecordReader.ReadDemands(path).DataQuality, Is.Empty);
    }

    [Test]
    public void ReadDemands_SkippedRow_NoDataQualityWarning()
    {
        var path = _files.Write("demands.csv",
            "需求编号,需求名称,需求描述,企业名称\n"
            + "D1,动力电池寿命预测,需要预测动力电池的剩余使用寿命。,宁德时代\n"
            + "D1,动力电池寿命预测,需要预测动力电池的剩余使用寿命。,\n");

        var result = RecordReader.ReadDemands(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Problems, Has.Count.EqualTo(1));
            Assert.That(result.DataQuality, Is.Empty);
        }
    }

    [Test]
    public void ReadSampleEvent_CleanData_NoDataQualityWarnings()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordReader.ReadAchievements(Matching.Ingestion.SampleEvent.AchievementsCsv).DataQuality, Is.Empty);
            Assert.That(RecordReader.ReadDemands(Matching.Ingestion.SampleEvent.DemandsCsv).DataQuality, Is.Empty);
        }
    }

    [Test]
    public void TextKey_CaseSpacesPunctuationAndFullWidthFolded()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(DataQualityCheck<Demand>.TextKey("ＡＩ质检系统", "需要检测 PCB 缺陷，精度99%。"),
                Is.EqualTo(DataQualityCheck<Demand>.TextKey("ai质检系统", "需要检测PCB缺陷,精度99%")));
            Assert.That(DataQualityCheck<Demand>.TextKey("质检", "系统"), Is.Not.EqualTo(DataQualityCheck<Demand>.TextKey("质检系统", "")));
        }
    }
}
