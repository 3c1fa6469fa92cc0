namespace Matching.Ingestion;

/// <summary>Splits a keyword cell the way analysts write it: 锂电池；正极材料、储能, or one keyword per line.</summary>
internal static class Keywords
{
    private static readonly char[] Separators = [';', '；', ',', '，', '、', '|', '｜', '\r', '\n'];

    public static IReadOnlyList<string> Split(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return Distinct(text.Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Trims, drops empties and repeats, keeps first-seen order.</summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> keywords)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var keyword in keywords)
        {
            var trimmed = keyword.Trim();
            if (trimmed.Length > 0 && seen.Add(trimmed))
            {
                result.Add(trimmed);
            }
        }

        return result;
    }
}
