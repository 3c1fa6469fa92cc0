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

        var command = new Command("agenda", "Choose meetings and assign each a slot and table, maximising the total pair score: nobody double-booked, capacities and unavailability respected (CP-SAT). Writes agenda_by_slot.csv, agenda_by_organization.csv and agenda.xlsx.")
        {
            pairs, from, slots, tables, capacityFile, defaultCapacity, output,
        };
        var reportLimits = new ReportLimitOptions();
        reportLimits.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var pairsPath = parse.GetValue(pairs);
            var fromDir = parse.GetValue(from);
            if ((pairsPath is null) == (fromDir is null))
            {
                throw new UsageException("give exactly one of --pairs FILE or --from DIR");
            }

            pairsPath ??= Path.Combine(fromDir!, EventOutputWriter.PairsFile);
            var requests = PairListReader.Read(pairsPath);
            var capacities = parse.GetValue(capacityFile) is { } capacityPath
                // A pair list names only organisations with pairs, so names are checked by `match`, which sees every record.
                ? CapacityReader.Read(capacityPath, organizations: null, parse.GetValue(slots))
                : [];
            if (parse.GetValue(defaultCapacity) < 0)
            {
                throw new UsageException("--default-capacity must not be negative");
            }

            var agenda = AgendaPlanner.Plan(requests, new AgendaOptions
            {
                Slots = parse.GetValue(slots),
                Tables = parse.GetValue(tables),
                DefaultCapacity = parse.GetValue(defaultCapacity),
                Capacities = capacities,
            });

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

    /// <summary>One line with the plan's quality: objective, greedy, bound, counts.</summary>
    public static string Describe(Agenda agenda) => string.Create(CultureInfo.InvariantCulture,
        $"agenda: {agenda.Meetings.Count} meetings, objective {agenda.Objective:0.000} (greedy {agenda.GreedyObjective:0.000}, upper bound {agenda.UpperBound:0.000}, {agenda.Status}); {agenda.Unscheduled.Count} requested pairs unscheduled");
}
