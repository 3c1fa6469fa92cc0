namespace Matching.Ingestion;

/// <summary>Suggestions for an organisation name that matches none of the event's.</summary>
internal static class OrganizationNames
{
    /// <summary>The <paramref name="count"/> known names closest to <paramref name="name"/> by character edit
    /// distance (ties: ordinal order), so that 中南大學 or 中南大学材料学院 points at 中南大学.</summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> known, int count) =>
        [.. known
            .Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: EditDistance(name, k)))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Name)];

    /// <summary>Levenshtein distance over UTF-16 code units (insertions, deletions and substitutions cost 1),
    /// O(|a|·|b|); also the definition the pair features' bit-parallel edit distance is tested against.</summary>
    public static int EditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
