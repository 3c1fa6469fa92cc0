using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Matching.Engine;
using Matching.Evaluation;
using Matching.Ingestion;
using Matching.Reporting;

namespace Matching.Cli.Commands;

/// <summary><c>matching evaluate</c>: retrieval quality against TREC judgments.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CommandHost host)
    {
        var achievements = CommonOptions.Achievements();
        achievements.Required = true;
        var demands = CommonOptions.Demands();
        demands.Required = true;
        var judgments = new Option<string>("--judgments", "-j") { Description = "TREC qrels: demand_id 0 achievement_id grade (grade > 0 is relevant).", Required = true, HelpName = "FILE" };
        var depth = CommonOptions.PositiveInt("--depth", 100, "Results retrieved per demand.");
        var runOut = new Option<string?>("--run-out") { Description = "Write the TREC run (demand_id Q0 achievement_id rank score tag) here.", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object instead of a table." };
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();
        var onBadRow = CommonOptions.OnBadRow();

        var command = new Command("evaluate", "Retrieve for every judged demand and print MRR@10, nDCG@10, Recall@10 and Recall@100.")
        {
            achievements, demands, judgments, depth, runOut, json, analyzer, encoding, sheet, onBadRow,
        };

        command.SetAction(parse => host.Execute(() =>
        {
            var readOptions = CommandHost.ReadOptions(parse.GetValue(encoding), parse.GetValue(sheet), parse.GetValue(onBadRow)!);
            var achievementList = host.ReadAchievements(parse.GetValue(achievements)!, readOptions);
            var demandList = host.ReadDemands(parse.GetValue(demands)!, readOptions);
            var judgmentsPath = parse.GetValue(judgments)!;
            CommandHost.RequireFile(judgmentsPath, "--judgments");
            var judgmentList = JudgmentReader.Read(judgmentsPath);

            var options = new EngineOptions { Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!) };
            using var engine = MatchingEngine.Create(achievementList, [], options);
            host.Log($"indexed {engine.AchievementCount} achievements; retrieving for judged demands");
            var result = engine.Evaluate(demandList, judgmentList, parse.GetValue(depth));

            if (parse.GetValue(runOut) is { } runPath)
            {
                MatchOutputWriter.WriteRun(runPath, result.Run);
                host.Log($"wrote {Path.GetFullPath(runPath)}");
            }

            var m = result.Bm25;
            if (parse.GetValue(json))
            {
                host.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["queries"] = m.Queries,
                    ["bm25"] = Metrics(m),
                }));
            }
            else
            {
                host.Out.WriteLine($"queries     {m.Queries}");
                host.Out.WriteLine("metric      bm25");
                foreach (var (name, value) in Metrics(m))
                {
                    host.Out.WriteLine($"{name,-11} {value.ToString("0.0000", CultureInfo.InvariantCulture)}");
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Dictionary<string, double> Metrics(RankingMetrics m) => new()
    {
        ["mrr@10"] = Math.Round(m.Mrr10, 6),
        ["ndcg@10"] = Math.Round(m.Ndcg10, 6),
        ["recall@10"] = Math.Round(m.Recall10, 6),
        ["recall@100"] = Math.Round(m.Recall100, 6),
    };
}
