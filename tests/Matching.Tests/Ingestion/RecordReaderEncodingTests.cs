using System.Text;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class RecordReaderEncodingTests
{
    private const string Csv =
        "id,title,abstract,keywords\n"
        + "A000,Graphene heat spreader,ASCII only,graphene\n"
        + "A001,一种高能量密度锂离子电池正极材料及其制备方法,基于深度学习的模型压缩与正极材料筛选。,锂电池；正极材料\n"
        + "A002,一種高能量密度鋰離子電池正極材料及其製備方法,本發明公開了一種高鎳三元正極材料。,鋰電池、正極材料\n";

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_Gb18030File_IsDetectedAndDecoded()
    {
        var path = _files.Write("gbk.csv", Csv, TempFiles.Gb18030);

        var records = RecordReader.ReadAchievements(path).Records;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records[1].Title, Is.EqualTo("一种高能量密度锂离子电池正极材料及其制备方法"));
            Assert.That(records[1].Abstract, Is.EqualTo("基于深度学习的模型压缩与正极材料筛选。"));
            Assert.That(records[2].Title, Is.EqualTo("一種高能量密度鋰離子電池正極材料及其製備方法"));
            Assert.That(records[2].Keywords, Is.EqualTo(new[] { "鋰電池", "正極材料" }));
        }
    }

    [Test]
    public void ReadAchievements_ChineseHeadersInGbk_AreRecognised()
    {
        var path = _files.Write("gbk-headers.csv", "成果编号,成果名称,关键词\nA001,模型压缩,深度学习\n", TempFiles.Gb18030);

        var achievement = RecordReader.ReadAchievements(path).Records.Single();

        Assert.That(achievement.Title, Is.EqualTo("模型压缩"));
    }

    [Test]
    public void ReadAchievements_ExplicitGb18030_IsUsed()
    {
        var path = _files.Write("gbk.csv", Csv, TempFiles.Gb18030);

        var records = RecordReader.ReadAchievements(path, new ReadOptions { Encoding = TempFiles.Gb18030 }).Records;

        Assert.That(records[2].Title, Is.EqualTo("一種高能量密度鋰離子電池正極材料及其製備方法"));
    }

    [Test]
    public void ReadAchievements_GbkFileForcedToUtf8_FailsAtFirstChineseLine()
    {
        var path = _files.Write("gbk.csv", Csv, TempFiles.Gb18030);

        var error = Assert.Throws<InputFormatException>(() =>
            RecordReader.ReadAchievements(path, new ReadOptions { Encoding = Encoding.UTF8 }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.EqualTo("title"));
            // 一 is D2 BB in GB18030, which happens to be valid UTF-8; 种 (D6 D6) is the first sequence that breaks.
            Assert.That(error.Problem, Does.StartWith("invalid UTF-8 byte sequence 0xD6 0xD6"));
        }
    }

    [Test]
    public void ReadAchievements_InvalidUtf8InUtf8File_ReportsLineAndField()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(Csv));
        bytes.AddRange(Encoding.UTF8.GetBytes("A003,钠离子电池,简介"));
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange(Encoding.UTF8.GetBytes("损坏,钠电\n"));
        var path = _files.WriteBytes("broken.csv", [.. bytes]);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:5: field 'abstract': invalid UTF-8 byte sequence 0xC3 0x28 (set --encoding if the file is not UTF-8)"));
    }

    [Test]
    public void ReadAchievements_InvalidUtf8InHeader_HasNoField()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("成果编号,成果名称,备注"));
        bytes.Add(0xFF);
        bytes.AddRange(Encoding.UTF8.GetBytes("\nA001,锂电池,正极材料\n"));
        var path = _files.WriteBytes("broken-header.csv", [.. bytes]);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(1));
            Assert.That(error.Field, Is.Null);
            Assert.That(error.Problem, Does.StartWith("invalid UTF-8 byte sequence 0xFF "));
        }
    }

    [Test]
    public void ReadAchievements_TruncatedUtf8AtEnd_ReportsLastLine()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("id,title\nA001,锂电池\nA002,钠"));
        bytes.AddRange([0xE7, 0x94]);
        var path = _files.WriteBytes("truncated.csv", [.. bytes]);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.EqualTo("title"));
            Assert.That(error.Problem, Does.StartWith("invalid UTF-8 byte sequence 0xE7 0x94 at the end of the file"));
        }
    }

    [Test]
    public void ReadAchievements_Utf16WithBom_IsDecoded()
    {
        var path = _files.Write("utf16.csv", Csv, Encoding.Unicode, bom: true);

        var records = RecordReader.ReadAchievements(path).Records;

        Assert.That(records[1].Title, Is.EqualTo("一种高能量密度锂离子电池正极材料及其制备方法"));
    }

    [Test]
    public void ReadAchievements_ExplicitUtf8WithBom_SkipsTheBom()
    {
        var path = _files.Write("bom.csv", Csv, Encoding.UTF8, bom: true);

        var records = RecordReader.ReadAchievements(path, new ReadOptions { Encoding = Encoding.UTF8 }).Records;

        Assert.That(records[0].Id, Is.EqualTo("A000"));
    }
}
