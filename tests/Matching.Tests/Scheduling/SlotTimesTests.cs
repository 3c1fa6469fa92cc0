using Matching.Engine;
using Matching.Ingestion;
using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

/// <summary>Clock times of the agenda's slots: <see cref="AgendaOptions.StartTime"/>, <see cref="AgendaOptions.SlotMinutes"/>
/// and <see cref="AgendaOptions.BreakMinutes"/>.</summary>
public sealed class SlotTimesTests
{
    [Test]
    public void SlotTimes_StartLengthAndBreaks_ExactLabels()
    {
        var options = new AgendaOptions { Slots = 4, StartTime = "9:30", SlotMinutes = 20, BreakMinutes = 10 };

        Assert.That(options.SlotTimes(), Is.EqualTo(new[] { "09:30–09:50", "10:00–10:20", "10:30–10:50", "11:00–11:20" }));
    }

    [Test]
    public void SlotTimes_NoClock_Null()
    {
        var options = new AgendaOptions();

        Assert.That((options.SlotTimes(), options.TimeProblem()), Is.EqualTo(((IReadOnlyList<string>?)null, (string?)null)));
    }

    [TestCase("09:00", 0, 0, "startTime and slotMinutes go together")]
    [TestCase(null, 20, 0, "startTime and slotMinutes go together")]
    [TestCase("上午九点", 20, 0, "startTime '上午九点' is not a time of day as HH:mm (e.g. 09:00)")]
    [TestCase("25:00", 20, 0, "startTime '25:00' is not a time of day")]
    [TestCase("09:00", 20, -5, "slotMinutes must be 1 to 1440, breakMinutes 0 to 1440")]
    [TestCase("22:00", 20, 0, "8 slots of 20 minutes from 22:00 (breaks 0) end after midnight")]
    public void TimeProblem_SaysWhatIsWrong(string? start, int minutes, int breaks, string problem)
    {
        var options = new AgendaOptions { StartTime = start, SlotMinutes = minutes, BreakMinutes = breaks };

        Assert.That(options.TimeProblem(), Does.StartWith(problem));
        Assert.That(options.SlotTimes(), Is.Null);
    }

    [Test]
    public void Plan_WithClock_AgendaCarriesEachSlotsTime()
    {
        MeetingRequest[] requests = [new("中南大学", "宁波甬锂新材料科技有限公司", 0.9), new("清華大學", "苏州纳维光电有限公司", 0.8)];

        var agenda = AgendaPlanner.Plan(requests, new AgendaOptions { Slots = 2, Tables = 1, StartTime = "14:00", SlotMinutes = 30 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(agenda.SlotTimes, Is.EqualTo(new[] { "14:00–14:30", "14:30–15:00" }));
            Assert.That(agenda.Meetings.Select(m => agenda.TimeOf(m.Slot)), Is.EquivalentTo(new[] { "14:00–14:30", "14:30–15:00" }));
            Assert.That(agenda.TimeOf(3), Is.Empty);
        }
    }

    [Test]
    public void EventOptions_StartTimeWithoutSlotMinutes_InputErrorNamingTheField()
    {
        using var temp = new TempDirectory();
        var path = temp.File("event.json");
        File.WriteAllText(path, "{ \"agenda\": { \"startTime\": \"09:00\" } }");

        Assert.That(() => EventOptions.Load(path), Throws.TypeOf<InputFormatException>()
            .With.Message.Contains("field 'agenda.startTime'").And.Message.Contains("startTime and slotMinutes go together"));
    }
}
