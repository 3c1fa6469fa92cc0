using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

/// <summary>Which column is which: row-number columns are never ids, a file without a text column fails at its header, and
/// <see cref="ReadOptions.Columns"/> names the columns no alias knows.</summary>
public sealed class RecordReaderColumnsTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [TestCase("序号", "成果名称,成果简介", "基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。")]
    [TestCase("序號", "成果名稱,成果簡介", "基於深度學習的鋰電池健康狀態估計,本成果提出一種鋰電池健康狀態估計方法。")]
    [TestCase("No.", "成果名称,成果简介", "基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。")]
    [TestCase("行号", "成果名称,成果简介", "基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。")]
    public void ReadAchievements_RowNumberColumnAndNoId_SaysTheRowNumberIsNotAnId(string rowNumber, string headers, string row)
    {
        var path = _files.Write("achievements.csv", $"{rowNumber},{headers}\n1,{row}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: field 'id': no id column ('{rowNumber}' in column 1 numbers the rows, it is not an id); "
            + $"headers seen: {rowNumber}, {headers.Replace(",", ", ", StringComparison.Ordinal)} "
            + "(expected one of: id, 成果编号, 编号, 成果id, achievement_id, 项目编号; or name it with --columns id=HEADER)"));
    }

    [Test]
    public void ReadDemands_RowNumberBeforeId_IdFromTheIdColumnAndRowNumberKept()
    {
        var path = _files.Write("demands.csv", "序号,需求编号,需求名称,需求描述\n1,D-2024-07,动力电池寿命预测,需要预测动力电池的剩余使用寿命。\n");

        var demand = RecordReader.ReadDemands(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Id, Is.EqualTo("D-2024-07"));
            Assert.That(demand.Extra["序号"], Is.EqualTo("1"));
        }
    }

    [Test]
    public void ReadAchievements_NoTextColumn_HeaderErrorListsTheUnrecognisedHeaders()
    {
        var path = _files.Write("achievements.csv", "序号,成果编号,项目名字,项目介绍,完成单位\n1,A001,基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。,清华大学\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Is.EqualTo(
                $"{path}:1: no text column: no header means title, abstract or keywords; headers not recognised: 项目名字, 项目介绍 "
                + "(name yours with --columns, e.g. --columns title=项目名字,abstract=项目介绍)"));
            Assert.That(error.Line, Is.EqualTo(1));
        }
    }

    [Test]
    public void ReadDemands_NoTextColumnTraditional_HeaderErrorNamesDescription()
    {
        var path = _files.Write("demands.csv", "需求編號,需求項目,需求說明文字\nD1,電池壽命預測,需要預測動力電池的剩餘壽命。\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadDemands(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: no text column: no header means title, description or keywords; headers not recognised: 需求項目, 需求說明文字 "
            + "(name yours with --columns, e.g. --columns title=需求項目,description=需求說明文字)"));
    }

    [Test]
    public void ReadAchievements_Columns_NameHeadersNoAliasKnows()
    {
        var path = _files.Write("achievements.csv", "序号,成果编号,项目名字,项目介绍,完成单位\n1,A001,基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。,清华大学\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["title"] = "项目名字", ["abstract"] = "项目介绍" } };

        var result = RecordReader.ReadAchievements(path, options);

        var achievement = result.Records.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Title, Is.EqualTo("基于深度学习的锂电池健康状态估计"));
            Assert.That(achievement.Abstract, Is.EqualTo("本成果提出一种锂电池健康状态估计方法。"));
            Assert.That(achievement.Extra.Keys, Is.EqualTo(new[] { "序号" }));
            Assert.That(result.DataQuality, Is.Empty);
        }
    }

    [Test]
    public void ReadAchievements_ColumnsHeaderInTraditionalScript_MatchesTheSimplifiedHeader()
    {
        var path = _files.Write("achievements.csv", "成果编号,项目名称正式,成果简介\nA001,一種鋰電池正極材料,本發明公開了一種高鎳三元正極材料。\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["title"] = "項目名稱正式" } };

        var achievement = RecordReader.ReadAchievements(path, options).Records.Single();

        Assert.That(achievement.Title, Is.EqualTo("一種鋰電池正極材料"));
    }

    [Test]
    public void ReadAchievements_ColumnsWinOverAliases_TheAliasColumnIsKeptAsExtra()
    {
        var path = _files.Write("achievements.csv", "id,名称,正式名称,摘要\nA001,锂电池,一种高能量密度锂离子电池正极材料,本发明公开了一种高镍三元正极材料。\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["title"] = "正式名称" } };

        var achievement = RecordReader.ReadAchievements(path, options).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Title, Is.EqualTo("一种高能量密度锂离子电池正极材料"));
            Assert.That(achievement.Extra["名称"], Is.EqualTo("锂电池"));
        }
    }

    [Test]
    public void ReadAchievements_ColumnsNameARowNumberAsId_TheExplicitChoiceIsTaken()
    {
        var path = _files.Write("achievements.csv", "序号,成果名称\n1,基于深度学习的锂电池健康状态估计\n2,光伏组件缺陷检测\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["id"] = "序号" } };

        var ids = RecordReader.ReadAchievements(path, options).Records.Select(a => a.Id);

        Assert.That(ids, Is.EqualTo(new[] { "1", "2" }));
    }

    [Test]
    public void ReadAchievements_ColumnsHeaderNotInFile_HeaderErrorNamesFileAndField()
    {
        var path = _files.Write("achievements.csv", "成果编号,成果名称\nA001,锂电池\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["abstract"] = "项目介绍" } };

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, options));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: field 'abstract': --columns names the header '项目介绍', which the file does not have; headers seen: 成果编号, 成果名称"));
    }

    [Test]
    public void ReadDemands_ColumnsForAchievementsOnly_LeftToTheAchievementsFile()
    {
        var path = _files.Write("demands.csv", "需求编号,需求名称\nD1,动力电池寿命预测\n");
        var options = new ReadOptions
        {
            Columns = new Dictionary<string, string> { ["achievements.title"] = "项目名字", ["ipType"] = "专利情况", ["demands.budget"] = "需求名称" },
        };

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadDemands(path, options));

        // ipType is no demand field, achievements.title not for demands; demands.budget takes 需求名称 from the title.
        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: no text column: no header means title, description or keywords; headers not recognised: none "
            + "(name yours with --columns, e.g. --columns title=HEADER,description=HEADER)"));
    }

    [Test]
    public void ReadDemands_ColumnsAbstract_LeftToTheAchievementsFile()
    {
        var path = _files.Write("demands.csv", "需求编号,需求名称,需求背景\nD1,动力电池寿命预测,需要预测动力电池的剩余使用寿命。\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["abstract"] = "项目介绍", ["description"] = "需求背景" } };

        var demand = RecordReader.ReadDemands(path, options).Records.Single();

        Assert.That(demand.Description, Is.EqualTo("需要预测动力电池的剩余使用寿命。"));
    }

    [Test]
    public void ReadAchievements_SharedFieldHeaderNotInFile_SuggestsThePrefix()
    {
        var path = _files.Write("achievements.csv", "成果编号,成果名称\nA001,锂电池\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["organization"] = "需求方" } };

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, options));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: field 'organization': --columns names the header '需求方', which the file does not have; headers seen: 成果编号, 成果名称; "
            + "if only the demands file has it, write demands.organization=需求方"));
    }

    [Test]
    public void ReadDemands_ColumnsInJsonl_NameKeys()
    {
        var path = _files.Write("demands.jsonl", "{\"id\":\"D1\",\"需求项目\":\"动力电池寿命预测\",\"详细说明\":\"需要预测动力电池的剩余使用寿命。\"}\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["title"] = "需求项目", ["description"] = "详细说明" } };

        var demand = RecordReader.ReadDemands(path, options).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Title, Is.EqualTo("动力电池寿命预测"));
            Assert.That(demand.Description, Is.EqualTo("需要预测动力电池的剩余使用寿命。"));
        }
    }

    [Test]
    public void ReadAchievements_ColumnsUnknownFieldOrBlankHeader_OneOptionsError()
    {
        var path = _files.Write("achievements.csv", "成果编号,成果名称\nA001,锂电池\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["titel"] = "项目名字", ["abstract"] = " " } };

        var error = Assert.Throws<ArgumentException>(() => RecordReader.ReadAchievements(path, options));

        Assert.That(error.Message, Is.EqualTo(
            "invalid read options: Columns: unknown field 'titel' (use id, title, abstract, description, keywords, organization, field, "
            + "industry, region, maturity, requiredMaturity, ipType, budget, optionally prefixed achievements. or demands.); "
            + "Columns: no header given for 'abstract' (Parameter 'options')"));
    }

    [Test]
    public void ReadAchievements_ColumnsOneHeaderForTwoFields_OptionsError()
    {
        var path = _files.Write("achievements.csv", "成果编号,项目名字,项目介绍\nA001,锂电池,简介\n");
        var options = new ReadOptions { Columns = new Dictionary<string, string> { ["title"] = "项目名字", ["abstract"] = "项目名字" } };

        var error = Assert.Throws<ArgumentException>(() => RecordReader.ReadAchievements(path, options));

        Assert.That(error.Message, Does.StartWith("invalid read options: Columns gives the header '项目名字' to both 'title' and 'abstract'"));
    }

    [Test]
    public void ReadAchievements_ColumnsForThisKindAndForBoth_ThisKindWins()
    {
        var path = _files.Write("achievements.csv", "成果编号,项目名字,项目介绍\nA001,基于深度学习的锂电池健康状态估计,本成果提出一种锂电池健康状态估计方法。\n");
        var options = new ReadOptions
        {
            Columns = new Dictionary<string, string> { ["title"] = "需求项目", ["achievements.title"] = "项目名字", ["abstract"] = "项目介绍" },
        };

        var achievement = RecordReader.ReadAchievements(path, options).Records.Single();

        Assert.That(achievement.Title, Is.EqualTo("基于深度学习的锂电池健康状态估计"));
    }
}
