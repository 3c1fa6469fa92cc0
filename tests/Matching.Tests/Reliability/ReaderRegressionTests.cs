using System.Diagnostics;
using System.Text;
using Matching.Aggregation;
using Matching.Ingestion;
using Matching.Scheduling;
using Matching.Tests.Ingestion;
using Matching.Engine;

namespace Matching.Tests.Reliability;

/// <summary>The inputs the fuzzer found that made a reader throw something other than <see cref="InputFormatException"/>,
/// hang, or word its error badly — each pinned down with the message it gives now.</summary>
public sealed class ReaderRegressionTests
{
    private const string AchievementHeader = "成果编号,成果名称,成果简介,关键词,完成单位";

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_HeaderWithNoncharacter_IsAnExtraColumnNotAnArgumentException()
    {
        // U+FFFE is valid UTF-8 that Unicode normalisation refuses: HeaderName.Normalize used to throw ArgumentException.
        var path = _files.Write("achievements.tsv", "成果编号\t成果名称\t备注\uFFFE\nA001\t一种锂离子电池正极材料\t无\n");

        var record = RecordReader.ReadAchievements(path).Records.Single();

        Assert.That(record.Extra, Is.EqualTo(new Dictionary<string, string> { ["备注\uFFFE"] = "无" }));
    }

    [Test]
    public void CapacityRead_CellWithNoncharacter_IsNotAWholeNumber()
    {
        var path = _files.Write("capacity.csv", "organization,capacity\n中南大学,3\uFFFF\n");

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: field 'capacity': not a whole number (value '3\uFFFF')"));
    }

