using System.Numerics;

namespace Matching.Features;

/// <summary>Order-aware character comparisons by their textbook dynamic programmes: the definitions that
/// <see cref="CharPattern"/>'s bit-parallel versions are tested against.</summary>
internal static class CharSequences
{
    /// <summary>Length of the longest common subsequence, O(|a|·|b|).</summary>
    public static int LongestCommonSubsequence(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>Characters two texts have in common, with repeats: Σ over chars of the smaller of the two counts.
    /// The most an LCS can be; what it falls short by is the common characters out of order.</summary>
    public static int CommonCount(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in a)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        var common = 0;
        foreach (var c in b)
        {
            if (counts.GetValueOrDefault(c) > 0)
            {
                counts[c]--;
                common++;
            }
        }

        return common;
    }

    /// <summary>Levenshtein distance, O(|a|·|b|): <see cref="Ingestion.OrganizationNames.EditDistance"/>, the one definition.</summary>
    public static int EditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => Ingestion.OrganizationNames.EditDistance(a, b);

    /// <summary>The letters and digits of <paramref name="text"/>, in order: what the order-aware features compare.</summary>
    public static string LettersAndDigits(ReadOnlySpan<char> text)
    {
        var chars = new List<char>(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars.Add(c);
            }
        }

        return new string([.. chars]);
    }
}

/// <summary>A pattern of at most <see cref="MaxLength"/> chars, compiled into per-character match masks (two
/// 64-bit words per char) so that LCS and edit distance against any text take O(|text|) word operations
/// (Allison–Dix / Hyyrö for LCS, Myers' bit-vector algorithm for Levenshtein). One per thread: the 1 MiB mask
/// table is allocated once and only the pattern's own entries are set and cleared. An 8 KiB bitmap of the
/// pattern's chars (it stays in L1 cache) is read first: a text char outside the pattern never touches the
/// mask table, whose scattered lines would otherwise cost a cache miss per char.</summary>
internal sealed class CharPattern
{
    /// <summary>Longest pattern: two words of bits.</summary>
    public const int MaxLength = 128;

    [ThreadStatic]
    private static CharPattern? t_pattern;

    private readonly ulong[] _masks = new ulong[(char.MaxValue + 1) * 2];
    private readonly ulong[] _present = new ulong[(char.MaxValue + 1) / 64];
    private readonly byte[] _count = new byte[char.MaxValue + 1];
    private readonly byte[] _taken = new byte[char.MaxValue + 1];
    private char[] _chars = [];
    private ulong _valid0;
    private ulong _valid1;

    /// <summary>Length of the loaded pattern.</summary>
    public int Length { get; private set; }

    /// <summary>This thread's pattern, empty.</summary>
    public static CharPattern Rent()
    {
        var pattern = t_pattern ?? new CharPattern();
        t_pattern = null;
        return pattern;
    }

    /// <summary>Clears the pattern and gives it back to the thread.</summary>
    public void Return()
    {
        Clear();
        t_pattern = this;
    }

    /// <summary>Compiles <paramref name="pattern"/> (letters/digits, at most <see cref="MaxLength"/> chars).</summary>
    public void Load(char[] pattern)
    {
        if (pattern.Length > MaxLength)
        {
            throw new ArgumentException($"a pattern holds at most {MaxLength} chars", nameof(pattern));
        }

        Clear();
        _chars = pattern;
        Length = pattern.Length;
        for (var i = 0; i < pattern.Length; i++)
        {
            _masks[(pattern[i] * 2) + (i >> 6)] |= 1UL << (i & 63);
            _present[pattern[i] >> 6] |= 1UL << (pattern[i] & 63);
            _count[pattern[i]]++;
        }

        _valid0 = Length >= 64 ? ulong.MaxValue : (1UL << Length) - 1;
        _valid1 = Length <= 64 ? 0 : Length == 128 ? ulong.MaxValue : (1UL << (Length - 64)) - 1;
    }

    private void Clear()
    {
        foreach (var c in _chars)
        {
            _masks[c * 2] = 0;
            _masks[(c * 2) + 1] = 0;
            _present[c >> 6] = 0;
            _count[c] = 0;
        }

        _chars = [];
        Length = 0;
    }

    /// <summary>LCS of the pattern and the concatenation of two segments of a text. Chars that are not in the
    /// pattern leave the bit vector unchanged, so spaces and punctuation in the text need not be removed.</summary>
    public int LongestCommonSubsequence(ReadOnlySpan<char> first, ReadOnlySpan<char> second) =>
        LongestCommonSubsequence(first, second, out _);

