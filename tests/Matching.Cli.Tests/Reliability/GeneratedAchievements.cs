using System.Text.Encodings.Web;
using System.Text.Json;
using Matching.Ingestion;

namespace Matching.Cli.Tests.Reliability;

/// <summary>Achievements recombined from the real sentences, titles and keywords of the sample event, seeded, so a
/// large input reads like the real thing (segmentation and indexing cost included) and is the same on every run.</summary>
internal sealed class GeneratedAchievements
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lazy<GeneratedAchievements> s_fromSample = new(() => new GeneratedAchievements(
        RecordReader.ReadAchievements(Cli.Sample("achievements.csv")).Records,
        RecordReader.ReadDemands(Cli.Sample("demands.csv")).Records));

    private readonly string[] _titles;
    private readonly string[] _sentences;
    private readonly string[] _keywords;
    private readonly string[] _organizations;
    private readonly string[] _fields;
    private readonly string[] _regions;

    private GeneratedAchievements(IReadOnlyList<Achievement> achievements, IReadOnlyList<Demand> demands)
    {
        _titles = [.. achievements.Select(a => a.Title), .. demands.Select(d => d.Title)];
        _sentences = [.. achievements.Select(a => a.Abstract).Concat(demands.Select(d => d.Description))
            .SelectMany(text => text.Split('。', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => s.Length > 4)
            .Select(s => s + "。")];
        _keywords = [.. achievements.SelectMany(a => a.Keywords).Concat(demands.SelectMany(d => d.Keywords)).Distinct().Order(StringComparer.Ordinal)];
        _organizations = [.. achievements.Select(a => a.Organization).Distinct().Order(StringComparer.Ordinal)];
        _fields = [.. achievements.Select(a => a.Field).Distinct().Order(StringComparer.Ordinal)];
        _regions = [.. achievements.Select(a => a.Region).Distinct().Order(StringComparer.Ordinal)];
    }

    public static GeneratedAchievements FromSample => s_fromSample.Value;

    /// <summary>The record with number <paramref name="number"/> (id <c>G</c> + six digits); <paramref name="variant"/>
    /// changes its text but not its id, for updates.</summary>
    public object Record(int number, int variant = 0)
    {
        var random = new Random(HashCode.Combine(number, variant, 20261129));
        var abstractText = _sentences[random.Next(_sentences.Length)];
        return new
        {
            id = Id(number),
            title = _titles[random.Next(_titles.Length)] + (variant == 0 ? "" : $"（第{variant}版）"),
            @abstract = abstractText,
            keywords = Enumerable.Range(0, random.Next(2, 5)).Select(_ => _keywords[random.Next(_keywords.Length)]).Distinct().ToArray(),
            organization = _organizations[random.Next(_organizations.Length)],
            field = _fields[random.Next(_fields.Length)],
            region = _regions[random.Next(_regions.Length)],
        };
    }

    public static string Id(int number) => $"G{number:D6}";

    /// <summary>Writes records as JSON Lines: each (number, variant) pair in order.</summary>
    public void WriteJsonl(string path, IEnumerable<(int Number, int Variant)> records)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var (number, variant) in records)
        {
            writer.WriteLine(JsonSerializer.Serialize(Record(number, variant), s_json));
        }
    }
}
