using Matching.Aggregation;
using Matching.Engine;
using Matching.Scheduling;

namespace Matching.Tests.Engine;

public sealed class EventOptionsTests
{
    [Test]
    public void Load_FullExample_Parsed()
    {
        using var temp = new TempDirectory();
        var path = temp.File("event.json");
        File.WriteAllText(path, """
        {
          // comments are allowed
          "title": "2026 长三角政产学研对接会",
          "hostRegion": "浙江",
          "hardFilters": { "allowedIpTypes": ["发明专利"], "sameRegionRequiredFor": ["D012"] },
          "softPreferences": { "sameProvince": 0.1 },
          "filters": { "minPairScore": 0.2 },
          "agenda": { "slots": 6, "tables": 12, "defaultCapacity": 3 },
        }
        """);

        var options = EventOptions.Load(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.Title, Is.EqualTo("2026 长三角政产学研对接会"));
            Assert.That(options.HardFilters.AllowedIpTypes, Is.EqualTo(new[] { "发明专利" }));
            Assert.That(options.HardFilters.MaturityAtLeastRequired, Is.True, "defaults kept for unnamed fields");
            Assert.That(options.SoftPreferences.SameProvince, Is.EqualTo(0.1));
            Assert.That(options.Agenda, Is.EqualTo(new AgendaOptions { Slots = 6, Tables = 12, DefaultCapacity = 3 }));
        }
    }

    [Test]
    public void Load_UnknownField_ErrorNamesLineAndPath()
    {
        using var temp = new TempDirectory();
        var path = temp.File("event.json");
        File.WriteAllText(path, "{\n  \"title\": \"对接会\",\n  \"softPreference\": { \"sameProvince\": 0.1 }\n}\n");

        Assert.That(() => EventOptions.Load(path), Throws.TypeOf<InputFormatException>()
            .With.Property(nameof(InputFormatException.Line)).EqualTo(3)
            .And.Message.StartsWith($"{path}:3: field 'softPreference': unknown field"));
    }

    [Test]
    public void Load_WrongTypeAndOutOfRange_Errors()
    {
        using var temp = new TempDirectory();
        var wrongType = temp.File("a.json");
        File.WriteAllText(wrongType, "{ \"agenda\": { \"slots\": \"八\" } }");
        var outOfRange = temp.File("b.json");
        File.WriteAllText(outOfRange, "{ \"strongMatch\": 2 }");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => EventOptions.Load(wrongType), Throws.TypeOf<InputFormatException>().With.Message.EqualTo($"{wrongType}:1: field 'agenda.slots': must be a whole number"));
            Assert.That(() => EventOptions.Load(outOfRange), Throws.TypeOf<InputFormatException>().With.Message.Contains("strongMatch must be between 0 and 1"));
        }
    }

    [TestCase("{ \"strongMatch\": \"高\" }", "strongMatch", "must be a number")]
    [TestCase("{ \"hardFilters\": { \"maturityAtLeastRequired\": \"是\" } }", "hardFilters.maturityAtLeastRequired", "must be true or false")]
    [TestCase("{ \"hardFilters\": { \"allowedIpTypes\": \"发明专利\" } }", "hardFilters.allowedIpTypes", "must be a list, e.g. [\"a\", \"b\"]")]
    [TestCase("{ \"title\": 2026 }", "title", "must be text in quotes")]
    public void Load_WrongType_SaysWhatIsExpectedWithoutDotNetTypeNames(string json, string field, string problem)
    {
        using var temp = new TempDirectory();
        var path = temp.File("event.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<InputFormatException>(() => EventOptions.Load(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Field, Is.EqualTo(field));
            Assert.That(error.Problem, Is.EqualTo(problem));
            Assert.That(error.Message, Does.Not.Contain("System."));
        }
    }
}
