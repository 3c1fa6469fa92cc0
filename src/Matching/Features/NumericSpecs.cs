using System.Numerics;

namespace Matching.Features;

/// <summary>What a spec's comparator asks of the value.</summary>
internal enum SpecBound : byte
{
    /// <summary>No comparator, or 约/左右: the value itself, give or take 10%.</summary>
    About,

    /// <summary>≥, 不低于, 以上, 达到, 大于 …</summary>
    AtLeast,

    /// <summary>≤, 不高于, 以下, 以内, 小于, ± …</summary>
    AtMost,

    /// <summary>a~b, a-b, a至b.</summary>
    Range,
}

/// <summary>One numeric specification, "quantity word + comparator? + number + unit" (容量保持率≥90%, 精度0.05mm,
/// 循环寿命1000次以上), with the value in the unit's base (mm → m, 万次 → 次). 24 bytes.</summary>
/// <param name="Quantity">The last (up to) four Han chars before the comparator, packed 16 bits each, the last
/// char lowest; 0 when no quantity word precedes the number.</param>
/// <param name="Dimension">Unit family: values of one family are comparable after scaling.</param>
/// <param name="Bound">The comparator.</param>
/// <param name="Low">The value; the lower end for <see cref="SpecBound.Range"/>.</param>
/// <param name="High">The value; the upper end for <see cref="SpecBound.Range"/>.</param>
internal readonly record struct NumericSpec(ulong Quantity, byte Dimension, SpecBound Bound, float Low, float High)
{
    /// <summary>The quantity word, unpacked (for tests and explanations).</summary>
    public string QuantityWord
    {
        get
        {
            var chars = new List<char>(4);
            for (var q = Quantity; q != 0; q >>= 16)
            {
                chars.Insert(0, (char)(q & 0xFFFF));
            }

            return new string([.. chars]);
        }
    }
}

/// <summary>Finds numeric specs in normalised text and compares a demand's against an achievement's.</summary>
/// <remarks>A number counts only with a unit after it (bare 1000 is ignored), and not inside a code (pm2.5, iso9001,
/// li2co3) or a date (2020年). Comparators are read before the number (≥ 不低于 大于 达到 约 …) or after the unit
/// (以上 以下 以内 左右).</remarks>
internal static class NumericSpecs
{
    /// <summary>At most this many specs are kept per record (the first ones).</summary>
    public const int MaxPerRecord = 32;

    private const float Tolerance = 0.1f;

    private static readonly (string Unit, byte Dimension, double Scale)[] s_units = BuildUnits();

    private static readonly (string Word, SpecBound Bound)[] s_before =
    [
        .. new[]
        {
            ("不得低于", SpecBound.AtLeast), ("不得少于", SpecBound.AtLeast), ("大于等于", SpecBound.AtLeast), ("不低于", SpecBound.AtLeast),
            ("不少于", SpecBound.AtLeast), ("不小于", SpecBound.AtLeast), ("高于", SpecBound.AtLeast), ("大于", SpecBound.AtLeast),
            ("超过", SpecBound.AtLeast), ("达到", SpecBound.AtLeast), ("可达到", SpecBound.AtLeast), ("高达", SpecBound.AtLeast), ("可达", SpecBound.AtLeast), ("至少", SpecBound.AtLeast),
            ("达", SpecBound.AtLeast), ("≥", SpecBound.AtLeast), ("≧", SpecBound.AtLeast), (">=", SpecBound.AtLeast), (">", SpecBound.AtLeast),
            ("不得高于", SpecBound.AtMost), ("不得超过", SpecBound.AtMost), ("小于等于", SpecBound.AtMost), ("不高于", SpecBound.AtMost),
            ("不超过", SpecBound.AtMost), ("不大于", SpecBound.AtMost), ("不多于", SpecBound.AtMost), ("低于", SpecBound.AtMost),
            ("小于", SpecBound.AtMost), ("至多", SpecBound.AtMost), ("最多", SpecBound.AtMost), ("≤", SpecBound.AtMost), ("≦", SpecBound.AtMost),
            ("<=", SpecBound.AtMost), ("<", SpecBound.AtMost), ("±", SpecBound.AtMost),
            ("大约", SpecBound.About), ("约", SpecBound.About), ("≈", SpecBound.About),
        }.OrderByDescending(x => x.Item1.Length),
    ];

    private static readonly (string Word, SpecBound Bound)[] s_after =
    [
        ("以上", SpecBound.AtLeast), ("以下", SpecBound.AtMost), ("以内", SpecBound.AtMost), ("左右", SpecBound.About),
    ];

