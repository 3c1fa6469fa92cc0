using System.Globalization;
using Matching.Engine;
using Matching.Ingestion;
using Matching.Ranking;
using Matching.Text;

namespace Matching.Benchmarks;

/// <summary>Word vectors trained elsewhere against the event's own, on a judged event: the route by meaning's list and
/// the shipped reranker on it, with (1) vectors trained on the event's texts (what <c>--semantic on</c> does), (2)
/// general vectors trained on a corpus and fitted to the event (<see cref="WordVectorEncoder.Fit"/>), (3) vectors
/// trained on the corpus and the event's texts together.</summary>
/// <remarks><c>… general-vectors CORPUS_ACHIEVEMENTS.jsonl[,MORE.jsonl] EVENT_ACHIEVEMENTS EVENT_DEMANDS JUDGMENTS [DEPTH]</c>:
/// the corpus files are records in Matching's format (their titles, keywords and abstracts are the training texts).
/// Prints MRR@10 and R@10 of the fused list (no model) and of the shipped model on it, per encoder.</remarks>
internal static class GeneralVectors
{
    public static int Run(string[] args)
    {
        var corpus = args[0].Split(',').SelectMany(path => RecordReader.ReadAchievements(path).Records).Select(SemanticRoute.TextOf).ToList();
        var data = RankingData.FromFiles(args[1], args[2], args[3]);
        var depth = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
        List<string> eventTexts = [.. data.Achievements.Select(SemanticRoute.TextOf), .. data.Demands.Select(SemanticRoute.TextOf)];
        var general = WordVectors.Train(corpus);
        var encoders = new (string Name, ITextEncoder Encoder)[]
        {
            ("event", WordVectorEncoder.Train(eventTexts)),
            ("general", WordVectorEncoder.Fit(general, eventTexts)),
            ("general+event", WordVectorEncoder.Train([.. corpus, .. eventTexts])),
        };
        var model = RankerModel.LoadDefault();
        Console.WriteLine($"corpus {corpus.Count} texts, {general.Count} words; event {data.Demands.Count} demands, {data.Achievements.Count} achievements; depth {depth}");
        foreach (var (name, encoder) in encoders)
        {
            var result = RankerWorkflow.Evaluate(data.WithSemantic(true, encoder, depth), model, threads: 1);
            Console.WriteLine(FormattableString.Invariant(
                $"{name,-14} list MRR@10 {result.Bm25.Full!.Mrr10:0.0000} R@10 {result.Bm25.Full.Recall10:0.0000} R@100 {result.Bm25.Full.Recall100:0.0000} | reranked MRR@10 {result.Reranked!.Full!.Mrr10:0.0000} R@10 {result.Reranked.Full.Recall10:0.0000}"));
        }

        return 0;
    }
}
