using Matching.Ingestion;

namespace Matching.Scheduling;

/// <summary>The agenda's shape and limits: the <c>agenda</c> section of the event options file, plus the capacities
/// read from a capacity file. Every default is here and only here.</summary>
public sealed record AgendaOptions
{
    /// <summary>Meeting slots (rounds), numbered 1..Slots. Default 8.</summary>
    public int Slots { get; init; } = 8;

    /// <summary>Tables: most meetings in one slot. Default 20.</summary>
    public int Tables { get; init; } = 20;

    /// <summary>Capacity of an organisation the capacity list does not name. Default 4.</summary>
    public int DefaultCapacity { get; init; } = 4;

    /// <summary>Per-organisation capacities and unavailable slots (from a capacity file, not the options file).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<OrganizationCapacity> Capacities { get; init; } = [];

    /// <summary>Solver effort, in CP-SAT's deterministic time units (roughly seconds; the same value gives the same
    /// plan on any machine). The solver stops earlier when it proves the plan optimal. 0 skips the solver and returns
    /// the greedy plan. Default 10.</summary>
    public double SolverDeterministicTime { get; init; } = 10;

    /// <summary>Solver seed. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Exposure cap: most counterparts (meetings) any one organisation is proposed to, on top of its capacity;
    /// 0 means no cap. Keeps a few sought-after organisations from taking every table. Default 0.</summary>
    public int MaxCounterparts { get; init; }

    /// <summary>Fairness floor: every organisation with a real (strong-evidence) pair gets at least one meeting where
    /// feasible, before the expected accepted meetings are maximised. Applies when the agenda is planned by P(accept)
    /// (the requests carry probabilities or preferences are given); a plain score list is planned by score alone.
    /// Default true.</summary>
    public bool FairnessFloor { get; init; } = true;

    /// <summary>Both sides' stated choices (from a preferences file, not the options file): vetoes and already-met
    /// pairs are never scheduled, must-meets come first, interest raises a pair's value (see <see cref="PairValue"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<StatedPreference> Preferences { get; init; } = [];

    /// <summary>When the first slot starts, <c>HH:mm</c> (24-hour, e.g. <c>09:00</c>); with <see cref="SlotMinutes"/> the
    /// schedules show clock times (<c>09:00–09:20</c>). Null (the default): slot numbers only.</summary>
    public string? StartTime { get; init; }

    /// <summary>Length of a slot in minutes (the meeting). 0 (the default): no clock times.</summary>
    public int SlotMinutes { get; init; }

    /// <summary>Minutes between two slots (changeover). Default 0.</summary>
    public int BreakMinutes { get; init; }

    /// <summary>Each slot's time, <c>09:00–09:20</c>, for slots 1..<see cref="Slots"/>; null without
    /// <see cref="StartTime"/> and <see cref="SlotMinutes"/> (or when they are invalid: see <see cref="TimeProblem"/>).</summary>
    public IReadOnlyList<string>? SlotTimes()
    {
        if (TimeProblem() is not null || StartTime is null)
        {
            return null;
        }

        var start = StartMinutes(StartTime)!.Value;
        return [.. Enumerable.Range(0, Slots).Select(i =>
        {
            var from = start + (i * (SlotMinutes + BreakMinutes));
            return $"{Clock(from)}–{Clock(from + SlotMinutes)}";
        })];
    }

    /// <summary>What is wrong with the clock settings, or null: a start time needs a slot length and the other way round,
    /// the start is <c>HH:mm</c>, lengths are 1–1440 and 0–1440 minutes, and the last slot ends by 24:00.</summary>
    public string? TimeProblem()
    {
        if (StartTime is null && SlotMinutes == 0 && BreakMinutes == 0)
        {
            return null;
        }

        if (StartTime is null || SlotMinutes == 0)
        {
            return "startTime and slotMinutes go together (clock times need both)";
        }

        if (StartMinutes(StartTime) is not { } start)
        {
            return $"startTime '{StartTime}' is not a time of day as HH:mm (e.g. 09:00)";
        }

        if (SlotMinutes is < 1 or > 1440 || BreakMinutes is < 0 or > 1440)
        {
            return "slotMinutes must be 1 to 1440, breakMinutes 0 to 1440";
        }

        var end = start + ((long)Slots * SlotMinutes) + ((long)(Slots - 1) * BreakMinutes);
        return end > 24 * 60
            ? System.FormattableString.Invariant($"{Slots} slots of {SlotMinutes} minutes from {StartTime} (breaks {BreakMinutes}) end after midnight")
            : null;
    }

