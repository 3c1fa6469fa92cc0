using System.CommandLine;
using System.Globalization;
using Matching.Retrieval;

namespace Matching.Cli.Hosting;

/// <summary><c>--prf on|off</c> with <c>--prf-docs</c>, <c>--prf-terms</c> and <c>--prf-weight</c>: queries expanded by
/// RM3 pseudo-relevance feedback (<see cref="RetrievalOptions.Feedback"/>), in both directions.</summary>
internal sealed class FeedbackOptions
{
    private static readonly RetrievalOptions Defaults = new();

    public Option<string> Prf { get; } = CreatePrf();

    public Option<int> Docs { get; } = CommonOptions.PositiveInt("--prf-docs", Defaults.FeedbackDocs,
        "With --prf on: records of the first retrieval the feedback terms come from.");

    public Option<int> Terms { get; } = CommonOptions.PositiveInt("--prf-terms", Defaults.FeedbackTerms,
        "With --prf on: feedback terms added to (or strengthening) the query.");

    public Option<float> Weight { get; } = CreateWeight();

    public void AddTo(Command command)
    {
        command.Add(Prf);
        command.Add(Docs);
        command.Add(Terms);
        command.Add(Weight);
    }

    /// <summary><paramref name="retrieval"/> with the feedback the options ask for.</summary>
    /// <exception cref="UsageException">The query terms and feedback terms together exceed what a query may hold.</exception>
    public RetrievalOptions Apply(ParseResult parse, RetrievalOptions retrieval)
    {
        if (parse.GetValue(Prf) == "on" && retrieval.MaxQueryTerms + parse.GetValue(Terms) > 340)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--max-query-terms ({retrieval.MaxQueryTerms}) + --prf-terms ({parse.GetValue(Terms)}) must be at most 340 with --prf on (three clauses a term; Lucene allows 1,024)"));
        }

        return With(parse, retrieval);
    }

    private RetrievalOptions With(ParseResult parse, RetrievalOptions retrieval) => new()
    {
        TitleBoost = retrieval.TitleBoost,
        KeywordsBoost = retrieval.KeywordsBoost,
        BodyBoost = retrieval.BodyBoost,
        SubwordWeight = retrieval.SubwordWeight,
        MaxQueryTerms = retrieval.MaxQueryTerms,
        Feedback = parse.GetValue(Prf) == "on",
        FeedbackDocs = parse.GetValue(Docs),
        FeedbackTerms = parse.GetValue(Terms),
        OriginalQueryWeight = parse.GetValue(Weight),
    };

    private static Option<string> CreatePrf()
    {
        var option = new Option<string>("--prf")
        {
            Description = "Pseudo-relevance feedback (RM3): each query is run, the strongest terms of its best records are added to it, and it is run again, so records sharing no word with the query but words with its best hits become candidates. Costs a second retrieval a query. on or off.",
            DefaultValueFactory = _ => Defaults.Feedback ? "on" : "off",
        };
        option.AcceptOnlyFromAmong("on", "off");
        return option;
    }

    private static Option<float> CreateWeight()
    {
        var option = new Option<float>("--prf-weight")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"With --prf on: the original query's share of the expanded query, 0–1 (default {Defaults.OriginalQueryWeight}; 1 is no expansion)."),
            DefaultValueFactory = _ => Defaults.OriginalQueryWeight,
            HelpName = "W",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<float>() is not (>= 0f and <= 1f))
            {
                result.AddError("--prf-weight must be between 0 and 1");
            }
        });
        return option;
    }
}
