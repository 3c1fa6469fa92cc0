using System.IO.Compression;
using System.Text;
using Matching.Ingestion;
using Matching.Tests.Reliability;

namespace Matching.Tests.Ingestion;

/// <summary>What the .xlsx reader refuses, and how: zip bombs, too many parts, over-long cells, DTDs, encrypted and
/// binary workbooks, workbooks of macros only — each in the product's words, naming the file (and part or row).</summary>
public sealed class XlsxLimitsTests
{
    private static readonly string[][] Rows =
    [
        ["成果编号", "成果名称", "成果简介"],
        ["A001", "锂电池正极材料", "高镍三元正极材料的包覆改性。"],
        ["A002", "钠离子电池", "层状氧化物正极。"],
    ];

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_ZipBombCell_RefusedByItsCompressionRatioBeforeInflating()
    {
        // 30 MB of one character in one cell deflates about a thousandfold.
        var path = _files.WriteBytes("bomb.xlsx", XlsxPackage.FromRows([.. Rows, ["A003", "炸弹", new string('中', 10_000_000)]]));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.Zero);
            Assert.That(error.Problem, Does.StartWith("the workbook's part xl/worksheets/sheet1.xml inflates to more than 100 times its compressed size of "));
            Assert.That(error.Problem, Does.EndWith("bytes, as zip bombs do (the compression ratio limit, --max-xlsx-ratio)"));
        }
    }

    [Test]
    public void ReadAchievements_ZipBombCellWithTheRatioRaised_CellStillBoundedByTheFieldLimit()
    {
        var path = _files.WriteBytes("bomb.xlsx", XlsxPackage.FromRows([.. Rows, ["A003", "炸弹", new string('中', 10_000_000)]]));
        var options = new ReadOptions { MaxXlsxCompressionRatio = 100_000, OnBadRow = BadRowPolicy.Skip };

        var skipped = RecordReader.ReadAchievements(path, options);
        var cut = RecordReader.ReadAchievements(path, new ReadOptions { MaxXlsxCompressionRatio = 100_000, TruncateLongFields = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(skipped.Problems.Select(p => p.Message), Is.EqualTo(new[]
            {
                $"{path}:4: field 'abstract': longer than 1,048,576 bytes, the field limit (raise it with --max-field-bytes, or cut long fields with --truncate-long-fields)",
            }));
            Assert.That(cut.Records[2].Abstract, Is.EqualTo(new string('中', 1_048_576 / 3)));
            Assert.That(cut.Warnings.Select(w => (w.Line, w.Field)), Is.EqualTo(new[] { (4, "abstract") }));
        }
    }

    [Test]
    public void ReadAchievements_PartLargerThanTheLimit_Refused()
    {
        var path = _files.WriteBytes("big.xlsx", XlsxPackage.FromRows(Rows));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxXlsxPartBytes = 300 }));

        Assert.That(error.Problem, Does.Match(@"^the workbook's part \S+ inflates to more than 300 bytes, the part size limit \(--max-xlsx-part-bytes\)$"));
    }

    [Test]
    public void Read_PartInflatingPastWhatItDeclares_StoppedWhileInflating()
    {
        var inflated = new MemoryStream(new byte[5 << 20]);
        using var stream = new InflateLimitStream(inflated, "x.xlsx", "xl/worksheets/sheet1.xml", compressedLength: 10_000, maxBytes: 1L << 30, maxRatio: 100);

        var error = Assert.Throws<InputFormatException>(() => stream.CopyTo(Stream.Null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.StartWith("x.xlsx: the workbook's part xl/worksheets/sheet1.xml inflates to more than 100 times its compressed size of 10,000 bytes"));
            Assert.That(stream.Position, Is.LessThanOrEqualTo(InflateLimitStream.RatioGrace + (1 << 17)), "stopped at the first read past 1 MiB");
        }
    }

    [Test]
    public void ReadAchievements_MorePartsThanTheLimit_RefusedBeforeTheZipDirectoryIsRead()
    {
        var parts = new Dictionary<string, byte[]?> { [XlsxPackage.SheetPart] = Encoding.UTF8.GetBytes(XlsxPackage.Sheet(Rows)) };
        for (var i = 0; i < 40; i++)
        {
            parts[$"x/{i}"] = [];
        }

        var path = _files.WriteBytes("parts.xlsx", XlsxPackage.Zip(parts));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxXlsxParts = 30 }));
        var read = RecordReader.ReadAchievements(path, new ReadOptions { MaxXlsxParts = 50 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Is.EqualTo(
                $"{path}: the workbook holds more than 30 parts (files in its zip package), the part count limit (--max-xlsx-parts); a workbook has a dozen"));
            Assert.That(read.Records, Has.Count.EqualTo(2));
        }
    }

    [TestCase(100)]
    [TestCase(70_000)]
    public void Count_ZipEntries_CountedFromTheCentralDirectoryUpToTheLimit(int entries)
    {
        // 70,000 entries need the zip64 end record.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries; i++)
            {
                zip.CreateEntry($"p{i}", CompressionLevel.NoCompression);
            }
        }

        buffer.Position = 0;
        var all = ZipParts.Count(buffer, long.MaxValue);
        var capped = ZipParts.Count(buffer, 10);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all, Is.EqualTo(entries));
            Assert.That(capped, Is.EqualTo(11));
        }
    }

    [Test]
    public void ReadAchievements_CellLongerThanTheFieldLimit_PositionedErrorOrCutWithAWarning()
    {
        var path = _files.WriteBytes("long.xlsx", XlsxPackage.FromRows([.. Rows, ["A003", "长", new string('长', 2_000)]]));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100 }));
        var cut = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100, TruncateLongFields = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Does.StartWith($"{path}:4: field 'abstract': longer than 100 bytes, the field limit"));
            Assert.That(cut.Records[2].Abstract, Is.EqualTo(new string('长', 33)));
            Assert.That(cut.Warnings.Select(w => w.Message), Is.EqualTo(new[]
            {
                $"{path}:4: field 'abstract': longer than 100 bytes, the field limit: cut to its first 33 characters (--truncate-long-fields)",
            }));
        }
    }

    [Test]
    public void ReadAchievements_SharedStringLongerThanTheFieldLimit_EveryCellUsingItIsLong()
    {
        const string SharedStrings = """<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""";
        var sst = SharedStrings + "<si><t>成果编号</t></si><si><t>成果简介</t></si><si><r><t>短</t></r><rPh><t>duan</t></rPh></si><si><t>"
            + new string('长', 500) + "</t></si></sst>";
        var sheet = """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"""
            + """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"""
            + """<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>2</v></c></row>"""
            + """<row r="3"><c r="A3"><v>2</v></c><c r="B3" t="s"><v>3</v></c></row>"""
            + "</sheetData></worksheet>";
        var path = _files.WriteBytes("shared.xlsx", XlsxPackage.Zip(new Dictionary<string, byte[]?>
        {
            [XlsxPackage.SheetPart] = Encoding.UTF8.GetBytes(sheet),
            ["xl/sharedStrings.xml"] = Encoding.UTF8.GetBytes(sst),
        }));

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => (r.Id, r.Abstract)), Is.EqualTo(new[] { ("1", "短") }), "the phonetic guide is not text");
            Assert.That(result.Problems.Select(p => (p.Line, p.Field)), Is.EqualTo(new[] { (3, "abstract") }));
        }
    }

    [Test]
    public void ReadAchievements_SheetWithADtd_RefusedInWordsNamingThePart()
    {
        var laughs = """<?xml version="1.0"?><!-- a comment --><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>"""
            + """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>""";
        var path = _files.WriteBytes("laughs.xlsx", XlsxPackage.FromSheetXml(Encoding.UTF8.GetBytes(laughs)));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Does.StartWith(
            $"{path}: the workbook contains a DTD (a <!DOCTYPE> declaration in part xl/worksheets/sheet1.xml), which is not allowed"));
    }

    [TestCase("<!DOCTYPE x>", true)]
    [TestCase("\uFEFF<?xml version=\"1.0\"?>\r\n<!--c--><?pi x?> <!DOCTYPE x []><x/>", true)]
    [TestCase("<?xml version=\"1.0\"?><worksheet><!DOCTYPE x></worksheet>", false)]
    [TestCase("<?xml version=\"1.0\"?><worksheet/>", false)]
    [TestCase("<!-- unclosed", false)]
    public void DeclaresDtd_Prolog_FoundOnlyBeforeTheRootElement(string xml, bool expected)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(XlsxWorkbook.DeclaresDtd(Encoding.UTF8.GetBytes(xml)), Is.EqualTo(expected));
            Assert.That(XlsxWorkbook.DeclaresDtd([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(xml.TrimStart('\uFEFF'))]), Is.EqualTo(expected));
        }
    }

    [TestCase("encrypted.xlsx")]
    [TestCase("encrypted.xls")]
    public void ReadAchievements_PasswordProtectedWorkbook_SaysSoAndHowToFixIt(string name)
    {
        var path = _files.WriteBytes(name, CompoundFileBuilder.Encrypted());

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Does.StartWith($"{path}: the workbook is encrypted (password-protected), so it cannot be read; open it in Excel or WPS, remove the password"));
    }

    [TestCase("legacy.xls")]
    [TestCase("legacy.et")]
    [TestCase("renamed.xlsx")]
    public void ReadAchievements_BinaryWorkbook_SaysToSaveItAsXlsx(string name)
    {
        var path = _files.WriteBytes(name, CompoundFileBuilder.BinaryWorkbook());

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}: the file is a binary Excel 97-2003 (.xls) or WPS (.et) workbook, not an .xlsx one; open it in Excel or WPS and save it as an Excel workbook (.xlsx)"));
    }

    [Test]
    public void ReadAchievements_OtherCompoundFile_SaysWhatItIs()
    {
        var path = _files.WriteBytes("document.xlsx", CompoundFileBuilder.Build(("WordDocument", 4096)));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Problem, Does.StartWith("the file is an OLE2 compound file (a binary Office 97-2003 document), not an .xlsx workbook"));
    }

    [Test]
    public void StreamNames_DirectoryOverTwoSectors_FollowsTheChain()
    {
        using var stream = new MemoryStream(CompoundFileBuilder.BinaryWorkbook());

        Assert.That(CompoundFile.StreamNames(stream), Is.EquivalentTo(new[]
        {
            "Root Entry", "\u0005SummaryInformation", "\u0005DocumentSummaryInformation", "Workbook", "CompObj", "Ole",
        }));
    }

    [Test]
    public void ReadAchievements_MacroOnlyXlsm_SaysItHoldsOnlyMacros()
    {
        var path = _files.WriteBytes("macros.xlsm", Package([("Macro1", "xlMacrosheet", "macrosheets/sheet1.xml", null)], vba: true));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}: the workbook holds only macros and no worksheet (an Excel 4.0 macro sheet 'Macro1', a VBA project); Matching reads data from worksheets and never runs macros"));
    }

    [Test]
    public void ReadAchievements_XlsmWithAChartSheetFirst_ReadsTheFirstWorksheet()
    {
        var path = _files.WriteBytes("book.xlsm", Package(
            [
                ("图表", "chartsheet", "chartsheets/sheet1.xml", null),
                ("宏", "xlMacrosheet", "macrosheets/sheet1.xml", null),
                ("成果", "worksheet", "worksheets/sheet1.xml", XlsxPackage.Sheet(Rows)),
            ],
            vba: true));

        var records = RecordReader.ReadAchievements(path).Records;
        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { Sheet = "宏" }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A002" }));
            Assert.That(error.Problem, Is.EqualTo("no sheet named '宏' holds data: it is an Excel 4.0 macro sheet, not a worksheet; the workbook's worksheets: 成果"));
        }
    }

    /// <summary>A package whose workbook lists the given sheets, each with its relationship type and part.</summary>
    private static byte[] Package((string Name, string Type, string Part, string? Xml)[] sheets, bool vba)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var workbook = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>""");
        var relationships = new StringBuilder("""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
        var parts = new Dictionary<string, byte[]?>();
        for (var i = 0; i < sheets.Length; i++)
        {
            var (name, type, part, xml) = sheets[i];
            workbook.Append($"""<sheet name="{name}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""");
            var ns = type == "xlMacrosheet" ? "http://schemas.microsoft.com/office/2006/relationships" : "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            relationships.Append($"""<Relationship Id="rId{i + 1}" Type="{ns}/{type}" Target="{part}"/>""");
            parts["xl/" + part] = Encoding.UTF8.GetBytes(xml ?? $"""<?xml version="1.0"?><x xmlns="{Main}"><sheetData/></x>""");
        }

        if (vba)
        {
            relationships.Append("""<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>""");
            parts["xl/vbaProject.bin"] = CompoundFileBuilder.Build(("VBA", 4096));
        }

        parts["xl/workbook.xml"] = Encoding.UTF8.GetBytes(workbook.Append("</sheets></workbook>").ToString());
        parts["xl/_rels/workbook.xml.rels"] = Encoding.UTF8.GetBytes(relationships.Append("</Relationships>").ToString());
        parts.TryAdd(XlsxPackage.SheetPart, null);
        return XlsxPackage.Zip(parts);
    }
}
