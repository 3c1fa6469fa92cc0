using System.Globalization;

namespace Matching.Text;

/// <summary>Turns numbers written in Chinese numerals into digits, so 百分之九十五 and 95% are one term.</summary>
/// <remarks>Only whole tokens made of numerals (at least two chars, or a percentage) are converted:
/// 一种 or 第十五届 stay words.</remarks>
internal static class ChineseNumerals
{
    private const string Percent = "百分之";

    private static readonly Dictionary<char, int> s_digits = new()
    {
        ['零'] = 0, ['〇'] = 0, ['一'] = 1, ['二'] = 2, ['两'] = 2, ['三'] = 3, ['四'] = 4,
        ['五'] = 5, ['六'] = 6, ['七'] = 7, ['八'] = 8, ['九'] = 9,
    };

    private static readonly Dictionary<char, long> s_units = new()
    {
        ['十'] = 10, ['百'] = 100, ['千'] = 1000, ['万'] = 10_000, ['亿'] = 100_000_000,
    };

    public static bool TryNormalize(string word, out string digits)
    {
        digits = "";
        if (word.StartsWith(Percent, StringComparison.Ordinal) && word.Length > Percent.Length)
        {
            if (TryParse(word.AsSpan(Percent.Length), out var percent))
            {
                digits = percent.ToString(CultureInfo.InvariantCulture) + "%";
                return true;
            }

            return false;
        }

        if (word.Length < 2 || !TryParse(word, out var value))
        {
            return false;
        }

        digits = value.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Parses 三十五, 一百零八, 两千, 十五万, 二〇二四 (digit by digit when there is no unit).</summary>
    internal static bool TryParse(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        // 万一 (in case) and 千万 (by all means) are words, not numbers: a number starts with a digit or 十.
        if (!s_digits.ContainsKey(text[0]) && text[0] != '十')
        {
            return false;
        }

        var hasUnit = false;
        foreach (var c in text)
        {
            if (s_units.ContainsKey(c))
            {
                hasUnit = true;
            }
            else if (!s_digits.ContainsKey(c))
            {
                return false;
            }
        }

        if (!hasUnit)
        {
            // 二〇二四 → 2024
            foreach (var c in text)
            {
                value = (value * 10) + s_digits[c];
            }

            return true;
        }

        long total = 0, section = 0, digit = 0;
        var sawDigit = false;
        foreach (var c in text)
        {
            if (s_digits.TryGetValue(c, out var d))
            {
                digit = d;
                sawDigit = true;
                continue;
            }

            var unit = s_units[c];
            if (unit >= 10_000)
            {
                section += digit;
                total += (section == 0 ? 1 : section) * unit;
                section = 0;
            }
            else
            {
                // 十五 means 1×10 + 5: a unit with no digit before it counts once.
                section += (sawDigit ? digit : 1) * unit;
            }

            digit = 0;
            sawDigit = false;
        }

        value = total + section + digit;
        return true;
    }
}
