using System.CommandLine;
using Matching.Text;

namespace Matching.Cli.Hosting;

/// <summary>Options several verbs share, created fresh per command.</summary>
internal static class CommonOptions
{
    public static Option<string?> Achievements(string description = "Achievements file (.csv, .tsv, .jsonl or .xlsx).") =>
        new("--achievements", "-a") { Description = description, HelpName = "FILE" };

    public static Option<string?> Demands(string description = "Demands file (.csv, .tsv, .jsonl or .xlsx).") =>
        new("--demands", "-d") { Description = description, HelpName = "FILE" };

    public static Option<string?> Encoding() =>
        new("--encoding") { Description = "Text encoding of CSV/JSONL inputs: auto (default: UTF-8 with or without BOM, or GB18030/GBK), utf-8, gb18030, gbk.", HelpName = "NAME" };

    public static Option<string?> Sheet() =>
        new("--sheet") { Description = "Worksheet of XLSX inputs (default: the first).", HelpName = "NAME" };

    public static Option<string> OnBadRow()
    {
        var option = new Option<string>("--on-bad-row")
        {
            Description = "fail: stop at the first bad row (default). skip: drop bad rows, print the first 20 problems and a count.",
            DefaultValueFactory = _ => "fail",
        };
        return option.AcceptOnlyFromAmong("fail", "skip");
    }

    public static Option<string> Analyzer()
    {
        var option = new Option<string>("--analyzer")
        {
            Description = "Chinese segmenter: jieba (default) or smartcn. An index remembers its analyzer.",
            DefaultValueFactory = _ => "jieba",
        };
        return option.AcceptOnlyFromAmong("jieba", "smartcn");
    }

    /// <summary><c>--model FILE|none</c>, default the shipped model; read it with <see cref="CommandHost.LoadModel"/>.</summary>
    public static Option<string> Model(string description) =>
        new("--model") { Description = description, DefaultValueFactory = _ => "default", HelpName = "FILE|none" };

    public static AnalyzerKind ParseAnalyzer(string value) => value == "smartcn" ? AnalyzerKind.SmartCn : AnalyzerKind.Jieba;

    public static Option<int> PositiveInt(string name, int defaultValue, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1");
            }
        });
        return option;
    }

    /// <summary><c>--max-analyzed-chars N</c>: <see cref="Matching.Engine.EngineOptions.MaxAnalyzedChars"/>.</summary>
    public static Option<int> MaxAnalyzedChars() => PositiveInt("--max-analyzed-chars", new Matching.Engine.EngineOptions().MaxAnalyzedChars,
        "Characters of a record's text (title, keywords, abstract/description, in that order) that are indexed and matched; the rest is ignored. Default 1048576.");

    /// <summary><c>--max-query-terms N</c>: <see cref="Matching.Retrieval.RetrievalOptions.MaxQueryTerms"/>, 1–340.</summary>
    public static Option<int> MaxQueryTerms()
    {
        var option = new Option<int>("--max-query-terms")
        {
            Description = $"Distinct query terms kept per query, highest weight × idf first (1–340, default {new Matching.Retrieval.RetrievalOptions().MaxQueryTerms}). Lower is faster on long descriptions and large catalogues, at some cost in recall (see benchmarks/README.md).",
            DefaultValueFactory = _ => new Matching.Retrieval.RetrievalOptions().MaxQueryTerms,
            HelpName = "N",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 340)
            {
                result.AddError("--max-query-terms must be between 1 and 340");
            }
        });
        return option;
    }

    /// <summary><c>--threads N</c>: 0 (the default) uses every core; negative values are refused.</summary>
    public static Option<int> Threads(string description)
    {
        var option = new Option<int>("--threads") { Description = description + " Default: all cores.", DefaultValueFactory = _ => 0, HelpName = "N" };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--threads must be 0 (all cores) or more");
            }
        });
        return option;
    }
}
