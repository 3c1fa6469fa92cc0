using Matching.Ingestion;
using MiniExcelLibs;

namespace Matching.Tests.Ingestion;

public sealed class RecordReaderXlsxTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private static List<Dictionary<string, object?>> AchievementRows() =>
    [
        new()
        {
            ["成果编号"] = 1001,
            ["成果名称"] = "一种高能量密度锂离子电池正极材料及其制备方法",
            ["关键词"] = "锂离子电池；正极材料",
            ["成熟度"] = "中试",
            ["登记日期"] = new DateTime(2024, 5, 1),
            ["评分"] = 4.5,
        },
        new()
        {
            ["成果编号"] = 1002,
            ["成果名称"] = "一種高能量密度鋰離子電池正極材料及其製備方法",
            ["关键词"] = "鋰離子電池、正極材料",
            ["成熟度"] = null,
            ["登记日期"] = null,
            ["评分"] = null,
        },
    ];

    [Test]
    public void ReadAchievements_WorkbookWithChineseHeader_ReadsNumbersAsInvariantText()
    {
        var path = _files.PathOf("achievements.xlsx");
        MiniExcel.SaveAs(path, AchievementRows());

        var records = RecordReader.ReadAchievements(path).Records;

        Assert.That(records, Has.Count.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records[0].Id, Is.EqualTo("1001"));
            Assert.That(records[0].Title, Is.EqualTo("一种高能量密度锂离子电池正极材料及其制备方法"));
            Assert.That(records[0].Keywords, Is.EqualTo(new[] { "锂离子电池", "正极材料" }));
            Assert.That(records[0].Maturity, Is.EqualTo("中试"));
            Assert.That(records[0].Extra, Is.EqualTo(new Dictionary<string, string> { ["登记日期"] = "2024-05-01", ["评分"] = "4.5" }));
            Assert.That(records[1].Id, Is.EqualTo("1002"));
            Assert.That(records[1].Title, Is.EqualTo("一種高能量密度鋰離子電池正極材料及其製備方法"));
        }
    }

    [Test]
    public void ReadAchievements_SheetWithRowNumberColumnAndNoId_HeaderErrorSaysItIsNotAnId()
    {
        var path = _files.PathOf("achievements.xlsx");
        MiniExcel.SaveAs(path, new List<Dictionary<string, object?>>
        {
            new() { ["序号"] = 1, ["成果名称"] = "基于深度学习的锂电池健康状态估计", ["完成单位"] = "清华大学" },
            new() { ["序号"] = 2, ["成果名称"] = "光伏组件缺陷智能检测系统", ["完成单位"] = "浙江大学" },
        });

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:1: field 'id': no id column ('序号' in column 1 numbers the rows, it is not an id); headers seen: 序号, 成果名称, 完成单位 "
            + "(expected one of: id, 成果编号, 编号, 成果id, achievement_id, 项目编号; or name it with --columns id=HEADER)"));
    }

    [Test]
    public void ReadAchievements_SheetWithRowNumberColumnAndId_IdFromTheIdColumn()
    {
        var path = _files.PathOf("achievements.xlsx");
        MiniExcel.SaveAs(path, new List<Dictionary<string, object?>>
        {
            new() { ["序号"] = 1, ["编号"] = "CG-2024-017", ["成果名称"] = "基于深度学习的锂电池健康状态估计", ["完成单位"] = "清华大学" },
        });

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievement.Id, Is.EqualTo("CG-2024-017"));
            Assert.That(achievement.Extra, Is.EqualTo(new Dictionary<string, string> { ["序号"] = "1" }));
        }
    }

    [Test]
    public void ReadAchievements_BadRow_ReportsExcelRowNumber()
    {
        var rows = AchievementRows();
        rows.Add(new() { ["成果编号"] = 1001, ["成果名称"] = "重复", ["关键词"] = null, ["成熟度"] = null, ["登记日期"] = null, ["评分"] = null });
        var path = _files.PathOf("dup.xlsx");
        MiniExcel.SaveAs(path, rows);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:4: field 'id': duplicate id (first seen at line 2) (value '1001')"));
    }

    [Test]
    public void ReadDemands_SheetByName_ReadsThatSheet()
    {
        var path = _files.PathOf("event.xlsx");
        var sheets = new Dictionary<string, object>
        {
            ["成果"] = AchievementRows(),
            ["需求"] = new List<Dictionary<string, object?>>
            {
                new() { ["需求编号"] = "D01", ["需求名称"] = "动力电池快充技术", ["预算"] = 200 },
            },
        };
        MiniExcel.SaveAs(path, sheets);

        var demand = RecordReader.ReadDemands(path, new ReadOptions { Sheet = "需求" }).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Id, Is.EqualTo("D01"));
            Assert.That(demand.Title, Is.EqualTo("动力电池快充技术"));
            Assert.That(demand.Budget, Is.EqualTo("200"));
        }
    }

    [Test]
    public void ReadDemands_UnknownSheet_ListsTheSheets()
    {
        var path = _files.PathOf("event.xlsx");
        MiniExcel.SaveAs(path, new Dictionary<string, object> { ["成果"] = AchievementRows(), ["需求表"] = AchievementRows() });

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadDemands(path, new ReadOptions { Sheet = "需求" }));

        Assert.That(error.Message, Is.EqualTo($"{path}: no sheet named '需求'; the workbook has: 成果, 需求表"));
    }

    [Test]
    public void ReadAchievements_RandomBytesNamedXlsx_SaysNotAWorkbook()
    {
        var bytes = new byte[512];
        new Random(1).NextBytes(bytes);
        var path = _files.WriteBytes("corrupt.xlsx", bytes);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.Zero);
            Assert.That(error.Problem, Does.StartWith("not a valid .xlsx workbook: "));
            Assert.That(error.InnerException, Is.Not.Null);
        }
    }

    [Test]
    public void ReadAchievements_CsvTextNamedXlsx_SaysNotAWorkbook()
    {
        var path = _files.Write("text.xlsx", "成果编号,成果名称\nA001,锂电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Problem, Does.StartWith("not a valid .xlsx workbook: "));
    }

    [TestCase(1001d, "1001")]
    [TestCase(0.1d, "0.1")]
    [TestCase(-12.5d, "-12.5")]
    [TestCase(true, "TRUE")]
    [TestCase(null, "")]
    [TestCase("一种", "一种")]
    public void Text_CellValue_IsInvariantText(object? value, string expected)
    {
        Assert.That(XlsxRowSource.Text(value), Is.EqualTo(expected));
    }

    [Test]
    public void Text_DateTime_IsIsoDateOrDateTime()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(XlsxRowSource.Text(new DateTime(2024, 5, 1)), Is.EqualTo("2024-05-01"));
            Assert.That(XlsxRowSource.Text(new DateTime(2024, 5, 1, 13, 30, 0)), Is.EqualTo("2024-05-01 13:30:00"));
        }
    }
}