    /// <summary>Words between the quantity and the comparator or number that belong to neither.</summary>
    private static readonly string[] s_fillers = ["要求", "需要", "必须", "应该", "为", "是", "需", "应", "须", "可", "能", "均", "都", "在", "的"];

    private static (string, byte, double)[] BuildUnits()
    {
        var units = new List<(string, byte, double)>();
        void Add(byte dimension, params (string Unit, double Scale)[] members)
        {
            foreach (var (unit, scale) in members)
            {
                units.Add((unit, dimension, scale));
            }
        }

        Add(1, ("%", 1), ("‰", 0.1), ("个百分点", 1));
        Add(2, ("nm", 1e-9), ("μm", 1e-6), ("µm", 1e-6), ("um", 1e-6), ("mm", 1e-3), ("cm", 1e-2), ("km", 1e3), ("m", 1),
            ("纳米", 1e-9), ("微米", 1e-6), ("毫米", 1e-3), ("厘米", 1e-2), ("千米", 1e3), ("公里", 1e3), ("米", 1));
        Add(3, ("mg", 1e-3), ("kg", 1e3), ("g", 1), ("t", 1e6), ("毫克", 1e-3), ("千克", 1e3), ("公斤", 1e3), ("克", 1), ("吨", 1e6));
        Add(4, ("℃", 1), ("°c", 1), ("摄氏度", 1));
        Add(5, ("ns", 1e-9), ("μs", 1e-6), ("us", 1e-6), ("ms", 1e-3), ("min", 60), ("s", 1), ("h", 3600), ("纳秒", 1e-9), ("微秒", 1e-6), ("毫秒", 1e-3), ("秒", 1), ("分钟", 60),
            ("小时", 3600), ("天", 86400), ("周", 604800), ("个月", 2629800), ("年", 31557600));
        Add(6, ("次", 1));
        Add(7, ("kv", 1e3), ("mv", 1e-3), ("v", 1), ("伏", 1));
        Add(8, ("ma", 1e-3), ("a", 1), ("安培", 1));
        Add(9, ("kw", 1e3), ("gw", 1e9), ("w", 1), ("千瓦", 1e3), ("兆瓦", 1e6), ("瓦", 1));
        Add(10, ("kwh", 1e3), ("wh", 1));
        Add(11, ("mah", 1e-3), ("ah", 1));
        Add(12, ("wh/kg", 1));
        Add(13, ("khz", 1e3), ("mhz", 1e6), ("ghz", 1e9), ("hz", 1), ("赫兹", 1));
        Add(14, ("kpa", 1e3), ("mpa", 1e6), ("gpa", 1e9), ("pa", 1), ("bar", 1e5), ("兆帕", 1e6));
        Add(15, ("ml", 1e-3), ("l", 1), ("毫升", 1e-3), ("升", 1), ("m3", 1e3), ("m³", 1e3), ("立方米", 1e3));
        Add(16, ("rpm", 1), ("r/min", 1), ("转/分", 1));
        Add(17, ("db", 1), ("分贝", 1));
        Add(18, ("ppm", 1), ("ppb", 1e-3));
        Add(19, ("mm2", 1e-6), ("cm2", 1e-4), ("m2", 1), ("㎡", 1), ("平方米", 1), ("亩", 666.6667));
        Add(20, ("元", 1));
        Add(21, ("倍", 1));
        Add(22, ("mg/l", 1), ("g/l", 1e3));
        Add(23, ("m/s", 1), ("km/h", 1 / 3.6));

        // Longest first, so that mm wins over m and kwh over kw.
        return [.. units.OrderByDescending(u => u.Item1.Length)];
    }

    /// <summary>The specs of a normalised text, in text order, at most <see cref="MaxPerRecord"/>.</summary>
    public static NumericSpec[] Extract(string text)
    {
        List<NumericSpec>? specs = null;
        var i = 0;
        while (i < text.Length && (specs?.Count ?? 0) < MaxPerRecord)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var next = TryRead(text, start, out var spec);
            if (spec is { } found)
            {
                (specs ??= []).Add(found);
            }

            i = Math.Max(next, start + 1);
        }

