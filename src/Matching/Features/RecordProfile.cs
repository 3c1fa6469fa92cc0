namespace Matching.Features;

/// <summary>Everything pair features need of one record, computed once: sorted term ids with frequencies,
/// char and char-bigram sets, numbers, Latin terms, keywords and metadata. Immutable; shared across threads.</summary>
internal sealed class RecordProfile
{
    /// <summary>Distinct whole words (precise mode, stop words removed), sorted by id.</summary>
    public required int[] Words { get; init; }

    /// <summary>Occurrences of each of <see cref="Words"/>.</summary>
    public required int[] WordCounts { get; init; }

    /// <summary>Distinct words and dictionary sub-words, sorted; what a query term can hit.</summary>
    public required int[] Terms { get; init; }

    /// <summary>Occurrences of each of <see cref="Terms"/> (the tf of BM25).</summary>
    public required int[] TermCounts { get; init; }

    /// <summary>Distinct words of the title, sorted.</summary>
    public required int[] TitleWords { get; init; }

    /// <summary>Distinct words of the keywords after segmentation, sorted.</summary>
    public required int[] KeywordWords { get; init; }

    /// <summary>Normalised keywords as whole strings.</summary>
    public required string[] Keywords { get; init; }

    /// <summary>The letter/digit bigrams of each keyword: a keyword can only be in a text holding all of them.</summary>
    public required int[][] KeywordBigrams { get; init; }

    /// <summary>The whole normalised text (title, keywords, body), for verbatim keyword checks.</summary>
    public required string Text { get; init; }

    /// <summary>Distinct letters/digits (as UTF-16 code units), sorted.</summary>
    public required int[] Chars { get; init; }

    /// <summary>Distinct adjacent letter/digit pairs, packed as (first &lt;&lt; 16) | second, sorted.</summary>
    public required int[] Bigrams { get; init; }

    /// <summary>Distinct numeric terms, sorted.</summary>
    public required int[] Numbers { get; init; }

    /// <summary>Distinct Latin-script terms (5g, plc, mrna), sorted.</summary>
    public required int[] Latin { get; init; }

    /// <summary>Whether the text negates (不, 无, 未, 非, 没有, 否, 难以 …).</summary>
    public required bool Negated { get; init; }

    /// <summary>Number of words (with repeats): the document length of BM25.</summary>
    public required int Length { get; init; }

    /// <summary>Technical field (achievement) or industry (demand), normalised; empty when not stated.</summary>
    public required string Domain { get; init; }

    /// <summary>Province, normalised (浙江省 → 浙江); empty when not stated.</summary>
    public required string Region { get; init; }

    /// <summary>Maturity level 1–9 (TRL scale), or 0 when not stated or not understood.</summary>
    public required int Maturity { get; init; }

    /// <summary>The letters/digits of the short text — the title, else the keywords, else the body — at most
    /// <see cref="CharPattern.MaxLength"/> of them. An achievement's is empty when it was cut: only a demand's cut
    /// short text is read (as the LCS pattern), an achievement's only whole (edit distance).</summary>
    public required char[] ShortText { get; init; }

    /// <summary>Whether <see cref="ShortText"/> holds the whole of its source (it was not cut).</summary>
    public required bool ShortTextComplete { get; init; }

    /// <summary>The title is <see cref="Text"/>[0..TitleLength].</summary>
    public required int TitleLength { get; init; }

    /// <summary>The body is <see cref="Text"/>[BodyStart..].</summary>
    public required int BodyStart { get; init; }

    /// <summary>The lead (title, then the start of the body: <see cref="ProfileBuilder.LeadLength"/> letters/digits
    /// at most) ends at <see cref="Text"/>[LeadEnd]: inside the title when LeadEnd ≤ <see cref="TitleLength"/>, else
    /// inside the body.</summary>
    public required int LeadEnd { get; init; }

    /// <summary>Letters/digits in the lead.</summary>
    public required int LeadLetters { get; init; }

    /// <summary>Whether the title has a letter or digit.</summary>
    public required bool HasTitle { get; init; }

    /// <summary>Distinct adjacent letter/digit pairs of the title, packed like <see cref="Bigrams"/>, sorted.</summary>
    public required int[] TitleBigrams { get; init; }

    /// <summary>Distinct pairs of adjacent whole words (stop words removed, not across punctuation or fields), each
    /// hashed to 32 bits, sorted.</summary>
    public required int[] WordPairs { get; init; }

    /// <summary>Numeric specs (容量保持率≥90%), in text order.</summary>
    public required NumericSpec[] Specs { get; init; }
}
