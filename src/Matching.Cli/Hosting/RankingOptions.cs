using System.CommandLine;
using Matching.Engine;
using Matching.Ingestion;

namespace Matching.Cli.Hosting;

/// <summary>The options <c>train</c> and <c>evaluate</c> share for candidate lists and judgments.</summary>
internal sealed class RankingOptions
{
    public Option<string?> Achievements { get; } = CommonOptions.Achievements();

    public Option<string?> Demands { get; } = CommonOptions.Demands();

    public Option<string> Judgments { get; } = new("--judgments", "-j")
    {
        Description = "Judgments: TREC qrels (demand_id 0 achievement_id grade; grade > 0 relevant, 0 a judged non-relevant pair), or an event outcome CSV (.csv: demand_id,achievement_id,outcome[,reason]; signed 3, project 2, met 1, declined 0).",
        Required = true,
        HelpName = "FILE",
    };

    public Option<string?> Candidates { get; } = new("--candidates")
    {
        Description = "Rerank exactly these lists (a TREC run: demand_id Q0 achievement_id rank score tag) instead of retrieving.",
        HelpName = "RUN",
    };

    public Option<int> Depth { get; } = CommonOptions.PositiveInt("--depth", 100, "BM25 candidates per demand.");

    public Option<bool> JudgedOnly { get; } = new("--judged-only")
    {
        Description = "Condensed lists: keep demands with a relevant and a grade-0 judgment, drop unjudged candidates; report MRR, nDCG, P@1.",
    };

    public Option<string?> ExcludeSelf { get; } = new("--exclude-self")
    {
        Description = "Pair tasks: demand PREFIX+X never gets achievement X, the same sentence (e.g. --exclude-self q).",
        HelpName = "PREFIX",
    };

    public Option<string?> Encoding { get; } = CommonOptions.Encoding();

    public Option<string?> Sheet { get; } = CommonOptions.Sheet();

    public Option<string> OnBadRow { get; } = CommonOptions.OnBadRow();

    public InputLimitOptions Limits { get; } = new();

    /// <summary>The options; with <paramref name="required"/> false (train, which can take <c>--sets</c> instead),
    /// the command checks that -a, -d and -j are given itself.</summary>
    public RankingOptions(bool required = true)
    {
        Achievements.Required = required;
        Demands.Required = required;
        Judgments.Required = required;
    }

    /// <summary>The options naming one data set's files and lists, which a sets file replaces.</summary>
    public IEnumerable<Option> SetOptions => [Achievements, Demands, Judgments, Candidates, JudgedOnly, ExcludeSelf];

    public ReadOptions ReadOptions(ParseResult parse) =>
        Limits.ReadOptions(parse, parse.GetValue(Encoding), parse.GetValue(Sheet), parse.GetValue(OnBadRow)!);

    /// <summary>Reads the sets a sets file names, with this command's read options and --depth as the default depth;
    /// <paramref name="retrieval"/> (default: the engine's) builds their queries.</summary>
    public IReadOnlyList<TrainingSet> ReadSets(ParseResult parse, CommandHost host, IReadOnlyList<TrainingSetSpec> specs, Matching.Retrieval.RetrievalOptions? retrieval = null)
    {
        var readOptions = ReadOptions(parse);
        var sets = new List<TrainingSet>();
        foreach (var spec in specs)
        {
            var judgments = spec.Judgments.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                ? OutcomeReader.Read(spec.Judgments)
                : JudgmentReader.Read(spec.Judgments);
            sets.Add(new TrainingSet(spec.Name, new RankingData
            {
                Achievements = host.ReadAchievements(spec.Achievements, readOptions),
                Demands = host.ReadDemands(spec.Demands, readOptions),
                Judgments = judgments,
                Candidates = spec.Candidates is null ? null : RunReader.Read(spec.Candidates),
                Depth = spec.Depth ?? parse.GetValue(Depth),
                JudgedOnly = spec.JudgedOnly,
                ExcludeSelfPrefix = spec.ExcludeSelf,
                Retrieval = retrieval ?? new(),
            }, spec.Weight));
        }

        return sets;
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Achievements, Demands, Judgments, Candidates, Depth, JudgedOnly, ExcludeSelf, Encoding, Sheet, OnBadRow })
        {
            command.Add(option);
        }

        Limits.AddTo(command);
    }

    /// <summary>The data set the options name; <paramref name="retrieval"/> (default: the engine's) builds its queries.</summary>
    public RankingData Read(ParseResult parse, CommandHost host, Matching.Retrieval.RetrievalOptions? retrieval = null)
    {
        var readOptions = ReadOptions(parse);
        var achievements = host.ReadAchievements(parse.GetValue(Achievements)!, readOptions);
        var demands = host.ReadDemands(parse.GetValue(Demands)!, readOptions);
        var judgmentsPath = parse.GetValue(Judgments)!;
        CommandHost.RequireFile(judgmentsPath, "--judgments");
        var judgments = judgmentsPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            ? OutcomeReader.Read(judgmentsPath)
            : JudgmentReader.Read(judgmentsPath);
        IReadOnlyList<RunEntry>? candidates = null;
        if (parse.GetValue(Candidates) is { } runPath)
        {
            CommandHost.RequireFile(runPath, "--candidates");
            candidates = RunReader.Read(runPath);
        }

        return new RankingData
        {
            Achievements = achievements,
            Demands = demands,
            Judgments = judgments,
            Candidates = candidates,
            Depth = parse.GetValue(Depth),
            JudgedOnly = parse.GetValue(JudgedOnly),
            ExcludeSelfPrefix = parse.GetValue(ExcludeSelf),
            Retrieval = retrieval ?? new(),
        };
    }
}
