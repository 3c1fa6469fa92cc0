using System.Text;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

/// <summary>The read limits of <see cref="ReadOptions"/> on text inputs: a row over a limit is a positioned error, a skipped
/// row under <see cref="BadRowPolicy.Skip"/>, or (long fields, with <see cref="ReadOptions.TruncateLongFields"/>) a cut field
/// and a warning; everything within the limits reads as before.</summary>
public sealed class ReadLimitsTests
{
    private const string Header = "成果编号,成果名称,成果简介\n";

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void ReadAchievements_CsvFieldOverTheLimit_ErrorNamesLineAndField()
    {
        var path = _files.Write("achievements.csv", Header + "A001,锂电池,短简介\nA002,钠电池," + new string('长', 40) + "\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100 }));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:3: field 'abstract': longer than 100 bytes, the field limit (raise it with --max-field-bytes, or cut long fields with --truncate-long-fields)"));
    }

    [Test]
    public void ReadAchievements_CsvFieldOverTheLimitUnderSkip_RowSkippedOthersRead()
    {
        var path = _files.Write("achievements.csv", Header + "A001,锂电池,短简介\nA002,钠电池," + new string('长', 40) + "\nA003,氢能,简介\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A003" }));
            Assert.That(result.Problems.Select(p => (p.Line, p.Field)), Is.EqualTo(new[] { (3, "abstract") }));
            Assert.That(result.Warnings, Is.Empty);
        }
    }

    [Test]
    public void ReadAchievements_CsvFieldOverTheLimitTruncated_CutAtACharacterBoundaryWithAWarning()
    {
        // 40 characters of 3 bytes: 33 fit in 100 bytes.
        var path = _files.Write("achievements.csv", Header + "A001,锂电池," + new string('长', 40) + "\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100, TruncateLongFields = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records[0].Abstract, Is.EqualTo(new string('长', 33)));
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Warnings.Select(w => w.Message), Is.EqualTo(new[]
            {
                $"{path}:2: field 'abstract': longer than 100 bytes, the field limit: cut to its first 33 characters (--truncate-long-fields)",
            }));
        }
    }

    [Test]
    public void ReadAchievements_SurrogatePairAtTheCut_NotSplit()
    {
        // 𠀀 is four bytes (a surrogate pair): after 24 ASCII letters only 2 of its 4 bytes would fit.
        var path = _files.Write("achievements.csv", Header + "A001,t," + new string('a', 24) + "𠀀𠀀\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 26, TruncateLongFields = true });

        Assert.That(result.Records[0].Abstract, Is.EqualTo(new string('a', 24)));
    }

    [Test]
    public void ReadAchievements_HugeQuotedMultiLineFieldTruncated_LaterLinesStillNumberedAsInTheFile()
    {
        // Row 2 spans lines 2–501 (a quoted field of 500 lines); the reader drops most of it, line breaks included.
        var longField = "\"" + string.Join("\n", Enumerable.Repeat("很长的一行，带逗号,和\"\"引号", 500)) + "\"";
        var path = _files.Write("achievements.csv", Header + "A001,锂电池," + longField + "\nA002,,\nA003,氢能,简介\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 200, TruncateLongFields = true, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A001", "A003" }));
            Assert.That(result.Records[0].Abstract, Does.StartWith("很长的一行，带逗号,和\"引号\n很长的一行"));
            Assert.That(Encoding.UTF8.GetByteCount(result.Records[0].Abstract), Is.LessThanOrEqualTo(200));
            Assert.That(result.Warnings.Select(w => (w.Line, w.Field)), Is.EqualTo(new[] { (2, "abstract") }));
            Assert.That(result.Problems.Select(p => (p.Line, p.Problem)), Is.EqualTo(new[] { (502, "no text: title, abstract and keywords are all empty") }));
        }
    }

    [Test]
    public void ReadAchievements_UnclosedQuoteInALongField_StillReportedWhereItStarts()
    {
        var path = _files.Write("achievements.csv", Header + "A001,锂电池,简介\nA002,钠电池,\"" + string.Join("\n", Enumerable.Repeat("没有结束的引号", 300)));

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 100, TruncateLongFields = true }));

        Assert.That(error.Message, Does.StartWith($"{path}:3: field 'abstract': unbalanced quote"));
    }

    [Test]
    public void ReadAchievements_HeaderWithMoreColumnsThanTheLimit_FileLevelError()
    {
        var path = _files.Write("achievements.csv", "成果编号,成果名称," + string.Join(',', Enumerable.Range(0, 100).Select(i => $"c{i}")) + "\nA001,锂电池\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxColumns = 50, OnBadRow = BadRowPolicy.Skip }));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: the header has more than 50 cells, the column limit (--max-columns)"));
    }

    [Test]
    public void ReadAchievements_RowWithMoreCellsThanTheLimit_BadRow()
    {
        var path = _files.Write("achievements.tsv", "成果编号\t成果名称\nA001\t锂电池" + new string('\t', 100) + "x\nA002\t钠电池\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxColumns = 10, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A002" }));
            Assert.That(result.Problems.Select(p => p.Message), Is.EqualTo(new[] { $"{path}:2: the row has more than 10 cells, the column limit (--max-columns)" }));
        }
    }

    [Test]
    public void ReadAchievements_LineLongerThanTheLimit_BadRowAndTheNextLinesRead()
    {
        var path = _files.Write("achievements.csv", Header + "A001,锂电池," + string.Concat(Enumerable.Repeat("短，", 100)) + "\nA002,钠电池,简介\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxLineLength = 100, OnBadRow = BadRowPolicy.Skip, TruncateLongFields = true });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A002" }));
            Assert.That(result.Problems.Select(p => p.Message), Is.EqualTo(new[]
            {
                $"{path}:2: field 'abstract': a line longer than 100 characters, the line limit (--max-line-length)",
            }));
        }
    }

    [Test]
    public void ReadAchievements_MoreRecordsThanTheLimit_FileLevelErrorAtTheFirstOneTooMany()
    {
        var path = _files.Write("achievements.csv", Header + "A001,a,\n\nA002,b,\nA003,c,\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxRecords = 2 }));

        Assert.That(error.Message, Is.EqualTo($"{path}:5: more than 2 records, the record limit (--max-records)"));
    }

    [Test]
    public void ReadAchievements_JsonlLineLongerThanTheLimit_BadRowNextLinesKeepTheirNumbers()
    {
        var path = _files.Write("achievements.jsonl",
            "{\"id\":\"A001\",\"title\":\"" + new string('长', 500) + "\"}\r\n{\"id\":\"A002\",\"title\":\"钠电池\"}\n\n{\"id\":\"\",\"title\":\"x\"}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxLineLength = 200, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Id), Is.EqualTo(new[] { "A002" }));
            Assert.That(result.Problems.Select(p => p.Message), Is.EqualTo(new[]
            {
                $"{path}:1: a line longer than 200 characters, the line limit (--max-line-length)",
                $"{path}:4: field 'id': missing id",
            }));
        }
    }

    [Test]
    public void ReadAchievements_JsonlNestedDeeperThanTheLimit_BadRowInOurWords()
    {
        var path = _files.Write("achievements.jsonl",
            "{\"id\":\"A001\",\"title\":\"锂电池\",\"extra\":" + new string('[', 10_000) + new string(']', 10_000) + "}\n{\"id\":\"A002\",\"title\":\"[[[[\"}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxJsonDepth = 3, OnBadRow = BadRowPolicy.Skip });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Records.Select(r => r.Title), Is.EqualTo(new[] { "[[[[" }), "brackets inside strings do not nest");
            Assert.That(result.Problems.Select(p => p.Message), Is.EqualTo(new[]
            {
                $"{path}:1: JSON nested deeper than 3 levels, the depth limit (--max-json-depth); a record needs 2",
            }));
        }
    }

    [Test]
    public void ReadAchievements_JsonlObjectWithMoreKeysThanTheLimit_BadRow()
    {
        var keys = string.Concat(Enumerable.Range(0, 20).Select(i => $",\"k{i}\":{i}"));
        var path = _files.Write("achievements.jsonl", "{\"id\":\"A001\",\"title\":\"锂电池\"" + keys + "}\n");

        var error = Assert.Throws<InputFormatException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxColumns = 10 }));

        Assert.That(error.Message, Is.EqualTo($"{path}:1: the object has more than 10 keys, the column limit (--max-columns)"));
    }

    [Test]
    public void ReadAchievements_JsonlLongStringAndKeywordsTruncated_CutWithWarnings()
    {
        var path = _files.Write("achievements.jsonl",
            "{\"id\":\"A001\",\"abstract\":\"" + new string('a', 50) + "\",\"keywords\":[\"" + new string('b', 20) + "\",\"" + new string('c', 20) + "\",\"ddd\"],\"note\":\"" + new string('e', 31) + "\"}\n");

        var result = RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 30, TruncateLongFields = true });

        var record = result.Records[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(record.Abstract, Is.EqualTo(new string('a', 30)));
            Assert.That(record.Keywords, Is.EqualTo(new[] { new string('b', 20), new string('c', 7) }), "keywords count as one field, joined by ；");
            Assert.That(record.Extra["note"], Is.EqualTo(new string('e', 30)));
            Assert.That(result.Warnings.Select(w => w.Field), Is.EqualTo(new[] { "abstract", "keywords", "note" }));
        }
    }

    [Test]
    public void ReadAchievements_InvalidLimit_ArgumentExceptionNamesEveryProblem()
    {
        var path = _files.Write("achievements.csv", Header + "A001,a,\n");

        var error = Assert.Throws<ArgumentException>(() => RecordReader.ReadAchievements(path, new ReadOptions { MaxFieldBytes = 0, MaxXlsxParts = -1 }));

        Assert.That(error.Message, Does.Contain("MaxFieldBytes must be at least 1, not 0").And.Contain("MaxXlsxParts must be at least 1, not -1"));
    }

    [Test]
    public void JudgmentRead_LineOverTheDefaultLimit_ErrorWithoutHoldingIt()
    {
        var path = _files.Write("judgments.qrels", "D1 0 A1 1\nD2 0 " + new string('A', 9_000_000) + " 1\n");

        var error = Assert.Throws<InputFormatException>(() => JudgmentReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: a line longer than 8,388,608 characters, the line limit"));
    }

    [Test]
    public void OutcomeRead_FieldOverTheDefaultLimit_Error()
    {
        var path = _files.Write("outcomes.csv", "需求编号,成果编号,结果,原因\nD001,A001,签约,\"" + new string('x', 1_100_000) + "\"\n");

        var error = Assert.Throws<InputFormatException>(() => OutcomeReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: a field longer than 1,048,576 characters, the field limit"));
    }
}
