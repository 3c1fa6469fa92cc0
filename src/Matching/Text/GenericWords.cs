using Matching.Ingestion;

namespace Matching.Text;

/// <summary>Words that carry no topic at a matchmaking event, and how much a term counts as evidence of a match:
/// the curated list shipped in <c>resources/text/generic.txt</c> (one word a line, <c>#</c> comments), bare numbers,
/// and words common to both sides of the corpus at hand.</summary>
/// <remarks>A term's weight multiplies its query weight in BM25 retrieval (both directions) and its idf in the pair
/// features; terms weighing less than <see cref="ShownWeight"/> are not shown as matched terms. Only whole terms are
/// listed: 材料 is generic, 正极材料 keeps its full weight.</remarks>
internal static class GenericWords
{
    /// <summary>A word in at most this share of the records of either side keeps its full weight.</summary>
    public const double CommonShare = 0.2;

    /// <summary>A word in at least this share of the records of both sides weighs nothing.</summary>
    public const double UbiquitousShare = 0.5;

    /// <summary>A word in more than this share of the achievements (whatever the demands say) is boilerplate of the
    /// achievement texts (本成果, 具有自主知识产权): its weight falls to <see cref="BoilerplateFloor"/> at
    /// <see cref="UbiquitousBoilerplateShare"/>.</summary>
    public const double BoilerplateShare = 0.4;

    /// <summary>The achievements' share at which a boilerplate word reaches <see cref="BoilerplateFloor"/>.</summary>
    public const double UbiquitousBoilerplateShare = 0.8;

    /// <summary>The lowest weight of a word that is boilerplate on the achievements' side only.</summary>
    public const double BoilerplateFloor = 0.25;

    /// <summary>Both sides need at least this many records before shares mean anything.</summary>
    public const int MinRecords = 20;

    /// <summary>Terms weighing less are left out of matched terms.</summary>
    public const float ShownWeight = 0.5f;

    private static readonly Lazy<HashSet<string>> s_default = new(Load);

    /// <summary>The curated words, normalised.</summary>
    public static IReadOnlySet<string> Curated => s_default.Value;

    /// <summary>The weight of a curated word where the record's author chose it, in a title or keywords (a query term
    /// there sums this per occurrence instead of 1; in an abstract or description it sums 0): 1.</summary>
    /// <remarks>A title is what a record is about: 企业成本管理 or 纳米颗粒的应用 name their topic with words that are
    /// boilerplate in a description. On CSL dev titles (academic titles, where such words are topics) BM25 MRR@10 was
    /// 0.9599 with 1, 0.9582 with 0.5, 0.9571 with 0.25 and 0.9555 with 0, against 0.9594 before generic words. At an
    /// event, a curated word common in titles is caught by <see cref="CorpusWeight"/> (技术 weighs 0 in the sample
    /// event), and a curated word is never shown as a matched term nor counted by the pair features.</remarks>
    public const float CuratedTitleWeight = 1f;

    /// <summary>Whether a term is a curated generic word (<c>generic.txt</c>): never shown as a matched term; in a
    /// description, no query weight and not a word of the pair features' profiles.</summary>
    public static bool IsCurated(string term) => Curated.Contains(term);

    /// <summary>A number with no unit that is a value rather than a name: a percentage (85%), a decimal (0.05), a round
    /// integer (1000, 800, 30) or one of at most two digits (85), thousands commas allowed. 1000次, 0.05mm, 5g and
    /// ncm811 are not numbers at all; 9901 (a cultivar), 7075 (an alloy) or 304 (a steel grade) are names.</summary>
    public static bool IsBareNumber(string term)
    {
        if (term.Length == 0 || !char.IsAsciiDigit(term[0]))
        {
            return false;
        }

        var digits = 0;
        var plainInteger = true;
        foreach (var c in term)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is '.' or '%')
            {
                plainInteger = false;
            }
            else if (c != ',')
            {
                return false;
            }
        }

        return !plainInteger || digits <= 2 || term[^1] == '0';
    }

    /// <summary>The weight of a term from the shares of achievements and demands containing it (1 when either side
    /// has fewer than <see cref="MinRecords"/> records): linear from 1 at <see cref="CommonShare"/> to 0 at
    /// <see cref="UbiquitousShare"/> in the smaller of the two shares, times the boilerplate factor of the
    /// achievements' share (linear from 1 at <see cref="BoilerplateShare"/> to <see cref="BoilerplateFloor"/> at
    /// <see cref="UbiquitousBoilerplateShare"/>).</summary>
    public static float CorpusWeight(int achievementDf, int achievementCount, int demandDf, int demandCount)
    {
        if (achievementCount < MinRecords || demandCount < MinRecords)
        {
            return 1f;
        }

        var achievementShare = (double)achievementDf / achievementCount;
        var demandShare = (double)demandDf / demandCount;
        var both = Math.Min(achievementShare, demandShare);
        var common = Math.Clamp((UbiquitousShare - both) / (UbiquitousShare - CommonShare), 0, 1);
        var boilerplate = Math.Clamp(
            1 - ((achievementShare - BoilerplateShare) / (UbiquitousBoilerplateShare - BoilerplateShare) * (1 - BoilerplateFloor)),
            BoilerplateFloor, 1);
        return (float)(common * boilerplate);
    }

    private static HashSet<string> Load() =>
        StopWords.ReadWords(ResourceLocator.PathOf("text", "generic.txt")).ToHashSet(StringComparer.Ordinal);
}
