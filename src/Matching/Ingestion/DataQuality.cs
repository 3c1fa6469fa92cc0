using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Matching.Ingestion;

/// <summary>What a <see cref="DataQualityWarning"/> is about: a record that is accepted but will match poorly or read
/// badly in the report.</summary>
public enum DataQualityKind
{
    /// <summary>The record has no title (it is matched on its abstract or description and keywords).</summary>
    NoTitle,

    /// <summary>The record has no abstract (achievements) or description (demands): it is matched on its title and
    /// keywords only.</summary>
    NoText,

    /// <summary>The record names no organisation: pairs and the agenda show it as an organisation of its own.</summary>
    NoOrganization,

    /// <summary>The record has the same title and text as an earlier record of the same file (compared ignoring case,
    /// spaces, punctuation and full-width forms): the same thing entered twice under two ids.</summary>
    DuplicateText,
}

/// <summary>A record accepted with a data-quality problem, naming file, line and field.</summary>
/// <param name="Kind">What is wrong with the record.</param>
/// <param name="Warning">Where, as an input message: <c>demands.csv:7: field 'organization': empty …</c>.</param>
public sealed record DataQualityWarning(DataQualityKind Kind, InputFormatException Warning);

/// <summary>Checks accepted records for the problems of <see cref="DataQualityKind"/>, in file order; holds a 16-byte hash
/// and a line per distinct text, so a streamed file stays in bounded memory per record.</summary>
internal sealed class DataQualityCheck<T>(string path, RecordSchema<T> schema)
{
    private const int Organization = 4;

    private readonly Dictionary<UInt128, (int Line, string Id)> _firstText = [];

    public void Check(RawRecord row, ICollection<DataQualityWarning> warnings)
    {
        var title = row.Values[RecordSchema<T>.Title];
        var body = row.Values[RecordSchema<T>.Body];
        var bodyName = schema.Fields[RecordSchema<T>.Body].Name;
        if (title.Length == 0)
        {
            Add(warnings, DataQualityKind.NoTitle, row.Line, "title", $"empty: the record has no title (kept, matched on its {bodyName} and keywords)");
        }

        if (body.Length == 0)
        {
            Add(warnings, DataQualityKind.NoText, row.Line, bodyName, $"empty: the record has no {bodyName} (kept, matched on its title and keywords only)");
        }

        if (row.Values[Organization].Length == 0)
        {
            Add(warnings, DataQualityKind.NoOrganization, row.Line, "organization",
                "empty: the record names no organization (kept; pairs and the agenda show it as an organization of its own)");
        }

        if (title.Length > 0 || body.Length > 0)
        {
            var id = row.Values[RecordSchema<T>.Id];
            var key = TextKey(title, body);
            if (_firstText.TryGetValue(key, out var first))
            {
                Add(warnings, DataQualityKind.DuplicateText, row.Line, "title",
                    $"id '{id}' has the same title and {bodyName} as id '{first.Id}' at line {first.Line} (kept: both are matched)");
            }
            else
            {
                _firstText[key] = (row.Line, id);
            }
        }
    }

    /// <summary>A hash of title and text with case, spaces, punctuation and full-width forms folded away.</summary>
    internal static UInt128 TextKey(string title, string body)
    {
        var builder = new StringBuilder(title.Length + body.Length + 1);
        Fold(title, builder);
        builder.Append('\u0001');
        Fold(body, builder);
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    private static void Fold(string text, StringBuilder builder)
    {
        foreach (var c in HeaderName.FormKC(text))
        {
            if (!char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
    }

    private void Add(ICollection<DataQualityWarning> warnings, DataQualityKind kind, int line, string field, string problem) =>
        warnings.Add(new DataQualityWarning(kind, new InputFormatException(path, line, field, problem)));
}
