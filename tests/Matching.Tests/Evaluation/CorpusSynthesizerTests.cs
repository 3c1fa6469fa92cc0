using Matching.Evaluation;
using Matching.Ingestion;

namespace Matching.Tests.Evaluation;

public sealed class CorpusSynthesizerTests
{
    private static (string Achievements, string Demands) Generate(int seed)
    {
        using var a = new StringWriter();
        using var d = new StringWriter();
        CorpusSynthesizer.Generate(SampleEvent.Achievements, 200, 50, seed, a, d);
        return (a.ToString(), d.ToString());
    }

    [Test]
    public void Generate_SameSeed_SameBytes_OtherSeed_Different()
    {
        var first = Generate(7);
        var second = Generate(7);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(Generate(8).Achievements, Is.Not.EqualTo(first.Achievements));
    }

    [Test]
    public void Generate_ReadableByTheJsonlReader_WithRealisticLengths()
    {
        using var temp = new TempDirectory();
        var (a, d) = Generate(1);
        File.WriteAllText(temp.File("a.jsonl"), a);
        File.WriteAllText(temp.File("d.jsonl"), d);

        var achievements = RecordReader.ReadAchievements(temp.File("a.jsonl")).Records;
        var demands = RecordReader.ReadDemands(temp.File("d.jsonl")).Records;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(achievements, Has.Count.EqualTo(200));
            Assert.That(demands, Has.Count.EqualTo(50));
            Assert.That(achievements.All(x => x.Abstract.Length >= 150 && x.Keywords.Count > 0 && x.Extra.Count == 0), Is.True);
            Assert.That(demands.All(x => x.Description.Length >= 80 && x.Organization.Length > 0), Is.True);
        }
    }

    [TestCase("厚度为2.5 mm.强度提高。第二句；第三句!", new[] { "厚度为2.5 mm", "强度提高", "第二句", "第三句" })]
    public void Sentences_SplitsButKeepsDecimals(string text, string[] expected) =>
        Assert.That(CorpusSynthesizer.Sentences(text), Is.EqualTo(expected));
}
