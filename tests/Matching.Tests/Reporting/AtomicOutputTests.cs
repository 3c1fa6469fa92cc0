using Matching.Reporting;

namespace Matching.Tests.Reporting;

public sealed class AtomicOutputTests
{
    [Test]
    public void Constructor_RemovesTemporariesOfDeadRunsOnly()
    {
        using var temp = new TempDirectory();
        var dead = temp.File(".demand_matches.csv.2147483000.0123456789abcdef0123456789abcdef.tmp");
        var alive = temp.File($".report.html.{Environment.ProcessId}.0123456789abcdef0123456789abcdef.tmp");
        var unrelated = temp.File(".notes.tmp");
        foreach (var path in new[] { dead, alive, unrelated })
        {
            File.WriteAllText(path, "partial");
        }

        using (new AtomicOutput(temp.Path))
        {
        }

        Assert.That((File.Exists(dead), File.Exists(alive), File.Exists(unrelated)), Is.EqualTo((false, true, true)));
    }

    [Test]
    public void FilesWrittenConcurrently_AllAppearOnCommit()
    {
        // The event writer writes the workbook beside the other files.
        using var temp = new TempDirectory();
        using (var output = new AtomicOutput(temp.Path))
        {
            Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
                output.WriteText($"表{i}.csv", w => w.Write($"需求{i},成果{i}")));
            output.Commit();
        }

        for (var i = 0; i < 64; i++)
        {
            Assert.That(File.ReadAllText(temp.File($"表{i}.csv")), Is.EqualTo($"需求{i},成果{i}"));
        }

        Assert.That(Directory.GetFiles(temp.Path, ".*.tmp"), Is.Empty);
    }

    [Test]
    public void Dispose_WithoutCommit_LeavesPreviousFileAndNoTemporary()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("run.trec"), "old");

        using (var output = new AtomicOutput(temp.Path))
        {
            output.WriteText("run.trec", w => w.Write("new"));
        }

        Assert.That(File.ReadAllText(temp.File("run.trec")), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(temp.Path, "*.tmp"), Is.Empty);
    }

    [TestCase("../escape.csv")]
    [TestCase("sub/file.csv")]
    [TestCase("..")]
    public void Write_NameThatIsNotABareFileName_Refused(string name)
    {
        using var temp = new TempDirectory();
        using var output = new AtomicOutput(temp.Path);

        Assert.That(() => output.WriteText(name, _ => { }), Throws.ArgumentException);
    }
}
