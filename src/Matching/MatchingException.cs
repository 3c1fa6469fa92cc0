namespace Matching;

/// <summary>The base of every error Matching raises on purpose: bad input, a mismatched index or model.</summary>
public class MatchingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MatchingException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An input file that cannot be read as asked: names the file, the line and the field.</summary>
/// <remarks>The message reads <c>achievements.csv:17: field 'title': empty (value '')</c>.</remarks>
public sealed class InputFormatException : MatchingException
{
    /// <summary>Creates the exception; <paramref name="line"/> is 1-based, 0 when the problem concerns the whole file.</summary>
    public InputFormatException(string path, int line, string? field, string problem, string? value = null, Exception? inner = null)
        : base(Format(path, line, field, problem, value), inner)
    {
        Path = path;
        Line = line;
        Field = field;
        Problem = problem;
        Value = value;
    }

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>The 1-based line where the offending record starts; 0 for the whole file.</summary>
    public int Line { get; }

    /// <summary>The field (Matching's name for it), when the problem is in one field.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The offending value, shortened, when there is one.</summary>
    public string? Value { get; }

    /// <summary>Formats a location and problem the way every Matching input error reads.</summary>
    public static string Format(string path, int line, string? field, string problem, string? value)
    {
        var where = line > 0 ? $"{path}:{line}" : path;
        var what = field is null ? problem : $"field '{field}': {problem}";
        return value is null ? $"{where}: {what}" : $"{where}: {what} (value '{Shorten(value)}')";
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}

/// <summary>An index that is missing, damaged, or was built by another analyzer or format version.</summary>
public sealed class IndexMismatchException : MatchingException
{
    /// <summary>Creates the exception.</summary>
    public IndexMismatchException(string message, Exception? inner = null) : base(message, inner) { }
}
