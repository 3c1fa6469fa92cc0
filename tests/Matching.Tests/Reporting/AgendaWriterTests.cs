using Matching.Scheduling;
using MiniExcelLibs;
using Matching.Reporting;

namespace Matching.Tests.Scheduling;

public sealed class AgendaWriterTests
{
    private static readonly Agenda Small = new(
        [
            new Meeting(1, 1, "清华大学", "=HYPERLINK企业", 0.9),
            new Meeting(1, 2, "@大学", "Acme, Inc.", 0.5),
            new Meeting(2, 1, "清华大学", "Acme, Inc.", 0.25),
        ],
        1.65,
        1.4,
        1.7,
        AgendaPlanner.Optimal,
        []);

    [Test]
    public void WriteBySlot_SmallAgenda_ExactCsv()
    {
        var writer = new StringWriter();

        AgendaWriter.WriteBySlot(writer, Small);

        Assert.That(writer.ToString(), Is.EqualTo(
            "slot,table,university,enterprise,score,topic,demand_id,achievement_id,university_contact,university_phone,university_email,enterprise_contact,enterprise_phone,enterprise_email\n"
            + "1,1,清华大学,'=HYPERLINK企业,0.900000,,,,,,,,,\n"
            + "1,2,'@大学,\"Acme, Inc.\",0.500000,,,,,,,,,\n"
            + "2,1,清华大学,\"Acme, Inc.\",0.250000,,,,,,,,,\n"));
    }

    [Test]
    public void WriteByOrganization_SmallAgenda_ExactCsvByOrganisationThenSlot()
    {
        var writer = new StringWriter();

        AgendaWriter.WriteByOrganization(writer, Small);

        Assert.That(writer.ToString(), Is.EqualTo(
            "organization,slot,table,counterpart,score,role,topic,demand_id,achievement_id,contact,phone,email,counterpart_contact,counterpart_phone,counterpart_email\n"
            + "'=HYPERLINK企业,1,1,清华大学,0.900000,enterprise,,,,,,,,,\n"
            + "'@大学,1,2,\"Acme, Inc.\",0.500000,university,,,,,,,,,\n"
            + "\"Acme, Inc.\",1,2,'@大学,0.500000,enterprise,,,,,,,,,\n"
            + "\"Acme, Inc.\",2,1,清华大学,0.250000,enterprise,,,,,,,,,\n"
            + "清华大学,1,1,'=HYPERLINK企业,0.900000,university,,,,,,,,,\n"
            + "清华大学,2,1,\"Acme, Inc.\",0.250000,university,,,,,,,,,\n"));
    }

    [Test]
    public void WriteBySlot_EmptyAgenda_HeaderOnly()
    {
        var writer = new StringWriter();

        AgendaWriter.WriteBySlot(writer, new Agenda([], 0, 0, 0, AgendaPlanner.Optimal, []));

        Assert.That(writer.ToString(), Is.EqualTo("slot,table,university,enterprise,score,topic,demand_id,achievement_id,university_contact,university_phone,university_email,enterprise_contact,enterprise_phone,enterprise_email\n"));
    }

    [TestCase("=1+1", "'=1+1")]
    [TestCase("+86 电话", "'+86 电话")]
    [TestCase("-某单位", "'-某单位")]
    [TestCase("@SUM(A1)", "'@SUM(A1)")]
    [TestCase("-1.5", "-1.5")]
    [TestCase("+3", "+3")]
    [TestCase("清华大学", "清华大学")]
    [TestCase("", "")]
    public void SpreadsheetSafe_FormulaLikeText_PrefixedUnlessNumber(string cell, string expected) =>
        Assert.That(CsvTable.SpreadsheetSafe(cell), Is.EqualTo(expected));

    [Test]
    public void WriteWorkbook_SmallAgenda_TwoSheetsWithTheCsvRows()
    {
        using var stream = new MemoryStream();

        AgendaWriter.WriteWorkbook(stream, Small);

        stream.Position = 0;
        var sheets = stream.GetSheetNames();
        var bySlot = stream.Query(useHeaderRow: true, sheetName: AgendaWriter.BySlotSheet).Cast<IDictionary<string, object?>>().ToList();
        var byOrganization = stream.Query(useHeaderRow: true, sheetName: AgendaWriter.ByOrganizationSheet).Cast<IDictionary<string, object?>>().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sheets, Is.EqualTo(new[] { "按时段", "按单位" }));
            Assert.That(bySlot.Select(Row), Is.EqualTo(new[]
            {
                "时段=1|桌号=1|高校=清华大学|企业='=HYPERLINK企业|匹配分=0.9|会谈主题=|高校联系人=|企业联系人=",
                "时段=1|桌号=2|高校='@大学|企业=Acme, Inc.|匹配分=0.5|会谈主题=|高校联系人=|企业联系人=",
                "时段=2|桌号=1|高校=清华大学|企业=Acme, Inc.|匹配分=0.25|会谈主题=|高校联系人=|企业联系人=",
            }));
            Assert.That(byOrganization.Select(r => r["单位"]?.ToString()), Is.EqualTo(new[]
            {
                "'=HYPERLINK企业", "'@大学", "Acme, Inc.", "Acme, Inc.", "清华大学", "清华大学",
            }));
            Assert.That(Row(byOrganization[3]), Is.EqualTo("单位=Acme, Inc.|时段=2|桌号=1|对接单位=清华大学|匹配分=0.25|会谈主题=|本方联系人=|对方联系人="));
        }
    }

    private static string Row(IDictionary<string, object?> row) =>
        string.Join("|", row.Select(cell => $"{cell.Key}={Convert.ToString(cell.Value, System.Globalization.CultureInfo.InvariantCulture)}"));
}
