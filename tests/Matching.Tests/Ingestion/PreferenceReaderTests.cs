using Matching.Ingestion;
using MiniExcelLibs;

namespace Matching.Tests.Ingestion;

public sealed class PreferenceReaderTests
{
    private static readonly EventDirectory Directory = new(
        new HashSet<string> { "中南大学", "南开大学", "宁波某新能源科技有限公司", "天津某制药有限公司" },
        new Dictionary<string, string> { ["D001"] = "宁波某新能源科技有限公司", ["D002"] = "天津某制药有限公司", ["X9"] = "天津某制药有限公司" },
        new Dictionary<string, string> { ["A001"] = "中南大学", ["A002"] = "南开大学", ["X9"] = "南开大学" });

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Read_EnglishHeader_ResolvesNamesAndIdsAndEveryChoice()
    {
        var path = _files.Write("preferences.csv",
            "organization,counterpart,choice,note\n"
            + "中南大学,宁波某新能源科技有限公司,must-meet,\n"
            + "宁波某新能源科技有限公司,A001,interested,电池材料\n"
            + "\n"
            + "南开大学,D001,no,\n"
            + "天津某制药有限公司,南开大学,Already met,\n");

        var preferences = PreferenceReader.Read(path, Directory);

        Assert.That(preferences, Is.EqualTo(new[]
        {
            new StatedPreference("中南大学", "宁波某新能源科技有限公司", PreferenceChoice.MustMeet),
            new StatedPreference("宁波某新能源科技有限公司", "中南大学", PreferenceChoice.Interested),
            new StatedPreference("南开大学", "宁波某新能源科技有限公司", PreferenceChoice.No),
            new StatedPreference("天津某制药有限公司", "南开大学", PreferenceChoice.AlreadyMet),
        }));
    }

    [TestCase("单位,对方,选择")]
    [TestCase("機構,對方,選擇")]
    [TestCase("单位名称,需求编号,意向")]
    public void Read_ChineseHeaders_SimplifiedOrTraditional(string header)
    {
        var path = _files.Write("preferences.csv", $"{header}\n南开大学,D002,必见\n天津某制药有限公司,南开大学,想見\n中南大学,D001,不見\n南开大学,D001,已对接\n", bom: true);

        var preferences = PreferenceReader.Read(path, Directory);

        Assert.That(preferences.Select(p => (p.Organization, p.Counterpart, p.Choice)), Is.EqualTo(new[]
        {
            ("南开大学", "天津某制药有限公司", PreferenceChoice.MustMeet),
            ("天津某制药有限公司", "南开大学", PreferenceChoice.Interested),
            ("中南大学", "宁波某新能源科技有限公司", PreferenceChoice.No),
            ("南开大学", "宁波某新能源科技有限公司", PreferenceChoice.AlreadyMet),
        }));
    }

    [Test]
    public void Read_Xlsx_RowNumbersAreExcelRows()
    {
        var path = _files.PathOf("preferences.xlsx");
        MiniExcel.SaveAs(path, new List<Dictionary<string, object?>>
        {
            new() { ["单位"] = "中南大学", ["对方"] = "D001", ["选择"] = "想见" },
            new() { ["单位"] = "南开大学", ["对方"] = "天津某制药有限公司", ["选择"] = "必见" },
            new() { ["单位"] = "南开大学", ["对方"] = "天津某制约有限公司", ["选择"] = "必见" },
        });

        var error = Assert.Throws<InputFormatException>(() => PreferenceReader.Read(path, Directory));

        Assert.That(error.Message, Is.EqualTo(
            $"{path}:4: field 'counterpart': no organisation, demand id or achievement id of this event (closest: 天津某制药有限公司、宁波某新能源科技有限公司、A001) (value '天津某制约有限公司')"));
    }

