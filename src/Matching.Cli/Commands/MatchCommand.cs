using System.CommandLine;
using Matching.Engine;
using Matching.Reporting;

namespace Matching.Cli.Commands;

/// <summary><c>matching match</c>: ranked recommendations both ways for a whole event.</summary>
internal static class MatchCommand
{
    public static string SampleDirectory => Path.Combine(AppContext.BaseDirectory, "sample");

    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.Achievements("Achievements file (.csv, .tsv, .jsonl or .xlsx). With neither input given, the embedded sample event is used.");
        var demands = CommonOptions.Demands();
        var output = new Option<string>("--out", "-o") { Description = "Output folder (created if missing).", DefaultValueFactory = _ => "out", HelpName = "DIR" };
        var topK = CommonOptions.PositiveInt("--top-k", 10, "Recommendations per demand and per achievement.");
        var index = new Option<string?>("--index") { Description = "Keep the indexes in this folder and update them incrementally (default: in memory).", HelpName = "DIR" };
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();
        var onBadRow = CommonOptions.OnBadRow();
        var model = new Option<string>("--model")
        {
            Description = "Reranker: a model zip, or none for BM25 order. Default: the shipped model.",
            DefaultValueFactory = _ => "default",
            HelpName = "FILE|none",
        };

        var command = new Command("match", "Recommend achievements for every demand and demands for every achievement; writes demand_matches.csv, achievement_matches.csv and run.trec.")
        {
            achievements, demands, output, topK, index, analyzer, encoding, sheet, onBadRow, model,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var achievementsPath = parse.GetValue(achievements);
            var demandsPath = parse.GetValue(demands);
            if (achievementsPath is null && demandsPath is null)
            {
                achievementsPath = Path.Combine(SampleDirectory, "achievements.csv");
                demandsPath = Path.Combine(SampleDirectory, "demands.csv");
                host.Log($"no inputs given: using the embedded sample event in {SampleDirectory}");
            }
            else if (achievementsPath is null || demandsPath is null)
            {
                throw new UsageException("give both --achievements and --demands (or neither, for the sample event)");
            }

            var readOptions = CommandHost.ReadOptions(parse.GetValue(encoding), parse.GetValue(sheet), parse.GetValue(onBadRow)!);
            var achievementList = host.ReadAchievements(achievementsPath, readOptions);
            var demandList = host.ReadDemands(demandsPath, readOptions);
            var ranker = EvaluateCommand.LoadModel(parse.GetValue(model)!, host);
            var options = new EngineOptions
            {
                IndexPath = parse.GetValue(index),
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
                Ranker = ranker,
            };

            var k = parse.GetValue(topK);
            using var engine = MatchingEngine.Create(achievementList, demandList, options);
            host.Log($"indexed {engine.AchievementCount} achievements and {engine.DemandCount} demands; matching top {k} both ways ({(ranker is null ? "BM25" : "BM25 top " + options.RerankDepth + ", reranked")})");
            var matches = engine.MatchAll(demandList, achievementList, k);
            var files = MatchOutputWriter.Write(
                parse.GetValue(output)!,
                matches,
                engine.Achievements().ToDictionary(a => a.Id, StringComparer.Ordinal),
                engine.Demands().ToDictionary(d => d.Id, StringComparer.Ordinal),
                ranker is null ? MatchOutputWriter.RunTag : MatchOutputWriter.RerankedRunTag);
            foreach (var file in files)
            {
                host.Out.WriteLine(file);
            }

            var strong = matches.ByDemand.Count(q => q.Candidates.Count > 0);
            host.Log($"{strong} of {demandList.Count} demands have at least one recommended achievement");
            return ExitCodes.Success;
        }));
        return command;
    }
}
