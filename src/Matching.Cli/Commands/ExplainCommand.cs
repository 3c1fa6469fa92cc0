using System.CommandLine;
using System.Globalization;
using System.Text;
using Matching.Engine;
using Matching.Cli.Hosting;

namespace Matching.Cli.Commands;

/// <summary><c>matching explain</c>: why an achievement does (or does not) fit a demand.</summary>
internal static class ExplainCommand
{
    public static Command Create(CommandHost host)
    {
        var demandId = new Option<string>("--demand") { Description = "Demand id.", Required = true, HelpName = "ID" };
        var achievementId = new Option<string>("--achievement") { Description = "Achievement id.", Required = true, HelpName = "ID" };
        var achievements = CommonOptions.Achievements("Achievements file (default: the sample event).");
        var demands = CommonOptions.Demands("Demands file (default: the sample event).");
        var model = CommonOptions.Model("Reranker zip, or none. Default: the shipped model.");
        var analyzer = CommonOptions.Analyzer();
        var encoding = CommonOptions.Encoding();
        var sheet = CommonOptions.Sheet();

        var command = new Command("explain", "Explain a demand–achievement pair: rank, scores, matched terms with highlighted passages, and the features that moved its score.")
        {
            demandId, achievementId, achievements, demands, model, analyzer, encoding, sheet,
        };
        var limits = new InputLimitOptions();
        limits.AddTo(command);
        var maxAnalyzedChars = CommonOptions.MaxAnalyzedChars();
        command.Add(maxAnalyzedChars);
        var semantic = new SemanticOptions();
        semantic.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var achievementsPath = parse.GetValue(achievements) ?? CommandHost.SampleFile("achievements.csv");
            var demandsPath = parse.GetValue(demands) ?? CommandHost.SampleFile("demands.csv");
            var readOptions = limits.ReadOptions(parse, parse.GetValue(encoding), parse.GetValue(sheet), "fail");
            var achievementList = host.ReadAchievements(achievementsPath, readOptions);
            var demandList = host.ReadDemands(demandsPath, readOptions);
            var demand = demandList.FirstOrDefault(d => d.Id == parse.GetValue(demandId))
                ?? throw new InputFormatException(demandsPath, 0, "id", "no demand with this id", parse.GetValue(demandId));
            var achievement = achievementList.FirstOrDefault(a => a.Id == parse.GetValue(achievementId))
                ?? throw new InputFormatException(achievementsPath, 0, "id", "no achievement with this id", parse.GetValue(achievementId));

            var (ranker, bm25Strength) = host.RankerForLists(
                host.LoadModel(parse.GetValue(model)!, semantic.On(parse)), host.Bm25Strength(parse.GetValue(model)!), semantic.On(parse), feedback: false);

            using var engine = MatchingEngine.Create(achievementList, demandList, new EngineOptions
            {
                Analyzer = CommonOptions.ParseAnalyzer(parse.GetValue(analyzer)!),
                Ranker = ranker,
                Bm25Strength = bm25Strength,
                MaxAnalyzedChars = parse.GetValue(maxAnalyzedChars),
                Semantic = semantic.On(parse),
                SemanticDepth = semantic.DepthOf(parse),
                Encoder = semantic.Load(parse, host),
            });
            var x = engine.Explain(demand, achievement);
            var o = host.Out;
            o.WriteLine($"需求 demand       {demand.Id}  {demand.Title}  ({demand.Organization})");
            o.WriteLine($"成果 achievement  {achievement.Id}  {achievement.Title}  ({achievement.Organization})");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"排名 rank         {(x.Rank is { } r ? r.ToString(CultureInfo.InvariantCulture) : $"not in the top {EventPlanner.FilterDepth}")}"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"得分 score        {x.Score:0.000000}{(engine.IsReranking ? " (reranker)" : " (BM25)")}   BM25 {x.Bm25:0.000000}"));
            if (x.Strength is { } strength)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"强度 strength     {strength:0.000} (calibrated probability of a useful match; strong from 0.5)"));
            }
            o.WriteLine($"命中词 terms      {(x.Explanation.MatchedTerms.Count == 0 ? "(none)" : string.Join("、", x.Explanation.MatchedTerms))}");
            if (x.Explanation.Bridges is { Count: > 0 } bridges)
            {
                o.WriteLine($"语义关联 bridges  {string.Join("; ", bridges)}");
            }
            foreach (var snippet in x.Explanation.Snippets)
            {
                var text = new StringBuilder();
                foreach (var piece in snippet.Pieces)
                {
                    text.Append(piece.Highlighted ? $"【{piece.Text}】" : piece.Text);
                }

                o.WriteLine($"片段 {snippet.Field,-9} {text}");
            }

            if (x.Explanation.Contributions.Count > 0)
            {
                o.WriteLine("影响最大的特征 features that moved the score (vs. a typical candidate):");
                foreach (var c in x.Explanation.Contributions)
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Contribution,9:+0.000;-0.000}  {c.Label}（{c.Feature} = {c.Value:0.###}）"));
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
