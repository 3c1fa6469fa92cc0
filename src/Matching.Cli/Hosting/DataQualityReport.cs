using System.Collections.ObjectModel;
using Matching.Ingestion;

namespace Matching.Cli.Hosting;

/// <summary>Records accepted with a data-quality problem (README, "Inputs"): per file and kind, the first
/// <see cref="Shown"/> and a count, so a file of 100,000 untitled rows prints 20 lines, not 100,000.</summary>
internal sealed class DataQualityReport : Collection<DataQualityWarning>
{
    private const int Shown = 20;
    private readonly Dictionary<(string Path, DataQualityKind Kind), (List<InputFormatException> First, int Count)> _byFile = [];

    /// <summary>Prints the warnings of <paramref name="path"/>, kind by kind: each warning, then how many.</summary>
    public void Report(CommandHost host, string path)
    {
        foreach (var kind in Enum.GetValues<DataQualityKind>())
        {
            if (!_byFile.TryGetValue((path, kind), out var warnings))
            {
                continue;
            }

            foreach (var warning in warnings.First)
            {
                host.Err.WriteLine($"warning: {warning.Message}");
            }

            host.Err.WriteLine($"{warnings.Count} record(s) {Describe(kind)} in {path}" + (warnings.Count > Shown ? $" (first {Shown} shown)" : ""));
        }
    }

    protected override void InsertItem(int index, DataQualityWarning item)
    {
        var key = (item.Warning.Path, item.Kind);
        var (first, count) = _byFile.GetValueOrDefault(key, ([], 0));
        if (first.Count < Shown)
        {
            first.Add(item.Warning);
        }

        _byFile[key] = (first, count + 1);
    }

    private static string Describe(DataQualityKind kind) => kind switch
    {
        DataQualityKind.NoTitle => "with no title",
        DataQualityKind.NoText => "with no abstract or description",
        DataQualityKind.NoOrganization => "with no organization",
        DataQualityKind.DuplicateText => "with the same title and text as an earlier record",
        _ => kind.ToString(),
    };
}
