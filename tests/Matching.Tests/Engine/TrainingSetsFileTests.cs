using Matching.Engine;

namespace Matching.Tests.Engine;

public sealed class TrainingSetsFileTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void Files()
    {
        _temp = new TempDirectory();
        Directory.CreateDirectory(_temp.File("data"));
        foreach (var name in new[] { "a.jsonl", "d.jsonl", "j.qrels", "c.run" })
        {
            File.WriteAllText(Path.Combine(_temp.File("data"), name), "");
        }
    }

    [TearDown]
    public void Cleanup() => _temp.Dispose();

    private string Write(string json)
    {
        var path = _temp.File("sets.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Test]
    public void Read_RelativePathsResolveAgainstTheFilesFolder_OrTheGivenRoot()
    {
        var path = Write("""
            {
              "sets": [
                {"name": "one", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels"},
                {"name": "two", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels",
                 "candidates": "data/c.run", "judged_only": true, "exclude_self": "q", "depth": 30, "weight": 0.5}
              ]
            }
            """);
        Directory.CreateDirectory(_temp.File("elsewhere"));
        var copy = Path.Combine(_temp.File("elsewhere"), "sets.json");
        File.Copy(path, copy);

        var sets = TrainingSetsFile.Read(path);
        var rooted = TrainingSetsFile.Read(copy, _temp.Path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sets[0], Is.EqualTo(new TrainingSetSpec("one", _temp.File("data/a.jsonl"), _temp.File("data/d.jsonl"), _temp.File("data/j.qrels"), null, false, null, null, 1.0)));
            Assert.That(sets[1], Is.EqualTo(new TrainingSetSpec("two", _temp.File("data/a.jsonl"), _temp.File("data/d.jsonl"), _temp.File("data/j.qrels"), _temp.File("data/c.run"), true, "q", 30, 0.5)));
            Assert.That(rooted, Is.EqualTo(sets));
        }
    }

    [TestCase("""{"sets": [{"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl"}]}""", "sets[0].judgments", "missing")]
    [TestCase("""{"sets": [{"name": "x", "achievements": "data/nope.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels"}]}""", "sets[0].achievements", "file not found")]
    [TestCase("""{"sets": [{"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels", "judged-only": true}]}""", "sets[0].judged-only", "unknown field")]
    [TestCase("""{"sets": [{"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels", "weight": 0}]}""", "sets[0].weight", "above 0")]
    [TestCase("""{"sets": [{"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels", "judged_only": "yes"}]}""", "sets[0].judged_only", "true or false")]
    [TestCase("""{"sets": [{"name": "a b", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels"}]}""", "sets[0].name", "letters, digits")]
    [TestCase("""{"sets": [{"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels"}, {"name": "x", "achievements": "data/a.jsonl", "demands": "data/d.jsonl", "judgments": "data/j.qrels"}]}""", "sets[1].name", "another set has this name")]
    [TestCase("""{"sets": []}""", "sets", "no sets")]
    [TestCase("""[]""", "sets", "expected an object")]
    public void Read_BadEntry_NamesFileAndField(string json, string field, string problem)
    {
        var path = Write(json);

        Assert.That(() => TrainingSetsFile.Read(path), Throws.TypeOf<InputFormatException>()
            .With.Property(nameof(InputFormatException.Path)).EqualTo(path)
            .And.Property(nameof(InputFormatException.Field)).EqualTo(field)
            .And.Message.Contains(problem).And.Message.StartsWith(path));
    }

    [Test]
    public void Read_NotJson_NamesFileAndLine()
    {
        var path = Write("{\n  \"sets\": [\n    {\"name\": }\n  ]\n}");

        Assert.That(() => TrainingSetsFile.Read(path), Throws.TypeOf<InputFormatException>()
            .With.Property(nameof(InputFormatException.Line)).EqualTo(3).And.Message.Contains("not valid JSON"));
    }
}
