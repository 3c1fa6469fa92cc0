using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Matching.Engine;
using Matching.Ranking;
using Matching.Reporting;
using Matching.Cli.Hosting;

namespace Matching.Cli.Commands;

/// <summary><c>matching evaluate</c>: ranking quality against TREC judgments, BM25 and reranked.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CommandHost host)
    {
        var ranking = new RankingOptions();
        var model = CommonOptions.Model("Ranker to evaluate: a model zip, or none for BM25 only. Default: the shipped model.");
        var runOut = new Option<string?>("--run-out") { Description = "Write the final (reranked, if a model is used) TREC run here.", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object instead of a table." };
        var threads = CommonOptions.Threads("Query threads (retrieval and features); the metrics do not depend on it.");
        var maxQueryTerms = CommonOptions.MaxQueryTerms();
        var semantic = new SemanticOptions();
        var feedback = new FeedbackOptions();

        var command = new Command("evaluate", "Rank every judged demand's candidates by BM25 and by the reranker, and print MRR@10, nDCG@10, Recall@10, Recall@100 (judged-only: MRR, nDCG, P@1).");
        ranking.AddTo(command);
        command.Add(model);
        command.Add(runOut);
        command.Add(json);
        command.Add(threads);
        command.Add(maxQueryTerms);
        semantic.AddTo(command);
        feedback.AddTo(command);

        command.SetAction(parse => host.Execute(() =>
        {
            var data = ranking.Read(parse, host, feedback.Apply(parse, new Matching.Retrieval.RetrievalOptions { MaxQueryTerms = parse.GetValue(maxQueryTerms) }));
            data = data.WithSemantic(semantic.On(parse), semantic.Load(parse, host), semantic.DepthOf(parse));
            var ranker = host.LoadModel(parse.GetValue(model)!, data.Semantic);
            if (data.Semantic && ranker is not null && !CommandHost.FitsExpandedLists(ranker.Metadata, feedback: false))
            {
                host.Err.WriteLine("warning: " + CommandHost.Bm25ModelOnFusedLists("evaluated as asked (match would rank by the fused order)"));
            }

            if (data.Retrieval.Feedback && data.Candidates is null && ranker is not null && !CommandHost.FitsExpandedLists(ranker.Metadata, feedback: true))
            {
                host.Err.WriteLine("warning: " + CommandHost.ModelWithoutFeedbackOnFeedbackLists("evaluated as asked (match would rank by the feedback order)"));
            }

            host.Log($"evaluating {(ranker is null ? "BM25" : "BM25 and the reranker")} on {data.Demands.Count} demands");
            var result = RankerWorkflow.Evaluate(data, ranker, parse.GetValue(threads));

            if (parse.GetValue(runOut) is { } runPath)
            {
                EventOutputWriter.WriteRun(runPath, result.Run, reranked: ranker is not null);
                host.Log($"wrote {Path.GetFullPath(runPath)}");
            }

            var queries = (result.Bm25.Judged?.Queries ?? result.Bm25.Full!.Queries);
            if (parse.GetValue(json))
            {
                var output = new Dictionary<string, object> { ["queries"] = queries, ["bm25"] = Metrics(result.Bm25) };
                if (result.Reranked is { } reranked)
                {
                    output["reranked"] = Metrics(reranked);
                }

                if (result.Calibration is { } calibration)
                {
                    output["calibration"] = calibration;
                }

                if (result.Bm25Calibration is { } bm25Calibration)
                {
                    output["bm25_calibration"] = bm25Calibration;
                }

                host.Out.WriteLine(JsonSerializer.Serialize(output));
            }
            else
            {
                host.Out.WriteLine($"queries     {queries}");
                host.Out.WriteLine(result.Reranked is null ? "metric      bm25" : "metric      bm25     reranked");
                var reranked = result.Reranked is null ? null : Metrics(result.Reranked);
                foreach (var (name, value) in Metrics(result.Bm25))
                {
                    var line = $"{name,-11} {value.ToString("0.0000", CultureInfo.InvariantCulture)}";
                    host.Out.WriteLine(reranked is null ? line : $"{line}   {reranked[name].ToString("0.0000", CultureInfo.InvariantCulture)}");
                }

                foreach (var (what, check) in new[] { ("reranked", result.Calibration), ("bm25", result.Bm25Calibration) })
                {
                    if (check is null)
                    {
                        continue;
                    }

                    host.Out.WriteLine(FormattableString.Invariant(
                        $"strength ({what}): {check.Pairs} top-10 pairs, Brier {check.BrierScore:0.0000}, strong (p ≥ {CalibrationCheck.Strong:0.0}) precision {check.StrongPrecision:0.0000} recall {check.StrongRecall:0.0000}; lists without their answer showing a strong match: {check.AnswerlessStrong:0.0000} of {check.AnswerlessLists}"));
                    host.Out.WriteLine(RankerWorkflow.DescribeReliability(check.Reliability));
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    internal static Dictionary<string, double> Metrics(RankingScores scores) => scores.Judged is { } j
        ? new() { ["mrr"] = Math.Round(j.Mrr, 6), ["ndcg"] = Math.Round(j.Ndcg, 6), ["p@1"] = Math.Round(j.P1, 6) }
        : new()
        {
            ["mrr@10"] = Math.Round(scores.Full!.Mrr10, 6),
            ["ndcg@10"] = Math.Round(scores.Full.Ndcg10, 6),
            ["recall@10"] = Math.Round(scores.Full.Recall10, 6),
            ["recall@100"] = Math.Round(scores.Full.Recall100, 6),
        };
}
