using System.Security.Cryptography;
using System.Text;

namespace Matching.Features;

/// <summary>The features of a (demand, achievement) pair: their names, order and version.</summary>
/// <remarks>Missing metadata is a value (−1, or −10 for maturity), never NaN: LightGBM's learned direction for
/// missing values cannot be read back, so the compiled scorer could not reproduce it.</remarks>
public static class PairFeatures
{
    /// <summary>Bump when any feature's definition changes (also changes <see cref="Hash"/>).</summary>
    public const int Version = 5;

    /// <summary>Feature names, in the order of the feature vector.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "bm25",                      // demand words against the achievement (title, keywords, body, sub-words)
        "bm25_reverse",              // achievement words against the demand
        "bm25_rank",                 // 1-based rank of bm25 within the demand's candidate list
        "bm25_norm",                 // bm25 / the list's best bm25
        "idf_coverage_demand",       // idf share of the demand's words found in the achievement
        "idf_coverage_achievement",  // idf share of the achievement's words found in the demand
        "title_coverage",            // share of the demand title's words found in the achievement
        "keyword_exact",             // share of demand keywords found verbatim in the achievement (−1: none given)
        "keyword_segmented",         // share of demand keyword words found in the achievement (−1: none given)
        "word_overlap",              // shared distinct words
        "word_jaccard",
        "char_overlap",              // shared distinct characters
        "char_jaccard",
        "bigram_overlap",            // shared distinct character bigrams
        "bigram_jaccard",
        "max_idf_unmatched_demand",  // the rarest demand word the achievement lacks
        "demand_length",             // words
        "achievement_length",
        "length_ratio",              // shorter / longer
        "number_mismatch",           // numbers on one side only
        "latin_mismatch",            // Latin terms (5g, plc) on one side only
        "negation_mismatch",         // one side negates, the other does not
        "domain_fit",                // field ↔ industry: 1 same, 0.5 related, 0 unrelated, −1 unknown
        "same_region",               // 1 same province, 0 different, −1 unknown
        "maturity_fit",              // achievement TRL − required TRL; −10 unknown
        "char_lcs_ratio",            // LCS of the demand's short text and the achievement's lead / the shorter (−1: either empty)
        "char_edit_distance",        // Levenshtein of the two short texts / the longer (−1: either over 128 letters, or both empty)
        "word_pair_overlap",         // share of the demand's adjacent word pairs adjacent in the achievement too (−1: none)
        "title_bigram_jaccard",      // char-bigram Jaccard of the two titles (−1: either has no title)
        "spec_met",                  // demand specs (容量保持率≥90%) met by an achievement spec (−1: the demand states none)
        "spec_conflict",             // demand specs a comparable achievement spec violates (−1: the demand states none)
        "char_order_loss",           // share of the letters the demand's short text and the achievement's lead have in common (with repeats) that the LCS leaves out: out of order (−1: none in common)
        "semantic_cosine",           // cosine of the two records' text vectors by the route by meaning's encoder (−2: the route is off, or a text has no known word)
    ];

    /// <summary>Number of features.</summary>
    public static int Count => Names.Count;

    /// <summary>Index of <c>bm25_rank</c>, the feature a model's score blend anchors on.</summary>
    internal static int Bm25RankIndex { get; } = IndexOfName("bm25_rank");

    /// <summary>Index of <c>semantic_cosine</c>, the one feature set outside the extractor (<see cref="SemanticSimilarity"/>).</summary>
    internal static int SemanticCosineIndex { get; } = IndexOfName("semantic_cosine");

    private static int IndexOfName(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no feature named {name}");
    }

    /// <summary>Identifies names, order and definitions: a model trained on another hash is refused.</summary>
    public static string Hash { get; } =
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"v{Version}:" + string.Join(",", Names))))[..16].ToLowerInvariant();

    internal const float Unknown = -1f;
    internal const float UnknownMaturity = -10f;

    /// <summary><c>semantic_cosine</c> without vectors: below any cosine.</summary>
    internal const float UnknownSimilarity = -2f;
}