    [TestCase("{\"id\":\"A001\",\"title\":\"\\udc00锂电池\"}", "field 'title': invalid JSON string: the value holds a \\u escape of a lone UTF-16 surrogate")]
    [TestCase("{\"id\":\"A001\",\"keywords\":[\"储能\",\"\\ud800\"]}", "field 'keywords': invalid JSON string: the value holds a \\u escape of a lone UTF-16 surrogate")]
    [TestCase("{\"id\":\"A001\",\"\\ud800\":\"x\",\"title\":\"锂电池\"}", "invalid JSON string: a key holds a \\u escape of a lone UTF-16 surrogate")]
    public void ReadAchievements_JsonlLoneSurrogateEscape_InputFormatExceptionOnItsLine(string line, string problem)
    {
        // System.Text.Json parses these but GetString() throws InvalidOperationException, which used to escape the reader.
        var path = _files.Write("achievements.jsonl", "{\"id\":\"A000\",\"title\":\"钠离子电池\"}\n" + line + "\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: {problem}"));
    }

    [Test]
    public void ReadAchievements_JsonlLoneSurrogateEscape_SkippedUnderSkip()
    {
        var path = _files.Write("achievements.jsonl", "{\"id\":\"A000\",\"title\":\"钠离子电池\"}\n{\"id\":\"A001\",\"title\":\"\\ud800\"}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A000" }));
            Assert.That(result.Problems.Single().Line, Is.EqualTo(2));
        }
    }

    [TestCase("<row r=\"3\"><c r=\"XFD3\" t=\"inlineStr\"><is><t>远处</t></is></c></row>", "16384 cells but the header has 2", 3)]
    [TestCase("<row r=\"1048576\"><c r=\"A1048576\" t=\"inlineStr\"><is><t>A002</t></is></c><c r=\"B1048576\" t=\"inlineStr\"><is><t>最后一行</t></is></c></row>", null, 0)]
    [TestCase("<row r=\"3\"><c r=\"XFE3\" t=\"inlineStr\"><is><t>x</t></is></c></row>", "cell past column XFD, the last one a sheet has (value 'XFE3')", 3)]
    [TestCase("<row r=\"3\"><c r=\"1A\" t=\"inlineStr\"><is><t>x</t></is></c></row>", "not a cell reference (value '1A')", 3)]
    [TestCase("<row r=\"0\"><c r=\"A3\" t=\"inlineStr\"><is><t>x</t></is></c></row>", "row number is not between 1 and 1048576 (value '0')", 3)]
    [TestCase("<row r=\"3\"><c r=\"A3\" t=\"s\"><v>7</v></c></row>", "cell A3 refers to shared string '7', but the workbook has 0", 3)]
    public void ReadAchievements_XlsxFarOrOddCells_ReadQuicklyOrNameTheRow(string extraRow, string? problem, int line)
    {
        // MiniExcel took time quadratic in the sheet's width: one cell in column XFD made this sheet take seconds a row.
        var sheet = XlsxPackage.Sheet([["成果编号", "成果名称"], ["A001", "一种锂离子电池正极材料"]])
            .Replace("</sheetData>", extraRow + "</sheetData>", StringComparison.Ordinal)
            .Replace("<sheetData>", "<dimension ref=\"A1:XFD1048576\"/><sheetData>", StringComparison.Ordinal);
        var path = _files.WriteBytes("achievements.xlsx", XlsxPackage.FromSheetXml(Encoding.UTF8.GetBytes(sheet)));
        var clock = Stopwatch.StartNew();

        var error = problem is null ? null : Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));
        var records = problem is null ? RecordReader.ReadAchievements(path).Records : [];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
            if (error is null)
            {
                Assert.That(records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A002" }));
            }
            else
            {
                Assert.That(error.Message, Is.EqualTo($"{path}:{line}: {problem}"));
            }
        }
    }

    [Test]
    public void ReadAchievements_XlsxSharedRichAndEscapedStrings_ReadAsText()
    {
        var sheet = """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"""
            + """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>"""
            + """<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="b"><v>1</v></c></row>"""
            + """</sheetData></worksheet>""";
        var strings = """<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""
            + """<si><t>成果编号</t></si><si><t>成果名称</t></si><si><t>已转化</t></si>"""
            + """<si><r><t>高镍</t></r><r><t>正极_x005F_x000D_材料</t></r><rPh><t>こうニッケル</t></rPh></si></sst>""";
        var path = _files.WriteBytes("achievements.xlsx", XlsxPackage.Zip(new Dictionary<string, byte[]?>
        {
            [XlsxPackage.SheetPart] = Encoding.UTF8.GetBytes(sheet),
            ["xl/sharedStrings.xml"] = Encoding.UTF8.GetBytes(strings),
        }));

        var record = RecordReader.ReadAchievements(path).Records.Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Id, Is.EqualTo("1001"));
            Assert.That(record.Title, Is.EqualTo("高镍正极_x000D_材料"));
            Assert.That(record.Extra, Is.EqualTo(new Dictionary<string, string> { ["已转化"] = "TRUE" }));
        }
    }

    [Test]
    public void ReadAchievements_SampleWorkbook_ReadsTheSameRecordsAsTheCsv()
    {
        var fromXlsx = RecordReader.ReadAchievements(global::Matching.Ingestion.SampleEvent.AchievementsXlsx).Records;
        var fromCsv = RecordReader.ReadAchievements(global::Matching.Ingestion.SampleEvent.AchievementsCsv).Records;

        Assert.That(fromXlsx.Select(a => (a.Id, a.Title, a.Abstract, string.Join("|", a.Keywords), a.Organization, a.Maturity)),
            Is.EqualTo(fromCsv.Select(a => (a.Id, a.Title, a.Abstract, string.Join("|", a.Keywords), a.Organization, a.Maturity))));
    }

    [TestCase("{\"softPreferences\": null}", 1, "softPreferences")]
    [TestCase("{\n  \"title\": null\n}", 2, "title")]
    [TestCase("{\"hardFilters\": {\"allowedIpTypes\": null}}", 1, "hardFilters.allowedIpTypes")]
    public void EventOptionsLoad_NullWhereAnObjectOrStringBelongs_InputFormatExceptionWithPath(string json, int line, string field)
    {
        // These used to load, leaving a null that Validate (or the report) dereferenced: NullReferenceException.
        var path = _files.Write("event.json", json);

        var error = Assert.Throws<InputFormatException>(() => EventOptions.Load(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(line));
            Assert.That(error.Field, Is.EqualTo(field));
            Assert.That(error.Message, Does.StartWith($"{path}:{line}: field '{field}': must not be null"));
            Assert.That(error.Message, Does.Not.Contain("System."));
        }
    }

    [Test]
    public void EventOptionsLoad_NullInAList_InputFormatExceptionNamingTheList()
    {
        var path = _files.Write("event.json", "{\"hardFilters\": {\"allowedIpTypes\": [\"发明专利\", null]}}");

        var error = Assert.Throws<InputFormatException>(() => EventOptions.Load(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: field 'hardFilters.allowedIpTypes': hardFilters.allowedIpTypes must not hold null"));
    }

    [Test]
    public void OutcomeRead_GbkFile_IsDetectedAndRead()
    {
        // Analysts' Excel exports are often GBK; this used to fail as "not a readable CSV (DecoderFallbackException)".
        var path = _files.Write("outcomes.csv", "需求编号,成果编号,结果,原因\nD001,A001,签约,现场签约\nD002,A018,未达成,预算不足\n", TempFiles.Gb18030);

        var judgments = OutcomeReader.Read(path);

        Assert.That(judgments, Is.EqualTo(new[] { new Judgment("D001", "A001", 3), new Judgment("D002", "A018", 0) }));
    }

    [Test]
    public void OutcomeRead_InvalidUtf8_NamesTheLine()
    {
        var path = _files.WriteBytes("outcomes.csv", [.. "需求编号,成果编号,结果\nD001,A001,签约\nD002,A0"u8, 0xC3, 0x28, .. ",met\n"u8]);

        var error = Assert.Throws<InputFormatException>(() => OutcomeReader.Read(path));

        Assert.That(error.Message, Does.StartWith($"{path}:3: invalid UTF-8 byte sequence 0xC3 0x28"));
    }

    [Test]
    public void PairListRead_MillionEmptyColumns_ShortMessage()
    {
        var path = _files.Write("pairs.csv", "rank" + new string(',', 1_000_000) + "\n1,中南大学\n");

        var error = Assert.Throws<InputFormatException>(() => PairListReader.Read(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Is.EqualTo($"{path}:1: field 'university': no university column; headers seen: rank"));
        }
    }

    [Test]
    public void CapacityRead_MillionColumns_QuickAndShortMessage()
    {
        // Every header cell used to normalise every alias again: 20 million normalisations for a million columns. The
        // capacity file is now read like the record files, so their column limit refuses the row first.
        var headers = string.Join(',', Enumerable.Range(0, 1_000_000).Select(i => "列" + i));
        var path = _files.Write("capacity.csv", headers + "\n中南大学,3\n");
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(error.Message, Does.StartWith($"{path}:1: "));
            Assert.That(error.Message, Does.Contain("beyond the record files' limits"));
            Assert.That(error.Message, Has.Length.LessThan(1000));
        }
    }
}