    private static int? StartMinutes(string text) =>
        System.TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)
            ? (time.Hour * 60) + time.Minute
            : null;

    private static string Clock(int minutes) =>
        System.FormattableString.Invariant($"{minutes / 60:00}:{minutes % 60:00}");

    /// <summary>Confirmed meetings kept fixed at their slot and table (from <c>agenda --keep</c>); only the rest is planned.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ConfirmedMeeting> Keep { get; init; } = [];
}

/// <summary>One scheduled meeting.</summary>
/// <param name="Slot">1-based slot.</param>
/// <param name="Table">1-based table.</param>
/// <param name="University">The university.</param>
/// <param name="Enterprise">The enterprise.</param>
/// <param name="Score">The pair score.</param>
public sealed record Meeting(int Slot, int Table, string University, string Enterprise, double Score)
{
    /// <summary>What the meeting is worth to the plan: the expected acceptance P(accept) of <see cref="PairValue"/>, or
    /// the score when the requests carry no probabilities and no preferences were given (score-only planning).</summary>
    public double Value { get; init; } = Score;

    /// <summary>Whether the meeting was confirmed beforehand and kept fixed (<see cref="AgendaOptions.Keep"/>).</summary>
    public bool Kept { get; init; }
}

/// <summary>A must-meet pair the plan could not hold, and why.</summary>
/// <param name="Organization">The organisation that asked for the meeting (the first, when both did).</param>
/// <param name="Counterpart">The organisation it wanted to meet.</param>
/// <param name="Reason">One of <see cref="MustMeetReasons"/>: capacity, no_common_slot, vetoed, no_table.</param>
public sealed record MustMeetMiss(string Organization, string Counterpart, string Reason);

/// <summary>Why a must-meet pair was not scheduled.</summary>
public static class MustMeetReasons
{
    /// <summary>One of the two organisations has no meeting left (capacity, exposure cap, or its kept meetings).</summary>
    public const string Capacity = "capacity";

    /// <summary>No slot in which both can meet: unavailable, or busy with other must-meets or kept meetings.</summary>
    public const string NoCommonSlot = "no_common_slot";

    /// <summary>The other side said no, or the pair has already met.</summary>
    public const string Vetoed = "vetoed";

    /// <summary>Every slot both could attend has all its tables taken.</summary>
    public const string NoTable = "no_table";

    /// <summary>The reason in Chinese, for the outputs' bilingual labels.</summary>
    /// <param name="reason">A reason code.</param>
    public static string Chinese(string reason) => reason switch
    {
        Capacity => "场次已满",
        NoCommonSlot => "无共同时段",
        Vetoed => "对方不见或已对接",
        NoTable => "无空桌",
        _ => reason,
    };
}

/// <summary>A meeting plan with the numbers that show how good it is.</summary>
/// <param name="Meetings">Meetings by slot, then table.</param>
/// <param name="Objective">Sum of the meetings' values (<see cref="Meeting.Value"/>): the expected number of accepted
/// meetings when the requests carry P(accept) or preferences were given, else the sum of scores.</param>
/// <param name="GreedyObjective">What a greedy plan (best pair first, earliest feasible slot) reaches.</param>
/// <param name="UpperBound">No plan can exceed this (the solver's proven bound, for the model after the per-organisation
/// candidate cut described on <see cref="AgendaPlanner"/>; never below <paramref name="Objective"/>).</param>
/// <param name="Status">The solver's status: OPTIMAL, FEASIBLE, or GREEDY when the solver found nothing better.</param>
/// <param name="Unscheduled">Requested pairs left out (no room, capacity or availability), best first.</param>
public sealed record Agenda(
    IReadOnlyList<Meeting> Meetings,
    double Objective,
    double GreedyObjective,
    double UpperBound,
    string Status,
    IReadOnlyList<MeetingRequest> Unscheduled)
{
    /// <summary>Must-meet pairs not in the plan, each with the reason, in the order they were stated.</summary>
    public IReadOnlyList<MustMeetMiss> MustMeetUnscheduled { get; init; } = [];

    /// <summary>How many distinct must-meet pairs the preferences stated (0: none, and no must-meet report is written).</summary>
    public int MustMeetsStated { get; init; }

    /// <summary>Each slot's clock time (<c>09:00–09:20</c>, slot 1 first) when the options gave a start time and a slot
    /// length; null otherwise (schedules then show slot numbers only).</summary>
    public IReadOnlyList<string>? SlotTimes { get; init; }

    /// <summary>The clock time of a 1-based slot, or "" without clock times.</summary>
    public string TimeOf(int slot) => SlotTimes is { } times && slot >= 1 && slot <= times.Count ? times[slot - 1] : "";
}
