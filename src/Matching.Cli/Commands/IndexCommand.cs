using System.CommandLine;
using Matching.Engine;

namespace Matching.Cli.Commands;

/// <summary><c>matching index</c>: build or incrementally update the on-disk indexes.</summary>
internal static class IndexCommand
{
    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.Achievements();
        var demands = CommonOptions.Demands();
        var index = new Option<string>("--index") { Description = "Index folder (achievements/ and demands/ inside).", Required = true, HelpName = "DIR" };
        var prune = new Option<bool>("--prune") { Description = "Delete indexed records whose ids are absent from the input." };
        var rebuild = new Option<bool>("--rebuild") { Description = "Start from empty indexes (needed after changing --analyzer)." };
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();
        var onBadRow = CommonOptions.OnBadRow();

        var command = new Command("index", "Build or update the achievement and demand indexes by id; each run ends in one commit, so an interrupted run leaves the previous index intact.")
        {
            achievements, demands, index, prune, rebuild, analyzer, encoding, sheet, onBadRow,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var achievementsPath = parse.GetValue(achievements);
            var demandsPath = parse.GetValue(demands);
            if (achievementsPath is null && demandsPath is null)
            {
                throw new UsageException("give --achievements, --demands or both");
            }

            if (parse.GetValue(prune) && (achievementsPath is null || demandsPath is null))
            {
                throw new UsageException("--prune needs both --achievements and --demands: a missing input would empty its index");
            }

            var readOptions = CommandHost.ReadOptions(parse.GetValue(encoding), parse.GetValue(sheet), parse.GetValue(onBadRow)!);
            var achievementList = achievementsPath is null ? [] : host.ReadAchievements(achievementsPath, readOptions);
            var demandList = demandsPath is null ? [] : host.ReadDemands(demandsPath, readOptions);
            var options = new EngineOptions
            {
                IndexPath = parse.GetValue(index)!,
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
            };

            var report = MatchingEngine.UpdateIndex(achievementList, demandList, options, parse.GetValue(prune), parse.GetValue(rebuild));
            host.Out.WriteLine($"achievements: {Describe(report.Achievements)}");
            host.Out.WriteLine($"demands: {Describe(report.Demands)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Describe(IndexCounts c) =>
        $"{c.Added} added, {c.Updated} updated, {c.Unchanged} unchanged, {c.Deleted} deleted, {c.Total} in index";
}
