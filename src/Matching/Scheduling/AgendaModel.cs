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
}

/// <summary>One scheduled meeting.</summary>
/// <param name="Slot">1-based slot.</param>
/// <param name="Table">1-based table.</param>
/// <param name="University">The university.</param>
/// <param name="Enterprise">The enterprise.</param>
/// <param name="Score">The pair score.</param>
public sealed record Meeting(int Slot, int Table, string University, string Enterprise, double Score);

/// <summary>A meeting plan with the numbers that show how good it is.</summary>
/// <param name="Meetings">Meetings by slot, then table.</param>
/// <param name="Objective">Sum of the scheduled pairs' scores.</param>
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
    IReadOnlyList<MeetingRequest> Unscheduled);
