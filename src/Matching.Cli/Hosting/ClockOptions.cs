using System.CommandLine;
using Matching.Scheduling;

namespace Matching.Cli.Hosting;

/// <summary><c>--start-time HH:mm</c>, <c>--slot-minutes N</c>, <c>--break-minutes N</c>: clock times for the agenda's
/// slots (override the options file's <c>agenda.startTime</c>, <c>slotMinutes</c>, <c>breakMinutes</c>).</summary>
internal sealed class ClockOptions
{
    public Option<string?> StartTime { get; } = new("--start-time")
    {
        Description = "When the first slot starts (HH:mm, e.g. 09:00); with --slot-minutes, schedules show clock times (09:00–09:20).",
        HelpName = "HH:mm",
    };

    public Option<int?> SlotMinutes { get; } = new("--slot-minutes") { Description = "Length of a slot in minutes.", HelpName = "N" };

    public Option<int?> BreakMinutes { get; } = new("--break-minutes") { Description = "Minutes between two slots (default 0).", HelpName = "N" };

    public void AddTo(Command command)
    {
        command.Add(StartTime);
        command.Add(SlotMinutes);
        command.Add(BreakMinutes);
    }

    /// <summary>The agenda options with the given clock settings, checked.</summary>
    /// <exception cref="UsageException">The clock settings do not fit together (the message says how).</exception>
    public AgendaOptions Apply(AgendaOptions agenda, ParseResult parse)
    {
        var updated = agenda with
        {
            StartTime = parse.GetValue(StartTime) ?? agenda.StartTime,
            SlotMinutes = parse.GetValue(SlotMinutes) ?? agenda.SlotMinutes,
            BreakMinutes = parse.GetValue(BreakMinutes) ?? agenda.BreakMinutes,
        };
        return updated.TimeProblem() is { } problem ? throw new UsageException(problem) : updated;
    }
}
