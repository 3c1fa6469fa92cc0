using System.Globalization;

namespace Matching.Ingestion;

/// <summary>The field limit (<see cref="ReadOptions.MaxFieldBytes"/>): whether a value is within it, where to cut it, and
/// the messages for a field that is not.</summary>
internal static class FieldLimit
{
    /// <summary>Checks one field. Returns the value to keep: <paramref name="value"/> itself when it is within the limit
    /// and was read whole, else its longest prefix within the limit under <see cref="ReadOptions.TruncateLongFields"/>
    /// (with a warning added to <paramref name="record"/>), else null with <paramref name="problem"/> set.
    /// <paramref name="wasCut"/> says the reader already stopped holding the field at the limit: it is too long whatever
    /// its length now.</summary>
    public static string? Apply(
        string path, int line, string? field, string value, bool wasCut, ReadOptions options, RawRecord record, out InputFormatException? problem)
    {
        problem = null;
        var max = options.MaxFieldBytes;
        if (!wasCut && (value.Length <= max / 3 || System.Text.Encoding.UTF8.GetByteCount(value) <= max))
        {
            return value;
        }

        if (!options.TruncateLongFields)
        {
            problem = TooLong(path, line, field, max);
            return null;
        }

        var kept = value[..PrefixLength(value, max)].TrimEnd();
        (record.Warnings ??= []).Add(new InputFormatException(path, line, field, Invariant(
            $"longer than {max:N0} bytes, the field limit: cut to its first {kept.Length:N0} characters (--truncate-long-fields)")));
        return kept;
    }

    /// <summary>The error for a field over the limit.</summary>
    public static InputFormatException TooLong(string path, int line, string? field, int maxBytes) =>
        new(path, line, field, Invariant(
            $"longer than {maxBytes:N0} bytes, the field limit (raise it with --max-field-bytes, or cut long fields with --truncate-long-fields)"));

    /// <summary>The length of the longest prefix of <paramref name="text"/> whose UTF-8 form fits in
    /// <paramref name="maxBytes"/>, never splitting a surrogate pair.</summary>
    public static int PrefixLength(ReadOnlySpan<char> text, int maxBytes)
    {
        var bytes = 0L;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            int size, chars;
            if (c < 0x80)
            {
                (size, chars) = (1, 1);
            }
            else if (c < 0x800)
            {
                (size, chars) = (2, 1);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                (size, chars) = (4, 2);
            }
            else
            {
                // A lone surrogate is written as U+FFFD, three bytes, as Encoding.UTF8 writes it.
                (size, chars) = (3, 1);
            }

            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += chars;
        }

        return i;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