        return specs is null ? [] : [.. specs];
    }

    /// <summary>Reads the number at <paramref name="start"/> and what follows it; returns where reading stopped.</summary>
    private static int TryRead(string text, int start, out NumericSpec? spec)
    {
        spec = null;
        var end = ReadNumber(text, start, out var value, out var integral);

        // Inside a code or an identifier (pm2.5, iso9001, a1b2): not a quantity.
        var before = start > 0 ? text[start - 1] : ' ';
        if (char.IsAsciiLetter(before) || before == '.')
        {
            return SkipAlphanumerics(text, end);
        }

        var negative = false;
        var numberStart = start;
        if (before is '-' or '−' && (start < 2 || !char.IsAsciiDigit(text[start - 2])))
        {
            negative = true;
            numberStart = start - 1;
        }

        var position = SkipSpaces(text, end);
        var multiplier = ReadMultiplier(text, ref position);
        var unit = ReadUnit(text, position, out var unitEnd);
        double low = (negative ? -value : value) * multiplier, high = low;
        var bound = SpecBound.About;

        // A range: a~b unit, a-b unit, a至b unit (the unit may be on both ends).
        var afterFirst = unit is null ? position : SkipSpaces(text, unitEnd);
        if (afterFirst < text.Length && text[afterFirst] is '~' or '-' or '—' or '–' or '至' or '到')
        {
            var second = SkipSpaces(text, afterFirst + 1);
            var secondNegative = false;
            if (second < text.Length && text[second] is '-' or '−')
            {
                secondNegative = true;
                second++;
            }

            if (second < text.Length && char.IsAsciiDigit(text[second]))
            {
                var secondEnd = ReadNumber(text, second, out var secondValue, out _);
                var p = SkipSpaces(text, secondEnd);
                var secondMultiplier = ReadMultiplier(text, ref p);
                var secondUnit = ReadUnit(text, p, out var secondUnitEnd);
                if (secondUnit is { } u2 && (unit is null || unit.Value.Dimension == u2.Dimension) &&
                    !IsNotAQuantity(u2, secondValue, true, secondMultiplier))
                {
                    var firstUnit = unit ?? u2;
                    low = (negative ? -value : value) * (unit is null && multiplier == 1 ? secondMultiplier : multiplier) * firstUnit.Scale;
                    high = (secondNegative ? -secondValue : secondValue) * secondMultiplier * u2.Scale;
                    if (low > high)
                    {
                        (low, high) = (high, low);
                    }

                    spec = new NumericSpec(QuantityBefore(text, numberStart, out _), u2.Dimension, SpecBound.Range, (float)low, (float)high);
                    return secondUnitEnd;
                }
            }
        }

        if (unit is not { } found || IsNotAQuantity(found, value, integral, multiplier))
        {
            return unit is null ? end : unitEnd;
        }

        low *= found.Scale;
        high = low;
        var quantity = QuantityBefore(text, numberStart, out var before2);
        if (before2 is { } b)
        {
            bound = b;
        }
        else
        {
            var after = SkipSpaces(text, unitEnd);
            foreach (var (word, wordBound) in s_after)
            {
                if (string.CompareOrdinal(text, after, word, 0, word.Length) == 0)
                {
                    bound = wordBound;
                    break;
                }
            }
        }

        spec = new NumericSpec(quantity, found.Dimension, bound, (float)low, (float)high);
        return unitEnd;
    }

    /// <summary>4g/5g (networks) and 2020年 (a date) look like quantities and are not.</summary>
    private static bool IsNotAQuantity((byte Dimension, double Scale, string Unit) unit, double value, bool integral, double multiplier) =>
        multiplier == 1 && integral &&
        ((unit.Unit == "g" && value is >= 2 and <= 6) || (unit.Unit == "年" && value is >= 1900 and <= 2100));

    private static int ReadNumber(string text, int start, out double value, out bool integral)
    {
        var i = start;
        double whole = 0;
        while (i < text.Length && (char.IsAsciiDigit(text[i]) || (text[i] == ',' && i + 3 < text.Length && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 3]))))
        {
            if (text[i] != ',')
            {
                whole = (whole * 10) + (text[i] - '0');
            }

            i++;
        }

        integral = true;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            integral = false;
            i++;
            var scale = 0.1;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                whole += (text[i] - '0') * scale;
                scale /= 10;
                i++;
            }
        }

        value = whole;
        return i;
    }

    private static double ReadMultiplier(string text, ref int position)
    {
        if (position < text.Length)
        {
            var multiplier = text[position] switch
            {
                '万' => 1e4,
                '亿' => 1e8,
                '千' when position + 1 < text.Length && text[position + 1] is not '米' and not '克' and not '瓦' => 1e3,
                _ => 1.0,
            };
            if (multiplier != 1)
            {
                position++;
            }

            return multiplier;
        }

        return 1;
    }

    private static (byte Dimension, double Scale, string Unit)? ReadUnit(string text, int position, out int end)
    {
        end = position;
        foreach (var (unit, dimension, scale) in s_units)
        {
            if (string.CompareOrdinal(text, position, unit, 0, unit.Length) != 0)
            {
                continue;
            }

            // A Latin unit must end its word: 5 mmol is not 5 mm, 10 min is not 10 m.
            var after = position + unit.Length;
            if (char.IsAsciiLetter(unit[^1]) && after < text.Length && char.IsAsciiLetterOrDigit(text[after]))
            {
                continue;
            }

            end = after;
            return (dimension, scale, unit);
        }

        return null;
    }

    /// <summary>The quantity word before a number (skipping a comparator and filler words), packed; and the
    /// comparator when there is one.</summary>
    private static ulong QuantityBefore(string text, int numberStart, out SpecBound? bound)
    {
        bound = null;
        var i = SkipSpacesBack(text, numberStart);
        foreach (var (word, wordBound) in s_before)
        {
            if (i >= word.Length && string.CompareOrdinal(text, i - word.Length, word, 0, word.Length) == 0)
            {
                bound = wordBound;
                i -= word.Length;
                break;
            }
        }

        var skipped = true;
        while (skipped)
        {
            i = SkipSpacesBack(text, i);
            skipped = false;
            foreach (var filler in s_fillers)
            {
                if (i >= filler.Length && string.CompareOrdinal(text, i - filler.Length, filler, 0, filler.Length) == 0)
                {
                    i -= filler.Length;
                    skipped = true;
                    break;
                }
            }
        }

        ulong quantity = 0;
        for (var k = 0; k < 4 && i > 0 && IsHan(text[i - 1]); k++, i--)
        {
            quantity |= (ulong)text[i - 1] << (16 * k);
        }

        return quantity;
    }

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF';

    private static int SkipSpaces(string text, int i)
    {
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }

        return i;
    }

    private static int SkipSpacesBack(string text, int i)
    {
        while (i > 0 && text[i - 1] is ' ' or ':')
        {
            i--;
        }

        return i;
    }

    private static int SkipAlphanumerics(string text, int i)
    {
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }

        return i;
    }

    /// <summary>Quantity words agree when either is missing, when one contains the other (保持率 in 容量保持率, 循环 in
    /// 循环寿命), or when their last two chars (the head of a Chinese compound: 温度 in 工作温度 and 储存温度) are the same.</summary>
    public static bool Related(ulong demand, ulong achievement)
    {
        if (demand == 0 || achievement == 0 || ((demand ^ achievement) & 0xFFFF_FFFFUL) == 0)
        {
            return true;
        }

        // One word inside the other, on the packed form: the shorter equals some 16-bit-aligned window of the longer.
        var (shorter, longer) = demand < achievement ? (demand, achievement) : (achievement, demand);
        var shortLength = Chars(shorter);
        var window = shortLength == 4 ? ulong.MaxValue : (1UL << (16 * shortLength)) - 1;
        for (var shift = 0; shift <= 16 * (Chars(longer) - shortLength); shift += 16)
        {
            if (((longer >> shift) & window) == shorter)
            {
                return true;
            }
        }

        return false;
    }

    private static int Chars(ulong quantity) => (64 - BitOperations.LeadingZeroCount(quantity) + 15) / 16;

    /// <summary>How many of the demand's specs an achievement spec of the same unit family and a related quantity
    /// meets (their values overlap), and how many it violates (comparable specs exist, none meets, and the demand
    /// spec has a comparator). (−1, −1) when the demand states no spec.</summary>
    public static (float Met, float Conflicting) Compare(NumericSpec[] demand, NumericSpec[] achievement)
    {
        if (demand.Length == 0)
        {
            return (PairFeatures.Unknown, PairFeatures.Unknown);
        }

        int met = 0, conflicting = 0;
        foreach (var d in demand)
        {
            var (low, high) = d.Bound switch
            {
                SpecBound.AtLeast => (d.Low, float.PositiveInfinity),
                SpecBound.AtMost => (float.NegativeInfinity, d.High),
                SpecBound.Range => (d.Low, d.High),
                _ => (d.Low - (Tolerance * Math.Abs(d.Low)), d.High + (Tolerance * Math.Abs(d.High))),
            };
            var comparable = false;
            var meets = false;
            foreach (var a in achievement)
            {
                if (a.Dimension != d.Dimension || !Related(d.Quantity, a.Quantity))
                {
                    continue;
                }

                comparable = true;
                if (a.Low <= high && a.High >= low)
                {
                    meets = true;
                    break;
                }
            }

            met += meets ? 1 : 0;
            conflicting += comparable && !meets && d.Bound != SpecBound.About ? 1 : 0;
        }

        return (met, conflicting);
    }
}