/// <summary>A profile with the idf of its words in the OTHER side's corpus, computed once per record.</summary>
internal sealed class PreparedProfile
{
    public PreparedProfile(RecordProfile profile, CorpusStatistics otherSide)
    {
        Profile = profile;
        WordIdf = new float[profile.Words.Length];
        for (var i = 0; i < WordIdf.Length; i++)
        {
            WordIdf[i] = otherSide.Idf(profile.Words[i]) * otherSide.Weight(profile.Words[i]);
            IdfSum += WordIdf[i] * profile.WordCounts[i];
        }
    }

    public RecordProfile Profile { get; }

    /// <summary>idf of <see cref="RecordProfile.Words"/>[i] among the records this one is matched against, times its
    /// generic-word weight (<see cref="CorpusStatistics.Weight"/>).</summary>
    public float[] WordIdf { get; }

    /// <summary>Σ idf × count over the words.</summary>
    public float IdfSum { get; }
}

/// <summary>Computes <see cref="PairFeatures"/> for a demand and its candidate list: the single code path
/// for training and for scoring. Stateless apart from corpus statistics; thread-safe.</summary>
internal sealed class PairFeatureExtractor
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    private readonly CorpusStatistics _achievements;
    private readonly CorpusStatistics _demands;
    private readonly TermDictionary _terms;

    public PairFeatureExtractor(CorpusStatistics achievements, CorpusStatistics demands, TermDictionary terms)
    {
        _achievements = achievements;
        _demands = demands;
        _terms = terms;
    }

    public PreparedProfile PrepareDemand(RecordProfile demand) => new(demand, _achievements);

    public PreparedProfile PrepareAchievement(RecordProfile achievement) => new(achievement, _demands);

    /// <summary>Writes one row of <see cref="PairFeatures.Count"/> features per candidate into
    /// <paramref name="output"/> (row-major). Rows are always features of (demand, achievement): with
    /// <paramref name="demandIsQuery"/> false the query is an achievement and the candidates are demands.</summary>
    public void Compute(PreparedProfile query, IReadOnlyList<PreparedProfile> candidates, Span<float> output, bool demandIsQuery = true)
    {
        var n = PairFeatures.Count;
        if (output.Length < candidates.Count * n)
        {
            throw new ArgumentException("output is too small", nameof(output));
        }

        var marks = QueryMarks.Rent(query.Profile, _terms.Count);
        var pattern = CharPattern.Rent();
        try
        {
            if (demandIsQuery)
            {
                pattern.Load(query.Profile.ShortText);
            }

            for (var i = 0; i < candidates.Count; i++)
            {
                ComputeRow(marks, pattern, query, candidates[i], demandIsQuery, i + 1, output.Slice(i * n, n));
            }
        }
        finally
        {
            pattern.Return();
            marks.Return(query.Profile);
        }

        // List features: rank and share of the best BM25 within this query's list.
        Span<int> order = candidates.Count <= 1024 ? stackalloc int[candidates.Count] : new int[candidates.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var maxScore = 0f;
        for (var i = 0; i < candidates.Count; i++)
        {
            maxScore = Math.Max(maxScore, output[i * n]);
        }

        var rows = output;
        SortByScore(order, rows, n);
        for (var rank = 0; rank < order.Length; rank++)
        {
            var row = order[rank] * n;
            rows[row + 2] = rank + 1;
            rows[row + 3] = maxScore > 0 ? rows[row] / maxScore : 0f;
        }
    }

    private static void SortByScore(Span<int> order, Span<float> rows, int n)
    {
        // Insertion sort: lists are ~100 long and nearly sorted (they come from BM25); stable, no allocation.
        for (var i = 1; i < order.Length; i++)
        {
            var item = order[i];
            var score = rows[item * n];
            var j = i - 1;
            while (j >= 0 && rows[order[j] * n] < score)
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = item;
        }
    }

    /// <summary>One pair, by probing the query's marks with each of the candidate's arrays: a predictable loop
    /// per array instead of a merge whose every step is a coin-flip branch. Sums run over matched terms in
    /// term-id order, exactly as <see cref="ComputeRowReference"/> adds them, so the floats are identical.</summary>
    private void ComputeRow(QueryMarks marks, CharPattern pattern, PreparedProfile query, PreparedProfile candidate, bool demandIsQuery, int stamp, Span<float> f)
    {
        var q = query.Profile;
        var c = candidate.Profile;
        var (queryStats, candidateStats) = demandIsQuery ? (_demands, _achievements) : (_achievements, _demands);

        // Query words in candidate terms (BM25 of the query against the candidate), and the title/keyword hits
        // of a demand query.
        var wordIndex = marks.WordIndex;
        var flags = marks.TermFlags;
        var matched = marks.Matched;
        var normCandidate = K1 * (1 - B + (B * c.Length / candidateStats.AverageLength));
        float bm25Query = 0, coveredQuery = 0;
        int titleHits = 0, keywordHits = 0;
        var terms = c.Terms;
        var tfs = c.TermCounts;
        for (var j = 0; j < terms.Length; j++)
        {
            var t = terms[j];
            if ((uint)t >= (uint)wordIndex.Length)
            {
                continue;
            }

            var k = wordIndex[t] - 1;
            if (k >= 0)
            {
                var tf = tfs[j];
                var idf = query.WordIdf[k];
                bm25Query += q.WordCounts[k] * idf * (tf * (K1 + 1) / (tf + normCandidate));
                coveredQuery += idf * q.WordCounts[k];
                matched[k] = stamp;
            }

            var flag = flags[t];
            titleHits += flag & 1;
            keywordHits += (flag >> 1) & 1;
        }

        float maxUnmatchedQuery = 0;
        for (var k = 0; k < q.Words.Length; k++)
        {
            if (matched[k] != stamp && query.WordIdf[k] > maxUnmatchedQuery)
            {
                maxUnmatchedQuery = query.WordIdf[k];
            }
        }

        // Candidate words in query terms (BM25 the other way), and shared words.
        var termTf = marks.TermTf;
        var normQuery = K1 * (1 - B + (B * q.Length / queryStats.AverageLength));
        float bm25Candidate = 0, coveredCandidate = 0, maxUnmatchedCandidate = 0;
        var sharedWords = 0;
        for (var k = 0; k < c.Words.Length; k++)
        {
            var w = c.Words[k];
            var tf = (uint)w < (uint)termTf.Length ? termTf[w] : 0;
            var idf = candidate.WordIdf[k];
            if (tf > 0)
            {
                bm25Candidate += c.WordCounts[k] * idf * (tf * (K1 + 1) / (tf + normQuery));
                coveredCandidate += idf * c.WordCounts[k];
                sharedWords += wordIndex[w] > 0 ? 1 : 0;
            }
            else if (idf > maxUnmatchedCandidate)
            {
                maxUnmatchedCandidate = idf;
            }
        }

        var sharedChars = 0;
        var chars = marks.Chars;
        foreach (var ch in c.Chars)
        {
            sharedChars += chars[ch] ? 1 : 0;
        }

        var sharedBigrams = 0;
        foreach (var bigram in c.Bigrams)
        {
            sharedBigrams += marks.HasBigram(bigram) ? 1 : 0;
        }

        var (d, a) = demandIsQuery ? (q, c) : (c, q);
        if (!demandIsQuery)
        {
            titleHits = CountMarked(d.TitleWords, termTf);
            keywordHits = CountMarked(d.KeywordWords, termTf);
        }

        var (demandProfile, achievementProfile) = demandIsQuery ? (query, candidate) : (candidate, query);
        var (coveredDemand, coveredAchievement) = demandIsQuery ? (coveredQuery, coveredCandidate) : (coveredCandidate, coveredQuery);
        f[0] = demandIsQuery ? bm25Query : bm25Candidate;
        f[1] = demandIsQuery ? bm25Candidate : bm25Query;
        f[4] = demandProfile.IdfSum > 0 ? coveredDemand / demandProfile.IdfSum : 0f;
        f[5] = achievementProfile.IdfSum > 0 ? coveredAchievement / achievementProfile.IdfSum : 0f;
        f[6] = d.TitleWords.Length == 0 ? 0f : (float)titleHits / d.TitleWords.Length;
        f[7] = d.Keywords.Length == 0 ? PairFeatures.Unknown : (float)CountContained(d, a, demandIsQuery ? null : marks) / d.Keywords.Length;
        f[8] = d.KeywordWords.Length == 0 ? PairFeatures.Unknown : (float)keywordHits / d.KeywordWords.Length;
        f[9] = sharedWords;
        f[10] = Sets.Jaccard(sharedWords, d.Words.Length, a.Words.Length);
        f[11] = sharedChars;
        f[12] = Sets.Jaccard(sharedChars, d.Chars.Length, a.Chars.Length);
        f[13] = sharedBigrams;
        f[14] = Sets.Jaccard(sharedBigrams, d.Bigrams.Length, a.Bigrams.Length);
        f[15] = demandIsQuery ? maxUnmatchedQuery : maxUnmatchedCandidate;
        Metadata(d, a, f);
        if (!demandIsQuery)
        {
            pattern.Load(d.ShortText);
        }

        OrderAndSpecs(pattern, d, a, f);
    }

    /// <summary>Columns 25–31 with the demand's short text loaded in <paramref name="pattern"/>: bit-parallel LCS over
    /// the achievement's lead in place (chars outside the pattern are no-ops, so no filtered copy is needed) and
    /// Myers' edit distance; sorted-array merges for word pairs and title bigrams.</summary>
    private static void OrderAndSpecs(CharPattern pattern, RecordProfile d, RecordProfile a, Span<float> f)
    {
        var m = d.ShortText.Length;
        if (m == 0 || a.LeadLetters == 0)
        {
            f[25] = PairFeatures.Unknown;
            f[31] = PairFeatures.Unknown;
        }
        else
        {
            var inTitle = a.LeadEnd <= a.TitleLength;
            var first = a.Text.AsSpan(0, inTitle ? a.LeadEnd : a.TitleLength);
            var second = inTitle ? [] : a.Text.AsSpan(a.BodyStart, a.LeadEnd - a.BodyStart);
            var lcs = pattern.LongestCommonSubsequence(first, second, out var common);
            f[25] = (float)lcs / Math.Min(m, a.LeadLetters);
            f[31] = OrderLoss(common, lcs);
        }

        var longer = Math.Max(m, a.ShortText.Length);
        f[26] = !d.ShortTextComplete || !a.ShortTextComplete || longer == 0
            ? PairFeatures.Unknown
            : (float)pattern.EditDistance(a.ShortText) / longer;
        TextFeatures(d, a, Sets.IntersectCount(d.WordPairs, a.WordPairs), Sets.IntersectCount(d.TitleBigrams, a.TitleBigrams), f);
    }

    /// <summary>The share of common characters out of order; −1 when there are none in common.</summary>
    private static float OrderLoss(int common, int lcs) => common == 0 ? PairFeatures.Unknown : (float)(common - lcs) / common;

    /// <summary>Columns 27–30 from the shared counts (and 32 as unknown): the same arithmetic for both implementations.</summary>
    private static void TextFeatures(RecordProfile d, RecordProfile a, int sharedPairs, int sharedTitleBigrams, Span<float> f)
    {
        f[27] = d.WordPairs.Length == 0 ? PairFeatures.Unknown : (float)sharedPairs / d.WordPairs.Length;
        f[28] = !d.HasTitle || !a.HasTitle ? PairFeatures.Unknown : Sets.Jaccard(sharedTitleBigrams, d.TitleBigrams.Length, a.TitleBigrams.Length);
        (f[29], f[30]) = NumericSpecs.Compare(d.Specs, a.Specs);
        f[32] = PairFeatures.UnknownSimilarity; // set by SemanticSimilarity when the route by meaning is on
    }

    private static int CountMarked(int[] ids, int[] termTf)
    {
        var count = 0;
        foreach (var id in ids)
        {
            count += (uint)id < (uint)termTf.Length && termTf[id] > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>Demand keywords found verbatim in the achievement's text. A keyword one of whose bigrams the
    /// text lacks cannot be there, which settles most pairs without a string search; <paramref name="marks"/>
    /// holds the achievement's bigrams when it is the query.</summary>
    private static int CountContained(RecordProfile demand, RecordProfile achievement, QueryMarks? marks)
    {
        var count = 0;
        for (var i = 0; i < demand.Keywords.Length; i++)
        {
            var possible = true;
            foreach (var bigram in demand.KeywordBigrams[i])
            {
                if (marks is null ? Array.BinarySearch(achievement.Bigrams, bigram) < 0 : !marks.HasBigram(bigram))
                {
                    possible = false;
                    break;
                }
            }

            count += possible && achievement.Text.Contains(demand.Keywords[i], StringComparison.Ordinal) ? 1 : 0;
        }

        return count;
    }

    /// <summary>Length, mismatch and metadata features: cheap, shared by both implementations.</summary>
    private static void Metadata(RecordProfile d, RecordProfile a, Span<float> f)
    {
        f[16] = d.Length;
        f[17] = a.Length;
        f[18] = Math.Max(d.Length, a.Length) == 0 ? 0f : (float)Math.Min(d.Length, a.Length) / Math.Max(d.Length, a.Length);
        f[19] = Sets.SymmetricDifferenceCount(d.Numbers, a.Numbers);
        f[20] = Sets.SymmetricDifferenceCount(d.Latin, a.Latin);
        f[21] = d.Negated == a.Negated ? 0f : 1f;
        f[22] = Features.Metadata.DomainCompatibility(a.Domain, d.Domain);
        f[23] = d.Region.Length == 0 || a.Region.Length == 0 ? PairFeatures.Unknown : d.Region == a.Region ? 1f : 0f;
        f[24] = d.Maturity == 0 || a.Maturity == 0 ? PairFeatures.UnknownMaturity : a.Maturity - d.Maturity;
    }

    /// <summary>The straightforward merge-based definition of one (demand, achievement) row, columns 0–1 and
    /// 4–31 (the list columns 2–3 are set by <see cref="Compute"/>). Kept as the reference the fast path is
    /// tested against; the order-aware columns by dynamic programming over freshly filtered text.</summary>
    internal void ComputeRowReference(PreparedProfile demand, PreparedProfile achievement, Span<float> f)
    {
        var d = demand.Profile;
        var a = achievement.Profile;

        f[0] = Bm25(demand, a, _achievements.AverageLength, out var coveredIdf, out var maxUnmatched);
        f[1] = Bm25(achievement, d, _demands.AverageLength, out var reverseCoveredIdf, out _);
        f[4] = demand.IdfSum > 0 ? coveredIdf / demand.IdfSum : 0f;
        f[5] = achievement.IdfSum > 0 ? reverseCoveredIdf / achievement.IdfSum : 0f;
        f[6] = d.TitleWords.Length == 0 ? 0f : (float)Sets.IntersectCount(d.TitleWords, a.Terms) / d.TitleWords.Length;
        f[7] = d.Keywords.Length == 0 ? PairFeatures.Unknown : (float)d.Keywords.Count(k => a.Text.Contains(k, StringComparison.Ordinal)) / d.Keywords.Length;
        f[8] = d.KeywordWords.Length == 0 ? PairFeatures.Unknown : (float)Sets.IntersectCount(d.KeywordWords, a.Terms) / d.KeywordWords.Length;

        var sharedWords = Sets.IntersectCount(d.Words, a.Words);
        f[9] = sharedWords;
        f[10] = Sets.Jaccard(sharedWords, d.Words.Length, a.Words.Length);
        var sharedChars = Sets.IntersectCount(d.Chars, a.Chars);
        f[11] = sharedChars;
        f[12] = Sets.Jaccard(sharedChars, d.Chars.Length, a.Chars.Length);
        var sharedBigrams = Sets.IntersectCount(d.Bigrams, a.Bigrams);
        f[13] = sharedBigrams;
        f[14] = Sets.Jaccard(sharedBigrams, d.Bigrams.Length, a.Bigrams.Length);
        f[15] = maxUnmatched;

        Metadata(d, a, f);

        var demandShort = ShortTextReference(d);
        var achievementShort = ShortTextReference(a);
        var lead = CharSequences.LettersAndDigits(a.Text.AsSpan(0, a.TitleLength)) + CharSequences.LettersAndDigits(a.Text.AsSpan(a.BodyStart));
        lead = lead[..Math.Min(lead.Length, ProfileBuilder.LeadLength)];
        var demandCut = demandShort[..Math.Min(demandShort.Length, CharPattern.MaxLength)];
        var lcsReference = CharSequences.LongestCommonSubsequence(demandCut, lead);
        f[25] = demandCut.Length == 0 || lead.Length == 0
            ? PairFeatures.Unknown
            : (float)lcsReference / Math.Min(demandCut.Length, lead.Length);
        f[31] = demandCut.Length == 0 || lead.Length == 0
            ? PairFeatures.Unknown
            : OrderLoss(CharSequences.CommonCount(demandCut, lead), lcsReference);
        var longer = Math.Max(demandShort.Length, achievementShort.Length);
        f[26] = demandShort.Length > CharPattern.MaxLength || achievementShort.Length > CharPattern.MaxLength || longer == 0
            ? PairFeatures.Unknown
            : (float)CharSequences.EditDistance(demandShort, achievementShort) / longer;
        var titleBigrams = TitleBigramsReference(d);
        TextFeatures(
            d, a, d.WordPairs.Intersect(a.WordPairs).Count(),
            titleBigrams.Count(TitleBigramsReference(a).Contains), f);
    }

    /// <summary>The uncut short text: letters/digits of the title, else of the keywords, else of the body.</summary>
    private static string ShortTextReference(RecordProfile r)
    {
        var title = CharSequences.LettersAndDigits(r.Text.AsSpan(0, r.TitleLength));
        var keywords = CharSequences.LettersAndDigits(string.Concat(r.Keywords));
        return title.Length > 0 ? title : keywords.Length > 0 ? keywords : CharSequences.LettersAndDigits(r.Text.AsSpan(r.BodyStart));
    }

    private static HashSet<int> TitleBigramsReference(RecordProfile r)
    {
        var title = r.Text[..r.TitleLength];
        return [.. title.Zip(title.Skip(1)).Where(p => char.IsLetterOrDigit(p.First) && char.IsLetterOrDigit(p.Second)).Select(p => (p.First << 16) | p.Second)];
    }

    /// <summary>BM25 of the query's words against the document's terms (words and sub-words), plus the idf mass
    /// of matched query words and the highest idf of an unmatched one, in one merge of two sorted arrays.</summary>
    private static float Bm25(PreparedProfile query, RecordProfile document, float averageLength, out float coveredIdf, out float maxUnmatchedIdf)
    {
        var words = query.Profile.Words;
        var counts = query.Profile.WordCounts;
        var terms = document.Terms;
        var tfs = document.TermCounts;
        var norm = K1 * (1 - B + (B * document.Length / averageLength));
        float score = 0, covered = 0, maxUnmatched = 0;
        int i = 0, j = 0;
        while (i < words.Length)
        {
            while (j < terms.Length && terms[j] < words[i])
            {
                j++;
            }

            var idf = query.WordIdf[i];
            if (j < terms.Length && terms[j] == words[i])
            {
                var tf = tfs[j];
                score += counts[i] * idf * (tf * (K1 + 1) / (tf + norm));
                covered += idf * counts[i];
            }
            else if (idf > maxUnmatched)
            {
                maxUnmatched = idf;
            }

            i++;
        }

        coveredIdf = covered;
        maxUnmatchedIdf = maxUnmatched;
        return score;
    }
}

/// <summary>Set operations on sorted, distinct int arrays.</summary>
internal static class Sets
{
    public static int IntersectCount(int[] a, int[] b)
    {
        int i = 0, j = 0, count = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = a[i];
            var y = b[j];
            if (x == y)
            {
                count++;
                i++;
                j++;
            }
            else if (x < y)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return count;
    }

    public static int SymmetricDifferenceCount(int[] a, int[] b) => a.Length + b.Length - (2 * IntersectCount(a, b));

    public static float Jaccard(int shared, int sizeA, int sizeB)
    {
        var union = sizeA + sizeB - shared;
        return union == 0 ? 0f : (float)shared / union;
    }
}
