using Matching.Scheduling;
using Matching.Ingestion;

namespace Matching.Tests.Ingestion;

public sealed class CapacityReaderTests
{
    private TempFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new TempFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Read_EnglishHeader_ReadsCapacitiesAndSemicolonSlots()
    {
        var path = _files.Write("capacity.csv", "organization,capacity,unavailable_slots\n清华大学,3,2;5\n宁德某电池有限公司,0,\n\"Acme, Inc.\",6, 1 ; 1 \n");

        var capacities = CapacityReader.Read(path);

        Assert.That(capacities.Select(c => (c.Organization, c.Capacity, string.Join(",", c.UnavailableSlots.Order()))), Is.EqualTo(new[]
        {
            ("清华大学", 3, "2,5"),
            ("宁德某电池有限公司", 0, ""),
            ("Acme, Inc.", 6, "1"),
        }));
    }

    [TestCase("单位,可参加场次,不可用时段")]
    [TestCase("机构,容量,不可用时段")]
    [TestCase(" Organization , CAPACITY , Unavailable Slots ")]
    [TestCase("機構,可參加場次,不可用時段")]
    public void Read_HeaderVariants_ReadTheSameColumns(string header)
    {
        var path = _files.Write("capacity.csv", $"{header}\n浙江大学,２,2、5，７\n某企业,4,\n", bom: true);

        var capacities = CapacityReader.Read(path);

        Assert.That(capacities.Select(c => (c.Organization, c.Capacity, string.Join(",", c.UnavailableSlots.Order()))), Is.EqualTo(new[]
        {
            ("浙江大学", 2, "2,5,7"),
            ("某企业", 4, ""),
        }));
    }

    [Test]
    public void Read_NoUnavailableColumnOtherColumnsAndGbk_EveryoneAlwaysAvailable()
    {
        var path = _files.Write("capacity.csv", "备注,单位,容量\n老客户,复旦大学,5\n", TempFiles.Gb18030);

        var capacity = CapacityReader.Read(path).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(capacity.Organization, Is.EqualTo("复旦大学"));
            Assert.That(capacity.Capacity, Is.EqualTo(5));
            Assert.That(capacity.UnavailableSlots, Is.Empty);
        }
    }

    [Test]
    public void Read_Tsv_SplitsOnTabs()
    {
        var path = _files.Write("capacity.tsv", "单位\t容量\t不可用时段\n南京大学, 江苏分校\t2\t1,3\n");

        var capacity = CapacityReader.Read(path).Single();

        Assert.That((capacity.Organization, capacity.Capacity, string.Join(",", capacity.UnavailableSlots.Order())),
            Is.EqualTo(("南京大学, 江苏分校", 2, "1,3")));
    }

    [TestCase("organization,capacity\nA,three\n", 2, "capacity", "field 'capacity': not a whole number (value 'three')")]
    [TestCase("organization,capacity\nA,2.5\n", 2, "capacity", "field 'capacity': not a whole number (value '2.5')")]
    [TestCase("organization,capacity\nA,\n", 2, "capacity", "field 'capacity': empty (value '')")]
    [TestCase("organization,capacity\n\nA,-1\n", 3, "capacity", "field 'capacity': negative capacity (value '-1')")]
    [TestCase("organization,capacity\nA,1\nB,2\nA,3\n", 4, "organization", "field 'organization': duplicate organisation (first seen at line 2) (value 'A')")]
    [TestCase("organization,capacity\n ,1\n", 2, "organization", "field 'organization': empty (value '')")]
    [TestCase("organization,capacity,unavailable_slots\nA,1,2;0\n", 2, "unavailable_slots", "field 'unavailable_slots': slot must be 1 or more (value '0')")]
    [TestCase("organization,capacity,unavailable_slots\nA,1,-3\n", 2, "unavailable_slots", "field 'unavailable_slots': slot must be 1 or more (value '-3')")]
    [TestCase("organization,capacity,unavailable_slots\nA,1,2;x\n", 2, "unavailable_slots", "field 'unavailable_slots': not a whole number (value 'x')")]
    [TestCase("单位,容量,不可用时段\n\"多行\n单位\",1,\n甲,1,上午\n", 4, "unavailable_slots", "field 'unavailable_slots': not a whole number (value '上午')")]
    [TestCase("organization,unavailable_slots\nA,1\n", 1, "capacity",
        "field 'capacity': no capacity column; headers seen: organization, unavailable_slots (expected one of: capacity, 容量, 可参加场次, 可參加場次, 场次, 最多场次)")]
    [TestCase("单位,机构,容量\n", 1, "organization", "field 'organization': two columns mean this field: '单位' (column 1) and '机构' (column 2)")]
    public void Read_BadRow_ThrowsWithFileLineAndField(string content, int line, string field, string problem)
    {
        var path = _files.Write("capacity.csv", content);

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Message, Is.EqualTo($"{path}:{line}: {problem}"));
            Assert.That(error.Line, Is.EqualTo(line));
            Assert.That(error.Field, Is.EqualTo(field));
        }
    }

    [TestCase("")]
    [TestCase("\n\n")]
    public void Read_EmptyFile_ThrowsNoHeader(string content)
    {
        var path = _files.Write("capacity.csv", content);

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: empty file: no header row"));
    }

    [Test]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var path = _files.PathOf("missing.csv");

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path));

        Assert.That(error.Message, Is.EqualTo($"{path}: file not found"));
    }

    [Test]
    public void Read_ThenPlan_SlotBeyondTheEventIsRejectedByThePlanner()
    {
        var path = _files.Write("capacity.csv", "organization,capacity,unavailable_slots\n清华大学,3,9\n");
        var options = new AgendaOptions { Slots = 8, Capacities = CapacityReader.Read(path) };

        var error = Assert.Throws<ArgumentException>(() => AgendaPlanner.Plan([], options));

        Assert.That(error.Message, Is.EqualTo("Cannot plan the agenda: unavailable slots of '清华大学' must be within 1..8 (was 9)."));
    }

    [Test]
    public void Read_AgainstTheEvent_UnknownOrganisationNamesLineAndClosestNames()
    {
        var path = _files.Write("capacity.csv", "organization,capacity,unavailable_slots\n中南大学,3,\n中南大學,2,\n");

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path, ["中南大学", "东南大学", "宁波甬锂新材料科技有限公司"], slots: 8));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Line, Is.EqualTo(3));
            Assert.That(error.Field, Is.EqualTo("organization"));
            Assert.That(error.Value, Is.EqualTo("中南大學"));
            Assert.That(error.Problem, Does.EndWith("(closest: 中南大学、东南大学、宁波甬锂新材料科技有限公司)"));
        }
    }

    [Test]
    public void Read_AgainstTheEvent_SlotAfterTheLastIsAnError()
    {
        var path = _files.Write("capacity.csv", "单位,容量,不可用时段\n中南大学,3,2、9\n");

        var error = Assert.Throws<InputFormatException>(() => CapacityReader.Read(path, ["中南大学"], slots: 8));

        Assert.That(error!.Message, Is.EqualTo($"{path}:2: field 'unavailable_slots': slot 9 does not exist: the event has 8 slots (value '2、9')"));
        Assert.That(CapacityReader.Read(path, ["中南大学"], slots: 9).Single().UnavailableSlots, Is.EquivalentTo(new[] { 2, 9 }));
    }
}
