using System.Text;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class RecordReaderTests
{
    private const string ChineseHeader = "成果编号,成果名称,成果简介,关键词,完成单位,技术领域,地区,成熟度,知识产权,序号";

    private const string SimplifiedRow =
        "A001,一种高能量密度锂离子电池正极材料及其制备方法,本发明公开了一种高镍三元正极材料，循环寿命提高30%。,锂离子电池；正极材料；高镍,清华大学,新能源,北京,中试,发明专利,1";

    private const string TraditionalRow =
        "A002,一種高能量密度鋰離子電池正極材料及其製備方法,本發明公開了一種高鎳三元正極材料。,鋰離子電池、正極材料,國立臺灣大學,新能源,台湾,实验室,发明专利,2";

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [TestCase(true)]
    [TestCase(false)]
    public void ReadAchievements_ChineseHeaders_ReadsEveryField(bool bom)
    {
        var path = _files.Write("achievements.csv", $"{ChineseHeader}\n{SimplifiedRow}\n{TraditionalRow}\n", Encoding.UTF8, bom);

        var result = RecordReader.ReadAchievements(path);

        Assert.That(result.Records, Has.Count.EqualTo(2));
        var first = result.Records[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Id, Is.EqualTo("A001"));
            Assert.That(first.Title, Is.EqualTo("一种高能量密度锂离子电池正极材料及其制备方法"));
            Assert.That(first.Abstract, Is.EqualTo("本发明公开了一种高镍三元正极材料，循环寿命提高30%。"));
            Assert.That(first.Keywords, Is.EqualTo(new[] { "锂离子电池", "正极材料", "高镍" }));
            Assert.That(first.Organization, Is.EqualTo("清华大学"));
            Assert.That(first.Field, Is.EqualTo("新能源"));
            Assert.That(first.Region, Is.EqualTo("北京"));
            Assert.That(first.Maturity, Is.EqualTo("中试"));
            Assert.That(first.IpType, Is.EqualTo("发明专利"));
            Assert.That(first.Extra, Is.EqualTo(new Dictionary<string, string> { ["序号"] = "1" }));
            Assert.That(result.Records[1].Title, Is.EqualTo("一種高能量密度鋰離子電池正極材料及其製備方法"));
            Assert.That(result.Records[1].Keywords, Is.EqualTo(new[] { "鋰離子電池", "正極材料" }));
            Assert.That(result.Problems, Is.Empty);
        }
    }

    [Test]
    public void ReadDemands_EnglishHeaders_ReadsEveryField()
    {
        var path = _files.Write("demands.csv",
            "ID,Title,Description,Keywords,Organization,Industry,Region,Budget,Required_Maturity\n"
            + "D01,动力电池快充技术,希望将快充时间缩短到15分钟以内。,快充;动力电池,宁德某电池有限公司,新能源汽车,福建,200万元,中试\n");

        var demand = RecordReader.ReadDemands(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Id, Is.EqualTo("D01"));
            Assert.That(demand.Title, Is.EqualTo("动力电池快充技术"));
            Assert.That(demand.Description, Is.EqualTo("希望将快充时间缩短到15分钟以内。"));
            Assert.That(demand.Keywords, Is.EqualTo(new[] { "快充", "动力电池" }));
            Assert.That(demand.Organization, Is.EqualTo("宁德某电池有限公司"));
            Assert.That(demand.Industry, Is.EqualTo("新能源汽车"));
            Assert.That(demand.Region, Is.EqualTo("福建"));
            Assert.That(demand.Budget, Is.EqualTo("200万元"));
            Assert.That(demand.RequiredMaturity, Is.EqualTo("中试"));
            Assert.That(demand.Extra, Is.Empty);
        }
    }

    [Test]
    public void ReadDemands_Tsv_SplitsOnTabsOnly()
    {
        var path = _files.Write("demands.tsv",
            "需求编号\t需求名称\t需求描述\n"
            + "D01\t工业废水处理\t含重金属废水，要求处理后达标排放, 成本可控\n");

        var demand = RecordReader.ReadDemands(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Title, Is.EqualTo("工业废水处理"));
            Assert.That(demand.Description, Is.EqualTo("含重金属废水，要求处理后达标排放, 成本可控"));
        }
    }

    [Test]
    public void ReadDemands_KeywordsOnly_IsEnoughText()
    {
        var path = _files.Write("csl.csv", "需求编号,关键词\nD01,石墨烯；散热\n");

        var demand = RecordReader.ReadDemands(path).Records.Single();

        Assert.That(demand.Keywords, Is.EqualTo(new[] { "石墨烯", "散热" }));
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    public void ReadAchievements_MultiLineQuotedField_KeepsNewlinesAndCountsLines(string newline)
    {
        var text = string.Join(newline,
            "成果编号,成果名称,成果简介",
            "A001,锂电池正极材料,\"第一行",
            "第二行",
            "第三行\"",
            ",钠离子电池,没有编号",
            "");
        var path = _files.Write("multiline.csv", text);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));
        var skipped = RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(5));
            Assert.That(skipped.Records.Single().Abstract, Is.EqualTo($"第一行{newline}第二行{newline}第三行"));
        }
    }

    [Test]
    public void ReadAchievements_KeywordsWithEverySeparator_SplitsTrimsAndDeduplicates()
    {
        var path = _files.Write("keywords.csv",
            "id,title,keywords\n"
            + "A001,锂电池,\" 锂电池 ; 正极；高镍,储能，钠电、固态|快充\n隔膜;;锂电池 \"\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        Assert.That(achievement.Keywords, Is.EqualTo(new[] { "锂电池", "正极", "高镍", "储能", "钠电", "固态", "快充", "隔膜" }));
    }

    [Test]
    public void ReadAchievements_UnknownColumns_KeptInExtraUnderTheirHeader()
    {
        var path = _files.Write("extra.csv", "序号,成果编号,成果名称,联系人,联系电话\n1,A001,锂电池,张老师,\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        Assert.That(achievement.Extra, Is.EqualTo(new Dictionary<string, string>
        {
            ["序号"] = "1",
            ["联系人"] = "张老师",
            ["联系电话"] = "",
        }));
    }

    [Test]
    public void ReadAchievements_HeaderVariants_AreRecognised()
    {
        var path = _files.Write("variants.csv",
            " 成果编号* ,成果名称（必填）,成果 简介,IP Type,技术成熟度(必填)\nA001,锂电池,简介文字,发明专利,TRL 6\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Id, Is.EqualTo("A001"));
            Assert.That(achievement.Title, Is.EqualTo("锂电池"));
            Assert.That(achievement.Abstract, Is.EqualTo("简介文字"));
            Assert.That(achievement.IpType, Is.EqualTo("发明专利"));
            Assert.That(achievement.Maturity, Is.EqualTo("TRL 6"));
            Assert.That(achievement.Extra, Is.Empty);
        }
    }

    [Test]
    public void ReadAchievements_TraditionalChineseHeaders_AreRecognised()
    {
        var path = _files.Write("traditional.csv",
            "成果編號,成果名稱,成果簡介,關鍵詞,完成單位\n" + TraditionalRow[..TraditionalRow.IndexOf(",新能源", StringComparison.Ordinal)] + "\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Id, Is.EqualTo("A002"));
            Assert.That(achievement.Abstract, Is.EqualTo("本發明公開了一種高鎳三元正極材料。"));
            Assert.That(achievement.Organization, Is.EqualTo("國立臺灣大學"));
            Assert.That(achievement.Extra, Is.Empty);
        }
    }

    [Test]
    public void ReadAchievements_InvalidOptions_NamesEveryProblem()
    {
        var path = _files.Write("a.csv", "id,title\nA001,锂电池\n");

        var error = Assert.Throws<ArgumentException>(() =>
            RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = (BadRowPolicy)7, Sheet = " " }));

        Assert.That(error.Message, Does.StartWith(
            "invalid read options: OnBadRow must be Fail or Skip, not 7; Sheet must be a sheet name or null for the first sheet, not blank"));
    }

    [Test]
    public void ReadAchievements_ValuesWithSurroundingSpace_AreTrimmed()
    {
        var path = _files.Write("spaces.csv", "id,title,abstract\n  A001 , 锂电池 ,\"  内部  空格  保留  \"\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Id, Is.EqualTo("A001"));
            Assert.That(achievement.Title, Is.EqualTo("锂电池"));
            Assert.That(achievement.Abstract, Is.EqualTo("内部  空格  保留"));
        }
    }

    [Test]
    public void ReadAchievements_StrayQuoteInUnquotedField_KeptAsWritten()
    {
        var path = _files.Write("stray.csv", "id,title\nA001,突破\"卡脖子\"技术的光刻胶\nA002,钠离子电池\n");

        var records = RecordReader.ReadAchievements(path).Records;

        Assert.That(records.Select(r => r.Title), Is.EqualTo(new[] { "突破\"卡脖子\"技术的光刻胶", "钠离子电池" }));
    }

    [Test]
    public void ReadAchievements_EmptyRowsAndBlankLines_SkippedWithoutShiftingLines()
    {
        var path = _files.Write("blank.csv", "\nid,title\n\n,,\n  ,\nA001,锂电池\n,\n");

        var error = Assert.Throws<InputFormatException>(() =>
            RecordReader.ReadAchievements(_files.Write("blank-bad.csv", "\nid,title\n\n,,\nA001,\n")));
        var records = RecordReader.ReadAchievements(path).Records;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.Id), Is.EqualTo(new[] { "A001" }));
            Assert.That(error.Line, Is.EqualTo(5));
        }
    }

    [Test]
    public void ReadAchievements_MissingId_ReportsLineAndField()
    {
        var path = _files.Write("bad.csv", "id,title\nA001,锂电池\n  ,钠离子电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Is.EqualTo($"{path}:3: field 'id': missing id"));
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.EqualTo("id"));
        }
    }

    [Test]
    public void ReadAchievements_DuplicateId_ReportsFirstSeenLine()
    {
        var path = _files.Write("dup.csv", "成果编号,成果名称\nA001,锂电池\nA002,钠电池\nA001,固态电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:4: field 'id': duplicate id (first seen at line 2) (value 'A001')"));
    }

    [Test]
    public void ReadAchievements_NoText_ReportsTitleField()
    {
        var path = _files.Write("notext.csv", "成果编号,成果名称,成果简介,关键词,完成单位\nA001,,,,清华大学\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: field 'title': no text: title, abstract and keywords are all empty"));
    }

    [Test]
    public void ReadDemands_NoText_NamesDescription()
    {
        var path = _files.Write("notext.csv", "需求编号,需求名称,需求单位\nD01,,某公司\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadDemands(path));

        Assert.That(error.Problem, Is.EqualTo("no text: title, description and keywords are all empty"));
    }

    [Test]
    public void ReadAchievements_UnbalancedQuote_ReportsLineWhereQuoteBegan()
    {
        var path = _files.Write("quote.csv",
            "成果编号,成果名称,成果简介\nA001,锂电池,\"正常\n的多行\"\nA002,钠电池,\"没有结束的引号\nA003,固态电池,简介\nA004,氢能,简介\n");

        var error = Assert.Throws<InputFormatException>(() =>
            RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(4));
            Assert.That(error.Field, Is.EqualTo("abstract"));
            Assert.That(error.Problem, Does.StartWith("unbalanced quote"));
        }
    }

    [Test]
    public void ReadAchievements_UnbalancedQuoteAfterMultiLineField_ReportsLineOfTheQuote()
    {
        var path = _files.Write("quote-late.csv",
            "成果编号,成果名称,成果简介\nA001,\"多行\n的标题\",\"未闭合的简介\nA002,钠电池,简介\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:3: field 'abstract': unbalanced quote: the quoted field that starts on this line is never closed"));
    }

    [Test]
    public void ReadAchievements_UnbalancedQuoteInLastField_ReportsItsLine()
    {
        var path = _files.Write("quote-end.csv", "id,title\nA001,锂电池\nA002,\"");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Line, Is.EqualTo(3));
    }

    [Test]
    public void ReadAchievements_NoIdColumn_ListsHeadersSeenAndExpected()
    {
        var path = _files.Write("noid.csv", "成果编码,成果名称,成果简介\nX1,锂电池,简介\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: field 'id': no id column; headers seen: 成果编码, 成果名称, 成果简介 "
            + "(expected one of: id, 成果编号, 编号, 成果id, achievement_id, 项目编号; or name it with --columns id=HEADER)"));
    }

    [Test]
    public void ReadAchievements_TwoColumnsForOneField_FailsAtHeader()
    {
        var path = _files.Write("twice.csv", "id,title,成果名称\nA001,锂电池,锂电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(1));
            Assert.That(error.Field, Is.EqualTo("title"));
            Assert.That(error.Problem, Is.EqualTo("two columns mean this field: 'title' (column 2) and '成果名称' (column 3)"));
        }
    }

    [Test]
    public void ReadAchievements_DuplicatedUnknownHeader_FailsAtHeader()
    {
        var path = _files.Write("dupheader.csv", "id,title,备注,备注\nA001,锂电池,a,b\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: field '备注': duplicate column name (columns 3 and 4)"));
    }

    [Test]
    public void ReadAchievements_DataUnderEmptyHeader_FailsAtHeader()
    {
        var path = _files.Write("noname.csv", "id,title,\nA001,锂电池,\nA002,钠电池,孤儿数据\n");

        var error = Assert.Throws<InputFormatException>(() =>
            RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip }));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: column 3 has no header but holds data (first at line 3)"));
    }

    [Test]
    public void ReadAchievements_EmptyHeaderWithoutData_IsIgnored()
    {
        var path = _files.Write("trailing.csv", "id,title,,\nA001,锂电池,,\n");

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        Assert.That(achievement.Extra, Is.Empty);
    }

    [Test]
    public void ReadAchievements_TooManyCells_ReportsCounts()
    {
        var path = _files.Write("cells.csv", "id,title,abstract\nA001,锂电池,简介\nA002,钠电池,简介,多余\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:3: 4 cells but the header has 3"));
    }

    [Test]
    public void ReadAchievements_TrailingEmptyCells_AreTolerated()
    {
        var path = _files.Write("cells.csv", "id,title\nA001,锂电池,,\n");

        Assert.That(RecordReader.ReadAchievements(path).Records, Has.Count.EqualTo(1));
    }

    [TestCase(new byte[0])]
    [TestCase(new byte[] { 0xEF, 0xBB, 0xBF })]
    [TestCase(new byte[] { 0x20, 0x0D, 0x0A, 0x0A, 0x09 })]
    public void ReadAchievements_EmptyFile_SaysNoHeaderRow(byte[] content)
    {
        var path = _files.WriteBytes("empty.csv", content);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: empty file: no header row"));
    }

    [Test]
    public void ReadAchievements_HeaderOnly_SaysNoRecords()
    {
        var path = _files.Write("header.csv", "成果编号,成果名称\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Problem, Is.EqualTo("no records: the file has a header but no data rows"));
    }

    [Test]
    public void ReadAchievements_SkipPolicy_CollectsProblemsAndKeepsGoodRows()
    {
        var path = _files.Write("mixed.csv",
            "成果编号,成果名称,成果简介\n"
            + "A001,锂电池,简介\n"
            + ",钠电池,简介\n"
            + "A001,重复编号,简介\n"
            + "A003,,\n"
            + "A004,氢燃料电池,简介,多余\n"
            + "A005,固态电池,简介\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A005" }));
            Assert.That(result.Problems.Select(p => (p.Line, p.Field)),
                Is.EqualTo(new (int, string?)[] { (3, "id"), (4, "id"), (5, "title"), (6, null) }));
        }
    }

    [Test]
    public void ReadAchievements_SkipPolicyWithOnlyBadRows_SaysNoRecords()
    {
        var path = _files.Write("allbad.csv", "id,title\n,锂电池\nA002,\n");

        var error = Assert.Throws<InputFormatException>(() =>
            RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip }));

        Assert.That(error.Problem, Is.EqualTo("no records: all 2 data rows have problems"));
    }

    [TestCase("achievements.xls", ".xls")]
    [TestCase("achievements.TXT", ".txt")]
    public void ReadAchievements_UnsupportedExtension_Fails(string name, string extension)
    {
        var path = _files.Write(name, "id,title\nA001,锂电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: unsupported file type '{extension}' (use .csv, .tsv, .jsonl or .xlsx)"));
    }

    [Test]
    public void ReadAchievements_UpperCaseExtension_IsRecognised()
    {
        var path = _files.Write("ACHIEVEMENTS.CSV", "id,title\nA001,锂电池\n");

        Assert.That(RecordReader.ReadAchievements(path).Records, Has.Count.EqualTo(1));
    }

    [Test]
    public void ReadAchievements_MissingFile_SaysNotFound()
    {
        var path = _files.PathOf("missing.csv");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: file not found"));
    }

    [Test]
    public void StreamAchievements_LargeFile_YieldsEveryRowInOrder()
    {
        const int rows = 50_000;
        var text = new StringBuilder("成果编号,成果名称,关键词\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append("A").Append(i).Append(",一种高能量密度锂离子电池正极材料,锂电池；正极\n");
        }

        var path = _files.Write("large.csv", text.ToString());
        var problems = new List<InputFormatException>();

        var count = 0;
        var last = "";
        foreach (var achievement in RecordReader.StreamAchievements(path, ReadOptions.Default, problems))
        {
            count++;
            last = achievement.Id;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.EqualTo(rows));
            Assert.That(last, Is.EqualTo($"A{rows - 1}"));
            Assert.That(problems, Is.Empty);
        }
    }
}
