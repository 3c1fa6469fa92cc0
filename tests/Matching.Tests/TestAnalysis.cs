using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Matching.Tests;

/// <summary>A token as a test sees it: term, offsets into the ORIGINAL text, position increment.</summary>
internal readonly record struct TestToken(string Term, int Start, int End, int Increment)
{
    public override string ToString() => $"{Term}[{Start},{End}){(Increment == 1 ? "" : "+" + Increment)}";
}

internal static class TestAnalysis
{
    public static List<TestToken> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<TestToken>();
        using var stream = analyzer.GetTokenStream("body", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(new TestToken(term.ToString(), offset.StartOffset, offset.EndOffset, increment.PositionIncrement));
        }

        stream.End();
        tokens.Add(new TestToken("<end>", offset.StartOffset, offset.EndOffset, 0));
        return tokens;
    }

    public static string Show(IEnumerable<TestToken> tokens) => string.Join(" ", tokens);
}
