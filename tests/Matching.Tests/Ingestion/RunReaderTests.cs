using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class RunReaderTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Read_GoodFile_ReadsEveryEntry()
    {
        var path = _files.Write("run.txt", "D01 Q0 A001 1 12.5 bm25\nD01 Q0 A002 2 -3e-1 bm25\n\nD02\tQ0\tA001\t1\t7\n");

        var entries = RunReader.Read(path);

        Assert.That(entries, Is.EqualTo(new[]
        {
            new RunEntry("D01", "A001", 1, 12.5),
            new RunEntry("D01", "A002", 2, -0.3),
            new RunEntry("D02", "A001", 1, 7),
        }));
    }

    [Test]
    public void Read_BadScore_ReportsLineAndField()
    {
        var path = _files.Write("run.txt", "D01 Q0 A001 1 12.5 bm25\nD01 Q0 A002 2 12,5 bm25\n");

        var error = Assert.Throws<InputFormatException>(() => RunReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}:2: field 'score': not a finite number (value '12,5')"));
    }

    [Test]
    public void Read_BadRank_ReportsLineAndField()
    {
        var path = _files.Write("run.txt", "D01 Q0 A001 0 12.5 bm25\n");

        var error = Assert.Throws<InputFormatException>(() => RunReader.Read(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(1));
            Assert.That(error.Field, Is.EqualTo("rank"));
        }
    }

    [Test]
    public void Read_WrongColumnCount_ReportsLine()
    {
        var path = _files.Write("run.txt", "D01 Q0 A001 1 12.5 bm25\nD01 Q0 A002 2 11 bm25 extra\n");

        var error = Assert.Throws<InputFormatException>(() => RunReader.Read(path));

        Assert.That(error.Problem, Is.EqualTo("expected 5 or 6 columns (demand_id Q0 achievement_id rank score tag), found 7"));
    }

    [Test]
    public void Read_EmptyFile_IsAnEmptyRun()
    {
        var path = _files.Write("run.txt", "");

        Assert.That(RunReader.Read(path), Is.Empty);
    }
}
