using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Matching.Reporting;

/// <summary>Writes an <see cref="EventReport"/> as indented, camelCase JSON (UTF-8, \n line ends, a final newline).</summary>
/// <remarks>Chinese text is written as is rather than as \u escapes: the file is JSON, never pasted into HTML,
/// so the relaxed encoder is safe here. Properties keep declaration order and numbers round-trip, so the same
/// report gives the same bytes. Reading the file back with <see cref="Options"/> gives an equal report.</remarks>
internal static class JsonReportWriter
{
    /// <summary>The serializer options for writing and reading report files.</summary>
    internal static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes the report to <paramref name="output"/>, which stays open.</summary>
    public static void Write(EventReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        JsonSerializer.Serialize(output, report, Options);
        output.WriteByte((byte)'\n');
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // An unbounded solver bound or a degenerate score must not make the whole report unwritable.
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
