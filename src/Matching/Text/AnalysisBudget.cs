namespace Matching.Text;

/// <summary>How much of a record's text is analysed: at most a budget of characters, taken from the title first, then the
/// keywords, then the abstract (description). Text past the budget is neither indexed nor matched, so the cost of one
/// record is bounded by the budget and not by what a file or a caller put in it.</summary>
internal static class AnalysisBudget
{
    /// <summary>The default budget, 1 Mi characters: far above any real record (CSL's longest abstract has a few thousand),
    /// and as much as the analyzer has always read of one field.</summary>
    public const int DefaultMaxChars = 1 << 20;

    /// <summary>The achievement as analysed: itself when its text is within <paramref name="maxChars"/>, else a copy whose
    /// title, keywords and abstract are cut to fit.</summary>
    public static Achievement Fit(Achievement achievement, int maxChars)
    {
        if (Within(achievement.Title, achievement.Keywords, achievement.Abstract, maxChars))
        {
            return achievement;
        }

        var (title, keywords, body) = Cut(achievement.Title, achievement.Keywords, achievement.Abstract, maxChars);
        return achievement with { Title = title, Keywords = keywords, Abstract = body };
    }

    /// <summary>The demand as analysed: itself when its text is within <paramref name="maxChars"/>, else a copy whose
    /// title, keywords and description are cut to fit.</summary>
    public static Demand Fit(Demand demand, int maxChars)
    {
        if (Within(demand.Title, demand.Keywords, demand.Description, maxChars))
        {
            return demand;
        }

        var (title, keywords, body) = Cut(demand.Title, demand.Keywords, demand.Description, maxChars);
        return demand with { Title = title, Keywords = keywords, Description = body };
    }

    private static bool Within(string title, IReadOnlyList<string> keywords, string body, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        long total = title.Length + body.Length;
        foreach (var keyword in keywords)
        {
            total += keyword.Length;
        }

        return total <= maxChars;
    }

    private static (string Title, IReadOnlyList<string> Keywords, string Body) Cut(string title, IReadOnlyList<string> keywords, string body, int maxChars)
    {
        var left = maxChars;
        var cutTitle = Take(title, ref left);
        var cutKeywords = new List<string>();
        foreach (var keyword in keywords)
        {
            if (left == 0)
            {
                break;
            }

            var kept = Take(keyword, ref left);
            if (kept.Length > 0)
            {
                cutKeywords.Add(kept);
            }
        }

        return (cutTitle, cutKeywords, Take(body, ref left));
    }

    /// <summary>The longest prefix of <paramref name="text"/> within <paramref name="left"/> characters that does not
    /// split a surrogate pair; <paramref name="left"/> goes down by its length.</summary>
    private static string Take(string text, ref int left)
    {
        if (text.Length <= left)
        {
            left -= text.Length;
            return text;
        }

        var length = left > 0 && char.IsHighSurrogate(text[left - 1]) ? left - 1 : left;
        left = 0;
        return text[..length];
    }
}