    /// <summary>LCS as above, and in the same pass the characters the pattern and the text have in common, with
    /// repeats (<see cref="CharSequences.CommonCount"/>): the most an LCS can be.</summary>
    public int LongestCommonSubsequence(ReadOnlySpan<char> first, ReadOnlySpan<char> second, out int common)
    {
        // V holds a 0 for every pattern position that ends a longest common subsequence so far.
        ulong v0 = ulong.MaxValue, v1 = ulong.MaxValue;
        common = 0;
        if (Length <= 64)
        {
            Advance(first, ref v0, ref common);
            Advance(second, ref v0, ref common);
        }
        else
        {
            Advance(first, ref v0, ref v1, ref common);
            Advance(second, ref v0, ref v1, ref common);
        }

        foreach (var c in _chars)
        {
            _taken[c] = 0;
        }

        return BitOperations.PopCount(~v0 & _valid0) + BitOperations.PopCount(~v1 & _valid1);
    }

    /// <summary>Characters the pattern and the two segments of a text have in common, with repeats (the count the LCS
    /// pass makes on the way).</summary>
    public int CommonCount(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        LongestCommonSubsequence(first, second, out var common);
        return common;
    }

    /// <summary>Counts a pattern char of the text as common while the text has not used up the pattern's copies.</summary>
    private void Take(char c, ref int common)
    {
        if (_taken[c] < _count[c])
        {
            _taken[c]++;
            common++;
        }
    }

    private void Advance(ReadOnlySpan<char> text, ref ulong v, ref int common)
    {
        var masks = _masks;
        var present = _present;
        foreach (var c in text)
        {
            if ((present[c >> 6] & (1UL << (c & 63))) == 0)
            {
                continue;
            }

            Take(c, ref common);
            var m = masks[c * 2];
            v = (v + (v & m)) | (v & ~m);
        }
    }

    private void Advance(ReadOnlySpan<char> text, ref ulong v0, ref ulong v1, ref int common)
    {
        var masks = _masks;
        var present = _present;
        foreach (var c in text)
        {
            if ((present[c >> 6] & (1UL << (c & 63))) == 0)
            {
                continue;
            }

            Take(c, ref common);
            var m0 = masks[c * 2];
            var m1 = masks[(c * 2) + 1];
            var u0 = v0 & m0;
            var u1 = v1 & m1;

            // V ← (V + U) | (V − U), as one 128-bit addition; V − U = V & ~M since U ⊆ V.
            var sum0 = v0 + u0;
            var sum1 = v1 + u1 + (sum0 < v0 ? 1UL : 0UL);
            v0 = sum0 | (v0 & ~m0);
            v1 = sum1 | (v1 & ~m1);
        }
    }

    /// <summary>Levenshtein distance between the pattern and <paramref name="text"/>: Myers' algorithm, one column
    /// of vertical deltas per text char, in blocks of 64 pattern positions that pass their horizontal delta on.</summary>
    public int EditDistance(ReadOnlySpan<char> text)
    {
        var m = Length;
        if (m == 0)
        {
            return text.Length;
        }

        var blocks = m > 64 ? 2 : 1;
        var lastBit = (m - 1) & 63;
        Span<ulong> plus = [ulong.MaxValue, ulong.MaxValue];
        Span<ulong> minus = [0UL, 0UL];
        var score = m;
        var masks = _masks;
        var present = _present;
        foreach (var c in text)
        {
            // The first row of the distance matrix rises by one per text char.
            var carry = 1;
            var inPattern = (present[c >> 6] & (1UL << (c & 63))) != 0;
            for (var b = 0; b < blocks; b++)
            {
                var eq = inPattern ? masks[(c * 2) + b] : 0;
                var pv = plus[b];
                var mv = minus[b];
                var xv = eq | mv;
                if (carry < 0)
                {
                    eq |= 1;
                }

                var xh = (((eq & pv) + pv) ^ pv) | eq;
                var ph = mv | ~(xh | pv);
                var mh = pv & xh;
                var top = b == blocks - 1 ? lastBit : 63;
                var outgoing = (int)((ph >> top) & 1) - (int)((mh >> top) & 1);
                ph <<= 1;
                mh <<= 1;
                if (carry < 0)
                {
                    mh |= 1;
                }
                else if (carry > 0)
                {
                    ph |= 1;
                }

                plus[b] = mh | ~(xv | ph);
                minus[b] = ph & xv;
                carry = outgoing;
            }

            score += carry;
        }

        return score;
    }
}
