using System.CommandLine;
using Matching.Text;

namespace Matching.Cli.Hosting;

/// <summary><c>--semantic on|off</c> and <c>--encoder DIR</c>: the candidate route by meaning and the encoder it uses
/// (default: word vectors trained on the event's own texts; <c>--encoder</c> turns the route on with an organisation's
/// own ONNX sentence encoder).</summary>
internal sealed class SemanticOptions
{
    public Option<string> Semantic { get; } = CreateSemantic();

    public Option<string?> Encoder { get; } = new("--encoder")
    {
        Description = "An ONNX sentence-embedding model for the route by meaning: a folder with model.onnx and vocab.txt (optional matching-encoder.json; see the README). Turns the route on.",
        HelpName = "DIR",
    };

    public Option<int> Depth { get; } = new("--semantic-depth")
    {
        Description = "Nearest records by text vector added to BM25's candidates when the route by meaning is on. Fewer cost less: each is read and reranked. Default 100.",
        HelpName = "N",
        DefaultValueFactory = _ => new Matching.Engine.EngineOptions().SemanticDepth,
    };

    public void AddTo(Command command)
    {
        command.Add(Semantic);
        command.Add(Encoder);
        command.Add(Depth);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Encoder) is { Implicit: false } && result.GetResult(Semantic) is { Implicit: false } && result.GetValue(Semantic) == "off")
            {
                result.AddError("--encoder feeds the route by meaning: drop --semantic off (or the encoder)");
            }

            if (result.GetResult(Depth) is { Implicit: false } given && given.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"--semantic-depth must be at least 1 (was {given.GetValueOrDefault<int>()})");
            }
        });
    }

    /// <summary>The route's depth, <c>--semantic-depth</c>.</summary>
    public int DepthOf(ParseResult parse) => parse.GetValue(Depth);

    /// <summary>Whether the route is on: <c>--semantic on</c>, or an encoder given.</summary>
    public bool On(ParseResult parse) => parse.GetValue(Semantic) == "on" || parse.GetValue(Encoder) is not null;

    /// <summary>The encoder <c>--encoder</c> names, loaded (and checked: <see cref="EncoderFormatException"/>, exit code 6),
    /// or null for the event's own word vectors. It lives as long as the process.</summary>
    public ITextEncoder? Load(ParseResult parse, CommandHost host)
    {
        if (parse.GetValue(Encoder) is not { } directory)
        {
            return null;
        }

        var encoder = OnnxTextEncoder.Load(directory);
        host.Log($"encoder {encoder.Fingerprint} ({encoder.Dimension} dimensions) from {directory}");
        return encoder;
    }

    private static Option<string> CreateSemantic()
    {
        var option = new Option<string>("--semantic")
        {
            Description = "Candidates also from the route by meaning: BM25 top N ∪ the 100 nearest records by text vector (word vectors trained on the event's own texts, or --encoder), fused by reciprocal rank. on or off.",
            DefaultValueFactory = _ => new Matching.Engine.EngineOptions().Semantic ? "on" : "off",
        };
        option.AcceptOnlyFromAmong("on", "off");
        return option;
    }
}
