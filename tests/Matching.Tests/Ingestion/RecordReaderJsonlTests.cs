using System.Text;
using System.Text.Json;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class RecordReaderJsonlTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_GoodFile_ReadsEveryField()
    {
        var path = _files.Write("achievements.jsonl",
            """
            {"id": "A001", "title": "一种高能量密度锂离子电池正极材料及其制备方法", "abstract": "本发明公开了一种高镍三元正极材料。", "keywords": ["锂离子电池", " 正极材料 ", "锂离子电池"], "organization": "清华大学", "field": "新能源", "region": "北京", "maturity": "中试", "ipType": "发明专利"}

            {"id": 1002, "title": "一種高能量密度鋰離子電池正極材料及其製備方法", "keywords": "鋰離子電池；正極材料、高鎳", "ip_type": "实用新型", "contact": "张老师", "rank": 3, "tags": {"a": 1}, "note": null}
            """);

        var records = RecordReader.ReadAchievements(path).Records;

        Assert.That(records, Has.Count.EqualTo(2));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(records[0].Id, Is.EqualTo("A001"));
            Assert.That(records[0].Title, Is.EqualTo("一种高能量密度锂离子电池正极材料及其制备方法"));
            Assert.That(records[0].Abstract, Is.EqualTo("本发明公开了一种高镍三元正极材料。"));
            Assert.That(records[0].Keywords, Is.EqualTo(new[] { "锂离子电池", "正极材料" }));
            Assert.That(records[0].Organization, Is.EqualTo("清华大学"));
            Assert.That(records[0].Field, Is.EqualTo("新能源"));
            Assert.That(records[0].Region, Is.EqualTo("北京"));
            Assert.That(records[0].Maturity, Is.EqualTo("中试"));
            Assert.That(records[0].IpType, Is.EqualTo("发明专利"));
            Assert.That(records[1].Id, Is.EqualTo("1002"));
            Assert.That(records[1].Keywords, Is.EqualTo(new[] { "鋰離子電池", "正極材料", "高鎳" }));
            Assert.That(records[1].IpType, Is.EqualTo("实用新型"));
            Assert.That(records[1].Extra, Is.EqualTo(new Dictionary<string, string>
            {
                ["contact"] = "张老师",
                ["rank"] = "3",
                ["tags"] = "{\"a\": 1}",
                ["note"] = "",
            }));
        }
    }

    [Test]
    public void ReadDemands_ChineseKeysAndEnglishNames_AreBothAccepted()
    {
        var path = _files.Write("demands.ndjson",
            """
            {"需求编号": "D01", "需求名称": "动力电池快充技术", "需求描述": "快充时间缩短到15分钟以内。", "industry": "新能源汽车", "budget": 200, "requiredMaturity": "中试"}
            """);

        var demand = RecordReader.ReadDemands(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(demand.Id, Is.EqualTo("D01"));
            Assert.That(demand.Title, Is.EqualTo("动力电池快充技术"));
            Assert.That(demand.Description, Is.EqualTo("快充时间缩短到15分钟以内。"));
            Assert.That(demand.Industry, Is.EqualTo("新能源汽车"));
            Assert.That(demand.Budget, Is.EqualTo("200"));
            Assert.That(demand.RequiredMaturity, Is.EqualTo("中试"));
        }
    }

    [Test]
    public void ReadAchievements_InvalidJson_ReportsLineAndKeepsInner()
    {
        var path = _files.Write("bad.jsonl", "{\"id\": \"A001\", \"title\": \"锂电池\"}\n\n{\"id\": \"A002\", \"title\": 锂电池}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.Null);
            Assert.That(error.Problem, Does.StartWith("invalid JSON: "));
            Assert.That(error.InnerException, Is.InstanceOf<JsonException>());
        }
    }

    [Test]
    public void ReadAchievements_TitleIsObject_NamesTheField()
    {
        var path = _files.Write("type.jsonl", "{\"id\": \"A001\", \"title\": {\"zh\": \"锂电池\"}}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: field 'title': expected a string, found an object (value '{{\"zh\": \"锂电池\"}}')"));
    }

    [Test]
    public void ReadAchievements_KeywordsOfNumbers_NamesTheField()
    {
        var path = _files.Write("type.jsonl", "{\"id\": \"A001\", \"title\": \"锂电池\"}\n{\"id\": \"A002\", \"keywords\": [1, 2]}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(2));
            Assert.That(error.Field, Is.EqualTo("keywords"));
            Assert.That(error.Problem, Is.EqualTo("expected a string or an array of strings, found an array holding a number"));
        }
    }

    [Test]
    public void ReadAchievements_LineIsNotAnObject_Fails()
    {
        var path = _files.Write("array.jsonl", "[\"A001\", \"锂电池\"]\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Problem, Is.EqualTo("expected a JSON object, found an array"));
    }

    [Test]
    public void ReadAchievements_SameFieldUnderTwoKeys_Fails()
    {
        var path = _files.Write("twice.jsonl", "{\"id\": \"A001\", \"title\": \"锂电池\", \"成果名称\": \"钠电池\"}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: field 'title': given twice (keys 'title' and '成果名称')"));
    }

    [Test]
    public void ReadAchievements_ValidationRules_ApplyAsInCsv()
    {
        var path = _files.Write("rules.jsonl",
            "{\"id\": \"A001\", \"title\": \"锂电池\"}\n{\"title\": \"钠电池\"}\n{\"id\": \"A001\", \"title\": \"固态电池\"}\n{\"id\": \"A004\"}\n{}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A001" }));
            Assert.That(result.Problems.Select(p => p.Message), Is.EqualTo(new[]
            {
                $"{path}:2: field 'id': missing id",
                $"{path}:3: field 'id': duplicate id (first seen at line 1) (value 'A001')",
                $"{path}:4: field 'title': no text: title, abstract and keywords are all empty",
            }));
        }
    }

    [Test]
    public void ReadAchievements_SkipPolicy_SkipsInvalidJsonLines()
    {
        var path = _files.Write("skip.jsonl", "{\"id\": \"A001\", \"title\": \"锂电池\"}\n{oops\n{\"id\": \"A003\", \"title\": \"钠电池\"}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A003" }));
            Assert.That(result.Problems.Single().Line, Is.EqualTo(2));
        }
    }

    [Test]
    public void ReadAchievements_InvalidUtf8_ReportsLineAndField()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("{\"id\": \"A001\", \"title\": \"锂电池\"}\n{\"id\": \"A002\", \"abstract\": \"钠"));
        bytes.AddRange([0xC3, 0x28]);
        bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n"));
        var path = _files.WriteBytes("broken.jsonl", [.. bytes]);

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(2));
            Assert.That(error.Field, Is.EqualTo("abstract"));
            Assert.That(error.Problem, Does.StartWith("invalid UTF-8 byte sequence 0xC3 0x28"));
        }
    }

    [Test]
    public void ReadAchievements_Utf8Bom_IsSkipped()
    {
        var path = _files.Write("bom.jsonl", "{\"id\": \"A001\", \"title\": \"锂电池\"}\n", Encoding.UTF8, bom: true);

        Assert.That(RecordReader.ReadAchievements(path).Records.Single().Id, Is.EqualTo("A001"));
    }

    [Test]
    public void ReadAchievements_EmptyJsonl_Fails()
    {
        var path = _files.Write("empty.jsonl", "\n  \n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: empty file: no records"));
    }
}
