namespace Matching.Features;

/// <summary>A <see cref="RecordProfile"/> before term ids are handed out: the record's terms are local indices, in the
/// order they first occur in it. What the profile store keeps of a record (the term strings as store ids).</summary>
internal sealed class ProfileParts
{
    /// <summary>Flag of a local term: a word of the title (<see cref="RecordProfile.TitleWords"/>).</summary>
    public const byte Title = 1;

    /// <summary>Flag: a word of the keywords (<see cref="RecordProfile.KeywordWords"/>).</summary>
    public const byte Keyword = 2;

    /// <summary>Flag: a numeric term (<see cref="RecordProfile.Numbers"/>).</summary>
    public const byte Number = 4;

    /// <summary>Flag: a Latin-script term (<see cref="RecordProfile.Latin"/>).</summary>
    public const byte Latin = 8;

    /// <summary>The terms, in the order they first occur; null when read from a store (its ids stand for them).</summary>
    public string[]? TermStrings { get; init; }

    /// <summary>Occurrences of each local term (the tf of BM25).</summary>
    public required int[] TermCounts { get; init; }

    /// <summary>Occurrences of each local term as a word of the profile; 0 when it is none.</summary>
    public required int[] WordCounts { get; init; }

    /// <summary><see cref="Title"/>, <see cref="Keyword"/>, <see cref="Number"/>, <see cref="Latin"/> of each local term.</summary>
    public required byte[] Flags { get; init; }

    /// <summary>Distinct adjacent word pairs, as local indices: first words.</summary>
    public required int[] PairFirst { get; init; }

    /// <summary>Distinct adjacent word pairs: second words.</summary>
    public required int[] PairSecond { get; init; }

    public required bool Negated { get; init; }

    public required int Length { get; init; }

    public required string[] Keywords { get; init; }

    public required int[][] KeywordBigrams { get; init; }

    public required string Text { get; init; }

    public required int[] Chars { get; init; }

    public required int[] Bigrams { get; init; }

    public required string Domain { get; init; }

    public required string Region { get; init; }

    public required int Maturity { get; init; }

    public required char[] ShortText { get; init; }

    public required bool ShortTextComplete { get; init; }

    public required int TitleLength { get; init; }

    public required int BodyStart { get; init; }

    public required int LeadEnd { get; init; }

    public required int LeadLetters { get; init; }

    public required bool HasTitle { get; init; }

    public required int[] TitleBigrams { get; init; }

    public required NumericSpec[] Specs { get; init; }
}
