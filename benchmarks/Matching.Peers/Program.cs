using System.Globalization;
using Matching.Peers;

// Measurements of Matching against peers; run through ../peers/*.sh (see ../peers/README.md).
// Results: one JSON object a line on stdout. Logs: stderr.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

const string Usage = """
    usage: Matching.Peers <command> ...
      lines DATA_DIR OUT_FILE                        one CSL abstract a line (the common segmentation input)
      seg-jiebanet LINES TOKENS_OUT [--rounds 3]     jieba.NET Cut with its own dictionary
      seg-matching LINES OUT_DIR [--rounds 3]        Matching's segmenter vs jieba.NET Cut/Tokenize, same dictionary
      bm25-dump DATA_DIR OUT_DIR [--demands demands.dev.title.jsonl] [--achievements achievements.jsonl] [--limit 0]
                [--analyzer query|index] [--max-terms 0] [--threads 1]
      bm25-cap DOCS_TSV QUERIES_FULL_TSV OUT_DIR [--limit 0] [--max-terms 300]   (a corpus prefix and its capped queries)
      bm25 DUMP_DIR [--scorer lucene|engine] [--sim lucene8|lucene48] [--dir mmap|nio|ram] [--index DIR] [--queries 0]
                [--warmup 5] [--rounds 3] [--passes 5] [--run-out FILE]
      model-rows DATA_DIR OUT_DIR [--demands demands.dev.title.jsonl] [--judgments judgments.dev.qrels]
      model OUT_DIR [--rounds 3] [--min-seconds 1]
    """;

if (args.Length < 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

return args[0] switch
{
    "lines" => Segmentation.Lines(args[1], args[2]),
    "seg-jiebanet" => Segmentation.JiebaNetDefault(args[1], args[2], Int("--rounds", 3)),
    "seg-matching" => Segmentation.Matching(args[1], args[2], Int("--rounds", 3)),
    "bm25-dump" => Retrieval.Dump(args[1], Option("--achievements", "achievements.jsonl"), Option("--demands", "demands.dev.title.jsonl"), args[2],
        Option("--analyzer", "query"), Int("--limit", 0), Int("--max-terms", 0), Int("--threads", 1)),
    "bm25-cap" => Retrieval.Cap(args[1], args[2], args[3], Int("--limit", 0), Int("--max-terms", 300)),
    "bm25" => Retrieval.Search(args[1], Option("--sim", "lucene8"), Option("--scorer", "lucene"), Option("--dir", "mmap"),
        Option("--index", "") is { Length: > 0 } index ? index : null, Int("--queries", 0),
        Int("--warmup", 5), Int("--rounds", 3), Int("--passes", 5), Option("--run-out", "") is { Length: > 0 } r ? r : null),
    "model-rows" => Models.ExportRows(args[1], Option("--demands", "demands.dev.title.jsonl"), Option("--judgments", "judgments.dev.qrels"), args[2]),
    "model" => Models.Bench(args[1], Int("--rounds", 3), double.Parse(Option("--min-seconds", "1"), CultureInfo.InvariantCulture)),
    _ => Fail(),
};

int Fail()
{
    Console.Error.WriteLine(Usage);
    return 2;
}
