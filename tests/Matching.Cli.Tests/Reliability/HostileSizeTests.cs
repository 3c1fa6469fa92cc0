using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Matching.Ingestion;

namespace Matching.Cli.Tests.Reliability;

/// <summary><c>matching match</c>, as a child process, on inputs a hostile partner could send: a zip bomb, a 20-million-
/// character field without punctuation, a header of a million columns, a workbook of a million parts, a JSON line nested a
/// million deep. Each must end within seconds with the product's own message (or, where the user opted in, a warning and a
/// result), at a peak resident set far below what the input would cost if it were read whole. Inputs are generated here.</summary>
public sealed class HostileSizeTests
{
    /// <summary>A kill timeout only: every case ends in seconds (benchmarks/README.md, "Hostile sizes", has the times).</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(180);

    /// <summary>A generous bound: the sample event alone peaks at about 220 MB; before the limits, these inputs took 3–10 GB.</summary>
    private const long MaxPeakBytes = 1L << 30;

    private static readonly string[] AchievementHeader = ["成果编号", "成果名称", "成果简介", "关键词", "完成单位", "技术领域", "地区", "成熟度", "知识产权"];

    [Test]
    public void Match_ZipBombCellOfHundredMillionCharacters_RefusedByItsRatioAndBoundedWhenTheRatioIsRaised()
    {
        using var temp = new TempDir();
        var bomb = temp["bomb.xlsx"];
        WriteBombWorkbook(bomb, cellCharacters: 100_000_000);
        TestContext.Out.WriteLine($"bomb.xlsx: {new FileInfo(bomb).Length:N0} bytes");

        var refused = Run(temp, "-a", bomb);
        var cut = Run(temp, "-a", bomb, "--max-xlsx-ratio", "1000000", "--truncate-long-fields", "--no-report", "--no-agenda");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Result.ExitCode, Is.EqualTo(3), refused.Result.Err);
            Assert.That(refused.Result.Err, Does.Contain($"error: {bomb}: the workbook's part xl/worksheets/sheet1.xml inflates to more than 100 times its compressed size"));
            Assert.That(refused.PeakBytes, Is.LessThan(MaxPeakBytes));
            Assert.That(cut.Result.ExitCode, Is.EqualTo(0), cut.Result.Err);
            Assert.That(cut.Result.Err, Does.Contain($"warning: {bomb}:122: field 'abstract': longer than 1,048,576 bytes, the field limit: cut to its first 349,525 characters"));
            Assert.That(cut.PeakBytes, Is.LessThan(MaxPeakBytes));
        }
    }

    [Test]
    public void Match_TwentyMillionCharacterFieldWithoutPunctuation_PositionedErrorOrCutWithAWarning()
    {
        using var temp = new TempDir();
        var path = temp["achievements.csv"];
        var text = SampleSentences().Where(c => c is >= '\u4E00' and <= '\u9FFF').ToArray();
        var field = new StringBuilder(20_000_000);
        while (field.Length < 20_000_000)
        {
            field.Append(text, 0, Math.Min(text.Length, 20_000_000 - field.Length));
        }

        File.WriteAllText(path, SampleAchievementsCsv() + "A999,恶意记录," + field + ",锂电池,某大学,新能源,浙江,中试,发明专利\n", new UTF8Encoding(true));

        var refused = Run(temp, "-a", path);
        var cut = Run(temp, "-a", path, "--truncate-long-fields", "--no-report", "--no-agenda");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Result.ExitCode, Is.EqualTo(3), refused.Result.Err);
            Assert.That(refused.Result.Err, Does.Contain($"error: {path}:122: field 'abstract': longer than 1,048,576 bytes, the field limit (raise it with --max-field-bytes, or cut long fields with --truncate-long-fields)"));
            Assert.That(refused.PeakBytes, Is.LessThan(MaxPeakBytes));
            Assert.That(cut.Result.ExitCode, Is.EqualTo(0), cut.Result.Err);
            Assert.That(cut.Result.Err, Does.Contain($"warning: {path}:122: field 'abstract': longer than 1,048,576 bytes, the field limit: cut to its first 349,525 characters (--truncate-long-fields)"));
            Assert.That(cut.PeakBytes, Is.LessThan(MaxPeakBytes));
        }
    }

    [Test]
    public void Match_HeaderOfAMillionColumns_FileLevelError()
    {
        using var temp = new TempDir();
        var path = temp["achievements.csv"];
        var lines = SampleAchievementsCsv().Split("\r\n");
        lines[0] += string.Concat(Enumerable.Range(0, 1_000_000).Select(i => ",c" + i.ToString(CultureInfo.InvariantCulture)));
        File.WriteAllText(path, string.Join("\r\n", lines), new UTF8Encoding(true));

        var (result, peak) = Run(temp, "-a", path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Err);
            Assert.That(result.Err, Does.Contain($"error: {path}:1: the header has more than 16,384 cells, the column limit (--max-columns)"));
            Assert.That(peak, Is.LessThan(MaxPeakBytes));
        }
    }

    [Test]
    public void Match_WorkbookOfAMillionTinyParts_RefusedBeforeItsDirectoryIsRead()
    {
        using var temp = new TempDir();
        var path = temp["parts.xlsx"];
        WriteManyPartsWorkbook(path, 1_000_000);
        TestContext.Out.WriteLine($"parts.xlsx: {new FileInfo(path).Length:N0} bytes");

        var (result, peak) = Run(temp, "-a", path);
        var (read, _) = Run(temp, "-a", path, "--max-xlsx-parts", "2000000", "--no-report", "--no-agenda");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Err);
            Assert.That(result.Err, Does.Contain($"error: {path}: the workbook holds more than 10,000 parts (files in its zip package), the part count limit (--max-xlsx-parts)"));
            Assert.That(peak, Is.LessThan(MaxPeakBytes));
            Assert.That(read.ExitCode, Is.EqualTo(0), "the same workbook is valid once the limit allows it: " + read.Err);
        }
    }

    [Test]
    public void Match_JsonLineNestedAMillionDeep_BadRowInOurWords()
    {
        using var temp = new TempDir();
        var path = temp["achievements.jsonl"];
        var keys = new[] { "id", "title", "abstract", "keywords", "organization", "field", "region", "maturity", "ipType" };
        var lines = SampleAchievementRows().Select(row => "{" + string.Join(',', keys.Select((k, i) => $"\"{k}\":{JsonString(row[i])}")) + "}").ToList();
        lines.Add("{\"id\":\"A999\",\"title\":\"恶意记录\",\"extra\":" + new string('[', 1_000_000) + new string(']', 1_000_000) + "}");
        File.WriteAllLines(path, lines);

        var (result, peak) = Run(temp, "-a", path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.Err);
            Assert.That(result.Err, Does.Contain($"error: {path}:121: JSON nested deeper than 64 levels, the depth limit (--max-json-depth); a record needs 2"));
            Assert.That(peak, Is.LessThan(MaxPeakBytes));
        }
    }

    private static (CliResult Result, long PeakBytes) Run(TempDir temp, params string[] args)
    {
        using var child = ChildProcess.Cli(["match", .. args, "-d", Path.Combine(SampleEvent.Directory, "demands.csv"), "--out", temp["out-" + Guid.NewGuid().ToString("N")]]);
        var run = child.WaitForExitMeasuringPeak(s_timeout);
        TestContext.Out.WriteLine($"{string.Join(' ', args.Select(Path.GetFileName))}: exit {run.Result.ExitCode} in {child.Elapsed.TotalSeconds:0.0} s, peak {run.PeakBytes >> 20} MiB");
        return run;
    }

    private static string SampleAchievementsCsv() => File.ReadAllText(Path.Combine(SampleEvent.Directory, "achievements.csv")).TrimStart('\uFEFF');

    private static List<string[]> SampleAchievementRows()
    {
        using var parser = new CsvHelper.CsvParser(new StringReader(SampleAchievementsCsv()), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows.Skip(1).ToList();
    }

    private static string SampleSentences() => string.Concat(SampleAchievementRows().Select(r => r[2]));

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    /// <summary>The sample achievements as a workbook (inline strings), plus row 122 whose abstract is
    /// <paramref name="cellCharacters"/> times 中, streamed into a deflated part: about 300 KB for 100 million.</summary>
    private static void WriteBombWorkbook(string path, int cellCharacters)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, xml) in PackageParts())
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
            stream.Write(Encoding.UTF8.GetBytes(xml));
        }

        using var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open(), new UTF8Encoding(false));
        sheet.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        var rows = SampleAchievementRows();
        Row(sheet, 1, AchievementHeader);
        for (var i = 0; i < rows.Count; i++)
        {
            Row(sheet, i + 2, rows[i]);
        }

        sheet.Write($"""<row r="{rows.Count + 2}"><c r="A{rows.Count + 2}" t="inlineStr"><is><t>A999</t></is></c><c r="C{rows.Count + 2}" t="inlineStr"><is><t>""");
        var chunk = new string('中', 100_000);
        for (var written = 0; written < cellCharacters; written += chunk.Length)
        {
            sheet.Write(chunk);
        }

        sheet.Write("</t></is></c></row></sheetData></worksheet>");
    }

    private static void Row(TextWriter sheet, int number, string[] cells)
    {
        sheet.Write($"<row r=\"{number}\">");
        for (var c = 0; c < cells.Length; c++)
        {
            if (cells[c].Length > 0)
            {
                sheet.Write($"<c r=\"{(char)('A' + c)}{number}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{System.Security.SecurityElement.Escape(cells[c])}</t></is></c>");
            }
        }

        sheet.Write("</row>");
    }

    private static (string Name, string Xml)[] PackageParts() =>
    [
        ("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""),
        ("_rels/.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""),
        ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="成果" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
        ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""),
    ];

    /// <summary>A valid workbook of the sample achievements (stored, uncompressed parts) followed by
    /// <paramref name="extraParts"/> empty parts, written directly as a zip64 package: ZipArchive would hold every entry
    /// in memory while writing.</summary>
    private static void WriteManyPartsWorkbook(string path, int extraParts)
    {
        var sheet = new StringWriter();
        sheet.Write("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        Row(sheet, 1, AchievementHeader);
        var rows = SampleAchievementRows();
        for (var i = 0; i < rows.Count; i++)
        {
            Row(sheet, i + 2, rows[i]);
        }

        sheet.Write("</sheetData></worksheet>");
        var parts = PackageParts().Append((Name: "xl/worksheets/sheet1.xml", Xml: sheet.ToString())).Select(p => (Name: p.Name, Data: Encoding.UTF8.GetBytes(p.Xml)))
            .Concat(Enumerable.Range(0, extraParts).Select(i => (Name: $"p/{i}", Data: Array.Empty<byte>())));

        using var file = new BufferedStream(File.Create(path), 1 << 20);
        var directory = new MemoryStream();
        var count = 0L;
        Span<byte> header = stackalloc byte[46];
        foreach (var (name, data) in parts)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var crc = Crc32(data);
            var offset = file.Position;
            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034B50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 20);
            BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[18..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[22..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
            file.Write(header[..30]);
            file.Write(nameBytes);
            file.Write(data);

            header.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014B50);
            BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 45);
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 20);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)data.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[42..], (uint)offset);
            directory.Write(header);
            directory.Write(nameBytes);
            count++;
        }

        var directoryOffset = file.Position;
        directory.Position = 0;
        directory.CopyTo(file);
        var zip64End = file.Position;
        Span<byte> end = stackalloc byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06064B50);
        BinaryPrimitives.WriteUInt64LittleEndian(end[4..], 44);
        BinaryPrimitives.WriteUInt16LittleEndian(end[12..], 45);
        BinaryPrimitives.WriteUInt16LittleEndian(end[14..], 45);
        BinaryPrimitives.WriteUInt64LittleEndian(end[24..], (ulong)count);
        BinaryPrimitives.WriteUInt64LittleEndian(end[32..], (ulong)count);
        BinaryPrimitives.WriteUInt64LittleEndian(end[40..], (ulong)directory.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(end[48..], (ulong)directoryOffset);
        file.Write(end);
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x07064B50);
        BinaryPrimitives.WriteUInt64LittleEndian(end[8..], (ulong)zip64End);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], 1);
        file.Write(end[..20]);
        end.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], 0xFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)directory.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)directoryOffset);
        file.Write(end[..22]);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
