using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class JudgmentReaderTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Read_GoodFile_ReadsEveryJudgment()
    {
        var path = _files.Write("qrels.txt", "D01 0 A001 2\n\nD01\t0\tA002\t0\n  D02 0 A001 1  \n");

        var judgments = JudgmentReader.Read(path);

        Assert.That(judgments, Is.EqualTo(new[]
        {
            new Judgment("D01", "A001", 2),
            new Judgment("D01", "A002", 0),
            new Judgment("D02", "A001", 1),
        }));
    }

    [Test]
    public void Read_GradeNotAnInteger_ReportsLineAndField()
    {
        var path = _files.Write("qrels.txt", "D01 0 A001 2\nD01 0 A002 高\n");

        var error = Assert.Throws<InputFormatException>(() => JudgmentReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: field 'grade': not an integer (value '高')"));
    }

    [Test]
    public void Read_WrongColumnCount_ReportsLine()
    {
        var path = _files.Write("qrels.txt", "D01 0 A001 2\n\nD01 A002 1\n");

        var error = Assert.Throws<InputFormatException>(() => JudgmentReader.Read(path));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:3: expected 4 columns (demand_id 0 achievement_id grade), found 3 (value 'D01 A002 1')"));
    }

    [Test]
    public void Read_PairJudgedTwice_ReportsFirstLine()
    {
        var path = _files.Write("qrels.txt", "D01 0 A001 2\nD01 0 A001 1\n");

        var error = Assert.Throws<InputFormatException>(() => JudgmentReader.Read(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(2));
            Assert.That(error.Problem, Is.EqualTo("judged twice for demand 'D01' (first at line 1)"));
        }
    }

    [Test]
    public void Read_EmptyFile_Fails()
    {
        var path = _files.Write("qrels.txt", "\n");

        var error = Assert.Throws<InputFormatException>(() => JudgmentReader.Read(path));

        Assert.That(error.Problem, Is.EqualTo("empty file: no judgments"));
    }
}