    [Test]
    public void Read_UnknownOrganisation_ErrorWithLineFieldAndClosestNames()
    {
        var path = _files.Write("preferences.csv", "organization,counterpart,choice\n中南大学,D001,interested\n中南大學,D002,interested\n");

        var error = Assert.Throws<InputFormatException>(() => PreferenceReader.Read(path, Directory));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.EqualTo("organization"));
            Assert.That(error.Message, Does.StartWith($"{path}:3: field 'organization': no organisation, demand id or achievement id of this event (closest: 中南大学、"));
        }
    }

    [TestCase("maybe")]
    [TestCase("")]
    public void Read_BadChoice_ErrorListsTheAllowedValues(string choice)
    {
        var path = _files.Write("preferences.csv", $"organization,counterpart,choice\n中南大学,D001,{choice}\n");

        var error = Assert.Throws<InputFormatException>(() => PreferenceReader.Read(path, Directory));

        Assert.That(error.Message, Does.StartWith($"{path}:2: field 'choice': ")
            .And.Contain("allowed: must-meet/必见, interested/想见, no/不见, already-met/已对接"));
    }

    [Test]
    public void Read_IdOfADemandAndAnAchievementOfDifferentOrganisations_Ambiguous()
    {
        var path = _files.Write("preferences.csv", "organization,counterpart,choice\n中南大学,X9,interested\n");

        var error = Assert.Throws<InputFormatException>(() => PreferenceReader.Read(path, Directory));

        Assert.That(error.Message, Does.Contain(":2: field 'counterpart': ambiguous: demand X9 belongs to 天津某制药有限公司 and achievement X9 to 南开大学"));
    }

    [Test]
    public void Read_MissingChoiceColumnOrSelfReference_Errors()
    {
        var noColumn = _files.Write("a.csv", "organization,counterpart\n中南大学,D001\n");
        var self = _files.Write("b.csv", "organization,counterpart,choice\n中南大学,A001,must\n");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Assert.Throws<InputFormatException>(() => PreferenceReader.Read(noColumn, Directory))!.Message,
                Does.StartWith($"{noColumn}:1: field 'choice': no choice column; headers seen: organization, counterpart"));
            Assert.That(Assert.Throws<InputFormatException>(() => PreferenceReader.Read(self, Directory))!.Message,
                Is.EqualTo($"{self}:2: field 'counterpart': an organisation cannot state a choice about itself (value 'A001')"));
        }
    }
}

public sealed class ConfirmedMeetingReaderTests
{
    private static readonly HashSet<string> Organizations = ["中南大学", "南开大学", "宁波某新能源科技有限公司", "天津某制药有限公司"];

    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Read_AgendaBySlotCsvAsWritten_Accepted()
    {
        var path = _files.Write("confirmed.csv", "slot,table,university,enterprise,score\n1,1,中南大学,宁波某新能源科技有限公司,0.912000\n2,3,南开大学,天津某制药有限公司,0.5\n");

        var kept = ConfirmedMeetingReader.Read(path, Organizations, slots: 8, tables: 20, [], defaultCapacity: 4);

        Assert.That(kept, Is.EqualTo(new[]
        {
            new ConfirmedMeeting(1, 1, "中南大学", "宁波某新能源科技有限公司"),
            new ConfirmedMeeting(2, 3, "南开大学", "天津某制药有限公司"),
        }));
    }

    [Test]
    public void Read_ChineseHeadersXlsx_Accepted()
    {
        var path = _files.PathOf("confirmed.xlsx");
        MiniExcel.SaveAs(path, new List<Dictionary<string, object?>> { new() { ["时段"] = 2, ["桌号"] = 1, ["高校"] = "中南大学", ["企业"] = "天津某制药有限公司" } });

        var kept = ConfirmedMeetingReader.Read(path, Organizations, slots: 8, tables: 20, [], defaultCapacity: 4);

        Assert.That(kept, Is.EqualTo(new[] { new ConfirmedMeeting(2, 1, "中南大学", "天津某制药有限公司") }));
    }

    [TestCase("1,1,中南大学,宁波某新能源科技有限公司\n1,1,南开大学,天津某制药有限公司\n", "confirmed.csv:3: field 'table': table 1 of slot 1 is already taken at line 2 (value '1')")]
    [TestCase("1,1,中南大学,宁波某新能源科技有限公司\n1,2,中南大学,天津某制药有限公司\n", "confirmed.csv:3: field 'university': 中南大学 already has a meeting in slot 1 (line 2) (value '中南大学')")]
    [TestCase("9,1,中南大学,宁波某新能源科技有限公司\n", "confirmed.csv:2: field 'slot': must be within 1..8 (value '9')")]
    [TestCase("1,1,中南大學,宁波某新能源科技有限公司\n", "confirmed.csv:2: field 'university': no organisation of this event has this name (closest: 中南大学、南开大学、天津某制药有限公司) (value '中南大學')")]
    [TestCase("1,1,中南大学,宁波某新能源科技有限公司\n2,1,南开大学,宁波某新能源科技有限公司\n", "confirmed.csv:3: field 'enterprise': 宁波某新能源科技有限公司 would have 2 meetings, over its capacity 1 (value '宁波某新能源科技有限公司')")]
    [TestCase("3,1,中南大学,天津某制药有限公司\n", "confirmed.csv:2: field 'university': 中南大学 is unavailable in slot 3 (capacity file) (value '中南大学')")]
    public void Read_InvalidRow_ErrorWithFileLineAndField(string rows, string expected)
    {
        var path = _files.Write("confirmed.csv", "slot,table,university,enterprise\n" + rows);
        OrganizationCapacity[] capacities = [new("宁波某新能源科技有限公司", 1, new HashSet<int>()), new("中南大学", 4, new HashSet<int> { 3 })];

        var error = Assert.Throws<InputFormatException>(() => ConfirmedMeetingReader.Read(path, Organizations, slots: 8, tables: 20, capacities, defaultCapacity: 4));

        Assert.That(error.Message, Is.EqualTo(Path.Combine(Path.GetDirectoryName(path)!, expected)));
    }
}
