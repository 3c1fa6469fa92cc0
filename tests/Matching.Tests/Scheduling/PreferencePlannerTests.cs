using Matching.Ingestion;
using Matching.Scheduling;

namespace Matching.Tests.Scheduling;

/// <summary>Two-sided preferences, P(accept) values, exposure caps, the fairness floor, kept meetings and early slots.</summary>
public sealed class PreferencePlannerTests
{
    private static readonly IReadOnlySet<int> Always = new HashSet<int>();

    private static MeetingRequest Pair(string university, string enterprise, double p) => new(university, enterprise, p) { Acceptance = p };

    [Test]
    public void PairValue_MutualInterestOutranksOneSidedOutranksNone_AtTheSameEvidence()
    {
        foreach (var p in new[] { 0.0, 0.3, 0.6, 0.9 })
        {
            var none = PairValue.Of(p, null, null);
            var oneSided = PairValue.Of(p, PreferenceChoice.Interested, null);
            var mutual = PairValue.Of(p, PreferenceChoice.Interested, PreferenceChoice.Interested);
            Assert.That(new[] { mutual, oneSided, none }, Is.Ordered.Descending.And.Unique, $"p = {p}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PairValue.Of(0.64, null, null), Is.EqualTo(0.64).Within(1e-12), "with no choice P(accept) is the model's p");
            Assert.That(PairValue.Of(0.64, PreferenceChoice.Interested, PreferenceChoice.Interested), Is.EqualTo(0.96 * 0.96).Within(1e-12));
            Assert.That(PairValue.Of(0.64, PreferenceChoice.MustMeet, null), Is.EqualTo(0.8).Within(1e-12));
            Assert.That(PairValue.Of(0.99, PreferenceChoice.No, PreferenceChoice.MustMeet), Is.Zero);
        }
    }

    [Test]
    public void Plan_VetoAndAlreadyMet_NeverScheduledEvenWhenStrongest()
    {
        MeetingRequest[] requests = [Pair("中南大学", "宁波新能源公司", 0.95), Pair("南开大学", "天津制药厂", 0.9), Pair("中南大学", "天津制药厂", 0.2)];
        var options = new AgendaOptions
        {
            Slots = 2,
            Tables = 5,
            Preferences =
            [
                new("宁波新能源公司", "中南大学", PreferenceChoice.No),
                new("南开大学", "天津制药厂", PreferenceChoice.AlreadyMet),
            ],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => (m.University, m.Enterprise)), Is.EqualTo(new[] { ("中南大学", "天津制药厂") }));
            Assert.That(agenda.Unscheduled.Select(r => r.University + "–" + r.Enterprise), Is.EquivalentTo(new[] { "中南大学–宁波新能源公司", "南开大学–天津制药厂" }));
        }
    }

    [Test]
    public void Plan_MustMeet_ScheduledBeforeABetterPair()
    {
        // One slot: 中南大学 can meet only one of them; the must-meet wins although the other pair is worth more.
        MeetingRequest[] requests = [Pair("中南大学", "宁波新能源公司", 0.95), Pair("中南大学", "长沙电池厂", 0.3)];
        var options = new AgendaOptions { Slots = 1, Preferences = [new("长沙电池厂", "中南大学", PreferenceChoice.MustMeet)] };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => m.Enterprise), Is.EqualTo(new[] { "长沙电池厂" }));
            Assert.That(agenda.Meetings[0].Value, Is.EqualTo(Math.Round(Math.Sqrt(0.3), 6)), "must-meet side 1 × unstated side √p");
            Assert.That(agenda.MustMeetUnscheduled, Is.Empty);
            Assert.That(agenda.MustMeetsStated, Is.EqualTo(1));
        }
    }

    [Test]
    public void Plan_MustMeetsThatCannotBeHeld_ReportedWithTheirReasons()
    {
        MeetingRequest[] requests =
        [
            Pair("满额大学", "企业甲", 0.9),
            Pair("上午大学", "下午企业", 0.8),
            Pair("南开大学", "拒绝企业", 0.7),
            Pair("浙江大学", "企业乙", 0.6),
            Pair("复旦大学", "企业丙", 0.5),
        ];
        var options = new AgendaOptions
        {
            Slots = 2,
            Tables = 1,
            Capacities = [new("满额大学", 0, Always), new("上午大学", 2, new HashSet<int> { 2 }), new("下午企业", 2, new HashSet<int> { 1 })],
            Preferences =
            [
                new("企业甲", "满额大学", PreferenceChoice.MustMeet),
                new("上午大学", "下午企业", PreferenceChoice.MustMeet),
                new("南开大学", "拒绝企业", PreferenceChoice.MustMeet),
                new("拒绝企业", "南开大学", PreferenceChoice.No),
                new("浙江大学", "企业乙", PreferenceChoice.MustMeet),
                new("复旦大学", "企业丙", PreferenceChoice.MustMeet),
                new("企业丁", "复旦大学", PreferenceChoice.MustMeet),
            ],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            // Two tables in all (2 slots × 1 table) for three feasible must-meets: one of them finds no table.
            Assert.That(agenda.Meetings, Has.Count.EqualTo(2));
            Assert.That(agenda.MustMeetUnscheduled.Where(m => m.Organization is "企业甲" or "上午大学" or "南开大学"), Is.EqualTo(new[]
            {
                new MustMeetMiss("企业甲", "满额大学", MustMeetReasons.Capacity),
                new MustMeetMiss("上午大学", "下午企业", MustMeetReasons.NoCommonSlot),
                new MustMeetMiss("南开大学", "拒绝企业", MustMeetReasons.Vetoed),
            }));
            Assert.That(agenda.MustMeetUnscheduled.Count(m => m.Reason is MustMeetReasons.NoTable or MustMeetReasons.NoCommonSlot), Is.EqualTo(2),
                "the fourth must-meet is left for want of a table or, 复旦大学 being busy, a common slot");
            Assert.That(agenda.MustMeetUnscheduled, Has.Count.EqualTo(4));
        }
    }

    [Test]
    public void Plan_ExposureCap_NoOrganisationOverTheCap()
    {
        var requests = Enumerable.Range(1, 6).Select(i => Pair("热门高校", $"企业{i}", 0.5 + (i / 20.0))).ToArray();
        var options = new AgendaOptions { Slots = 8, Tables = 10, MaxCounterparts = 2 };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings.Select(m => m.Enterprise), Is.EquivalentTo(new[] { "企业6", "企业5" }));
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Plan_FairnessFloor_GivesTheWeakerOrganisationItsOnlyMeeting(bool floor)
    {
        // 企业X can take one meeting. Without the floor 高校A takes it (0.9 + 0.8); with it 高校B, whose only pair it is,
        // gets it and 高校A keeps 企业Y.
        MeetingRequest[] requests = [Pair("高校A", "企业X", 0.9), Pair("高校A", "企业Y", 0.8), Pair("高校B", "企业X", 0.3)];
        var options = new AgendaOptions { Slots = 2, Tables = 5, Capacities = [new("企业X", 1, Always)], FairnessFloor = floor };

        foreach (var time in new[] { 10.0, 0.0 })
        {
            var agenda = AgendaPlanner.Plan(requests, options with { SolverDeterministicTime = time });

            using (Assert.EnterMultipleScope())
            {
                Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
                Assert.That(agenda.Meetings.Select(m => m.University + "–" + m.Enterprise), Is.EquivalentTo(floor
                    ? new[] { "高校B–企业X", "高校A–企业Y" }
                    : new[] { "高校A–企业X", "高校A–企业Y" }), $"solver time {time}");
            }
        }
    }

    [Test]
    public void Plan_KeptMeetings_StayAtTheirSlotAndTableAndTheRestIsPlannedAround()
    {
        MeetingRequest[] requests = [Pair("中南大学", "宁波新能源公司", 0.9), Pair("中南大学", "长沙电池厂", 0.8), Pair("南开大学", "宁波新能源公司", 0.7)];
        var options = new AgendaOptions
        {
            Slots = 2,
            Tables = 3,
            Keep = [new ConfirmedMeeting(1, 3, "南开大学", "长沙电池厂")],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(requests, options, agenda), Is.Empty);
            Assert.That(agenda.Meetings, Does.Contain(new Meeting(1, 3, "南开大学", "长沙电池厂", 0) { Value = 0, Kept = true }));
            // 南开大学 and 长沙电池厂 are busy in slot 1, so their other meetings go to slot 2.
            Assert.That(agenda.Meetings.Where(m => !m.Kept).Select(m => (m.Slot, m.Table, m.University, m.Enterprise)), Is.EquivalentTo(new[]
            {
                (1, 1, "中南大学", "宁波新能源公司"),
                (2, 1, "中南大学", "长沙电池厂"),
                (2, 2, "南开大学", "宁波新能源公司"),
            }));
        }
    }

    [Test]
    public void Plan_OnePairManySlots_UsesSlotOne()
    {
        MeetingRequest[] requests = [Pair("中南大学", "宁波新能源公司", 0.9), Pair("南开大学", "天津制药厂", 0.8)];
        var options = new AgendaOptions { Slots = 6, Tables = 2 };

        var agenda = AgendaPlanner.Plan(requests, options);

        Assert.That(agenda.Meetings.Select(m => m.Slot), Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void Plan_MutualInterest_OutranksOneSidedInterest()
    {
        // 中南大学 has one slot; both enterprises have the same evidence, but only 宁波新能源公司's interest is returned.
        MeetingRequest[] requests = [Pair("中南大学", "宁波新能源公司", 0.6), Pair("中南大学", "长沙电池厂", 0.6)];
        var options = new AgendaOptions
        {
            Slots = 1,
            Preferences =
            [
                new("宁波新能源公司", "中南大学", PreferenceChoice.Interested),
                new("中南大学", "宁波新能源公司", PreferenceChoice.Interested),
                new("长沙电池厂", "中南大学", PreferenceChoice.Interested),
            ],
        };

        var agenda = AgendaPlanner.Plan(requests, options);

        Assert.That(agenda.Meetings.Select(m => m.Enterprise), Is.EqualTo(new[] { "宁波新能源公司" }));
    }

    [Test]
    public void Plan_StatedInterestWithoutEvidence_CanBeScheduled()
    {
        var options = new AgendaOptions { Slots = 1, Preferences = [new("长沙电池厂", "中南大学", PreferenceChoice.Interested)] };

        var agenda = AgendaPlanner.Plan([], options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check([], options, agenda), Is.Empty);
            // With no request the planner cannot tell the sides apart: the stating organisation is put first.
            Assert.That(agenda.Meetings.Select(m => (m.University, m.Enterprise)), Is.EqualTo(new[] { ("长沙电池厂", "中南大学") }));
            Assert.That(agenda.Meetings[0].Value, Is.EqualTo(Math.Round(0.8 * Math.Sqrt(0.05), 6)));
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    public void Plan_GeneratedEventsWithPreferences_PassTheIndependentChecker(int seed)
    {
        var generated = GeneratedEvent.WithPreferences(seed, deterministicTime: 1);

        var agenda = AgendaPlanner.Plan(generated.Requests, generated.Options);
        var greedy = AgendaPlanner.Plan(generated.Requests, generated.Options with { SolverDeterministicTime = 0 });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, agenda), Is.Empty);
            Assert.That(AgendaChecker.Check(generated.Requests, generated.Options, greedy), Is.Empty, "the greedy fallback keeps every rule too");
            Assert.That(agenda.Meetings.Count(m => m.Kept), Is.EqualTo(generated.Options.Keep.Count));
            Assert.That(agenda.MustMeetsStated, Is.GreaterThan(0));
            Assert.That(agenda.Objective, Is.LessThanOrEqualTo(agenda.UpperBound + 1e-6));
        }
    }

    [Test]
    public void Plan_InvalidKeptMeetingsAndCap_Rejected()
    {
        var options = new AgendaOptions
        {
            Slots = 2,
            Tables = 2,
            MaxCounterparts = -1,
            Keep = [new(3, 1, "中南大学", "宁波新能源公司"), new(1, 1, "南开大学", "天津制药厂"), new(1, 1, "复旦大学", "上海企业")],
        };

        var error = Assert.Throws<ArgumentException>(() => AgendaPlanner.Plan([], options));

        Assert.That(error.Message, Does.Contain("MaxCounterparts must be 0 (no cap) or more (was -1)")
            .And.Contain("Keep[0]: slot 3 or table 1 outside 1..2 × 1..2")
            .And.Contain("Keep[2]: table 1 of slot 1 is taken twice"));
    }
}
