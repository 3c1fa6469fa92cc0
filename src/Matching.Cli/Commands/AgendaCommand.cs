using System.CommandLine;
using System.Globalization;
using Matching.Aggregation;
using Matching.Reporting;
using Matching.Scheduling;
using Matching.Cli.Hosting;
using Matching.Ingestion;

namespace Matching.Cli.Commands;

/// <summary><c>matching agenda</c>: plan meetings from a university–enterprise pair list.</summary>
internal static class AgendaCommand
{
    public static Command Create(CommandHost host)
    {
        var pairs = new Option<string?>("--pairs") { Description = "Pair list CSV with university, enterprise and score columns (pairs.csv of `match`).", HelpName = "FILE" };
        var from = new Option<string?>("--from") { Description = "A `match` output folder: reads its pairs.csv and writes the agenda there unless --out is given.", HelpName = "DIR" };
        var slots = CommonOptions.PositiveInt("--slots", 8, "Meeting slots.");
        var tables = CommonOptions.PositiveInt("--tables", 20, "Tables (meetings per slot).");
        var capacityFile = new Option<string?>("--capacity-file") { Description = "CSV organization,capacity,unavailable_slots.", HelpName = "FILE" };
        var defaultCapacity = new Option<int>("--default-capacity") { Description = "Meetings an organisation can staff unless listed.", DefaultValueFactory = _ => 4, HelpName = "K" };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default: --from, else out).", HelpName = "DIR" };
        var preferencesFile = PreferencesOption();
        var keep = new Option<string?>("--keep") { Description = "Confirmed meetings to keep fixed (CSV/XLSX slot,table,university,enterprise; agenda_by_slot.csv as written); only the rest is planned again.", HelpName = "FILE" };
        var maxCounterparts = new Option<int>("--max-counterparts") { Description = "Exposure cap: no organisation is proposed to more than N counterparts (0: no cap).", DefaultValueFactory = _ => 0, HelpName = "N" };
        var noFairnessFloor = new Option<bool>("--no-fairness-floor") { Description = "Do not guarantee every organisation with a strong match one meeting first (where feasible)." };

        var command = new Command("agenda", "Choose meetings and assign each a slot and table, maximising the expected number of accepted meetings (P(accept) from pairs.csv and both sides' preferences; the score when neither is there): must-meets first, vetoes never, one meeting for every organisation with a strong match where feasible, nobody double-booked, capacities, caps and unavailability respected (CP-SAT). Writes agenda_by_slot.csv, agenda_by_organization.csv and agenda.xlsx (and must_meet_unscheduled.csv with preferences).")
        {
            pairs, from, slots, tables, capacityFile, defaultCapacity, output, preferencesFile, keep, maxCounterparts, noFairnessFloor,
        };
        var reportLimits = new ReportLimitOptions();
        reportLimits.AddTo(command);
        var clock = new ClockOptions();
        clock.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var pairsPath = parse.GetValue(pairs);
            var fromDir = parse.GetValue(from);
            if ((pairsPath is null) == (fromDir is null))
            {
                throw new UsageException("give exactly one of --pairs FILE or --from DIR");
            }

            pairsPath ??= Path.Combine(fromDir!, EventOutputWriter.PairsFile);
            var (requests, directory) = PairListReader.ReadWithIds(pairsPath);
            var capacities = parse.GetValue(capacityFile) is { } capacityPath
                // A pair list names only organisations with pairs, so names are checked by `match`, which sees every record.
                ? CapacityReader.Read(capacityPath, organizations: null, parse.GetValue(slots))
                : [];
            if (parse.GetValue(defaultCapacity) < 0)
            {
                throw new UsageException("--default-capacity must not be negative");
            }

            if (parse.GetValue(maxCounterparts) < 0)
            {
                throw new UsageException("--max-counterparts must be 0 (no cap) or more");
            }

            // Names and ids are those of the pair list (its evidence column gives the ids' organisations).
            var preferences = parse.GetValue(preferencesFile) is { } preferencesPath ? PreferenceReader.Read(preferencesPath, directory) : [];
            var kept = parse.GetValue(keep) is { } keepPath
                ? ConfirmedMeetingReader.Read(keepPath, directory.Organizations, parse.GetValue(slots), parse.GetValue(tables), capacities, parse.GetValue(defaultCapacity))
                : [];
            var vetoed = kept.FirstOrDefault(k => preferences.Any(p => p.Choice is PreferenceChoice.No or PreferenceChoice.AlreadyMet
                && ((p.Organization == k.University && p.Counterpart == k.Enterprise) || (p.Organization == k.Enterprise && p.Counterpart == k.University))));
            if (vetoed is not null)
            {
                host.Log($"warning: the kept meeting {vetoed.University}–{vetoed.Enterprise} (slot {vetoed.Slot}) is vetoed or already met in the preferences; it stays, as confirmed");
            }

            var agenda = AgendaPlanner.Plan(requests, clock.Apply(new AgendaOptions
            {
                Slots = parse.GetValue(slots),
                Tables = parse.GetValue(tables),
                DefaultCapacity = parse.GetValue(defaultCapacity),
                Capacities = capacities,
                MaxCounterparts = parse.GetValue(maxCounterparts),
                FairnessFloor = !parse.GetValue(noFairnessFloor),
                Preferences = preferences,
                Keep = kept,
            }, parse));

            // With --from, a report of that run is rewritten with the new agenda, so it cannot show the old one.
            var reportJson = fromDir is null ? null : Path.Combine(fromDir, EventOutputWriter.JsonFile);
            var files = EventOutputWriter.WriteAgenda(parse.GetValue(output) ?? fromDir ?? "out", agenda, File.Exists(reportJson) ? reportJson : null, reportLimits.Read(parse));
            host.Out.WriteLine(Describe(agenda));
            foreach (var file in files)
            {
                host.Out.WriteLine(file);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The <c>--preferences</c> option of <c>match</c> and <c>agenda</c>.</summary>
    public static Option<string?> PreferencesOption() => new("--preferences")
    {
        Description = "Both sides' choices (CSV/XLSX organization,counterpart,choice; counterpart = organisation, demand id or achievement id; choice = must-meet/必见, interested/想见, no/不见, already-met/已对接).",
        HelpName = "FILE",
    };

    /// <summary>One line with the plan's quality: objective, greedy, bound, counts.</summary>
    public static string Describe(Agenda agenda) => string.Create(CultureInfo.InvariantCulture,
        $"agenda: {agenda.Meetings.Count} meetings, objective {agenda.Objective:0.000} (greedy {agenda.GreedyObjective:0.000}, upper bound {agenda.UpperBound:0.000}, {agenda.Status}); {agenda.Unscheduled.Count} requested pairs unscheduled")
        + (agenda.MustMeetsStated > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {agenda.MustMeetsStated - agenda.MustMeetUnscheduled.Count} of {agenda.MustMeetsStated} must-meets scheduled") : "")
        + (agenda.Meetings.Any(m => m.Kept) ? string.Create(CultureInfo.InvariantCulture, $"; {agenda.Meetings.Count(m => m.Kept)} kept") : "");
}
