using System.Text.Json;
using System.Text.RegularExpressions;
using Matching.Ingestion;

namespace Matching.Engine;

/// <summary>One named data set a ranker is trained or checked on. Each set keeps its own index and corpus statistics
/// (its features are computed within the set); the ranking groups of all sets are pooled for LambdaRank.</summary>
/// <param name="Name">The set's name: unique among the sets, letters, digits, <c>. _ -</c>; the prefix of its group ids.</param>
/// <param name="Data">Records, judgments and candidate source.</param>
/// <param name="Weight">Weight of each of the set's training rows and of the set in the macro mean; default 1.</param>
public sealed record TrainingSet(string Name, RankingData Data, double Weight = 1.0);

/// <summary>One entry of a sets file, its paths resolved (see <see cref="TrainingSetsFile"/>).</summary>
/// <param name="Name">The set's name.</param>
/// <param name="Achievements">The achievements file.</param>
/// <param name="Demands">The demands file.</param>
/// <param name="Judgments">TREC qrels, or an outcome CSV (.csv).</param>
/// <param name="Candidates">A TREC run of candidate lists, or null for BM25 retrieval.</param>
/// <param name="JudgedOnly">Condensed, judged-only lists.</param>
/// <param name="ExcludeSelf">Pair tasks: demand PREFIX+X never gets achievement X.</param>
/// <param name="Depth">BM25 candidates per demand, or null for the command's default.</param>
/// <param name="Weight">The set's weight (&gt; 0).</param>
public sealed record TrainingSetSpec(
    string Name, string Achievements, string Demands, string Judgments, string? Candidates, bool JudgedOnly, string? ExcludeSelf, int? Depth, double Weight)
{
    /// <summary>Reads the set's files.</summary>
    /// <param name="defaultDepth">Depth when the entry gives none.</param>
    /// <param name="readOptions">Encoding, limits and columns for the record files.</param>
    /// <exception cref="InputFormatException">A file is missing or malformed.</exception>
    public TrainingSet Load(int defaultDepth = 100, ReadOptions? readOptions = null)
    {
        var data = RankingData.FromFiles(Achievements, Demands, Judgments, Candidates, readOptions);
        return new TrainingSet(Name, new RankingData
        {
            Achievements = data.Achievements,
            Demands = data.Demands,
            Judgments = data.Judgments,
            Candidates = data.Candidates,
            Depth = Depth ?? defaultDepth,
            JudgedOnly = JudgedOnly,
            ExcludeSelfPrefix = ExcludeSelf,
        }, Weight);
    }
}

/// <summary>Reads a sets file: the data sets <c>matching train --sets</c> pools. A JSON object
/// <c>{"sets": [{"name", "achievements", "demands", "judgments", "candidates"?, "judged_only"?, "exclude_self"?, "depth"?, "weight"?}, …]}</c>;
/// relative paths resolve against a root folder (by default the sets file's own folder). Unknown fields are errors, so a
/// misspelt option is never silently ignored.</summary>
public static partial class TrainingSetsFile
{
    private static readonly string[] s_fields = ["name", "achievements", "demands", "judgments", "candidates", "judged_only", "exclude_self", "depth", "weight"];

    /// <summary>Reads and checks a sets file; every file it names must exist.</summary>
    /// <param name="path">The sets file.</param>
    /// <param name="root">The folder relative paths resolve against; null for the sets file's folder.</param>
    /// <exception cref="InputFormatException">The file is missing, not JSON, or an entry is wrong: the message names the
    /// sets file, the line and the field (<c>sets[1].judgments</c>).</exception>
    public static IReadOnlyList<TrainingSetSpec> Read(string path, string? root = null)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, "sets file not found");
        }

        var text = File.ReadAllText(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InputFormatException(path, (int)(e.LineNumber ?? -1) + 1, null, $"not valid JSON ({e.Message})", inner: e);
        }

        var folder = root ?? Path.GetDirectoryName(Path.GetFullPath(path))!;
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("sets", out var sets) || sets.ValueKind != JsonValueKind.Array)
            {
                throw new InputFormatException(path, 1, "sets", "expected an object {\"sets\": [ … ]} with an array of sets");
            }

            foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "sets"))
            {
                throw new InputFormatException(path, LineOf(text, property.Name), property.Name, "unknown field (the file has one field, \"sets\")");
            }

            if (sets.GetArrayLength() == 0)
            {
                throw new InputFormatException(path, LineOf(text, "sets"), "sets", "no sets");
            }

            var specs = new List<TrainingSetSpec>();
            var index = 0;
            foreach (var entry in sets.EnumerateArray())
            {
                specs.Add(ReadEntry(path, text, folder, entry, index++, specs));
            }

            return specs;
        }
    }

    private static TrainingSetSpec ReadEntry(string path, string text, string folder, JsonElement entry, int index, List<TrainingSetSpec> earlier)
    {
        var where = $"sets[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new InputFormatException(path, 0, where, "expected an object");
        }

        // The line of the entry's name (or first field): good enough to find it in a hand-written file.
        var line = entry.EnumerateObject().Select(p => LineOf(text, p.Name, p.Value.GetRawText())).FirstOrDefault();
        foreach (var property in entry.EnumerateObject())
        {
            if (!s_fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new InputFormatException(path, line, $"{where}.{property.Name}", $"unknown field (known: {string.Join(", ", s_fields)})");
            }
        }

        string? String(string field, bool required)
        {
            if (!entry.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return required ? throw new InputFormatException(path, line, $"{where}.{field}", "missing") : null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } s)
            {
                throw new InputFormatException(path, line, $"{where}.{field}", "expected a non-empty string", value.GetRawText());
            }

            return s;
        }

        string? File_(string field, bool required)
        {
            if (String(field, required) is not { } relative)
            {
                return null;
            }

            var full = Path.IsPathRooted(relative) ? relative : Path.GetFullPath(Path.Combine(folder, relative));
            if (!File.Exists(full))
            {
                throw new InputFormatException(path, line, $"{where}.{field}", $"file not found: {full}", relative);
            }

            return full;
        }

        var name = String("name", required: true)!;
        if (!NamePattern().IsMatch(name))
        {
            throw new InputFormatException(path, line, $"{where}.name", "letters, digits, '.', '_' and '-' only", name);
        }

        if (earlier.Any(s => s.Name == name))
        {
            throw new InputFormatException(path, line, $"{where}.name", "another set has this name", name);
        }

        var judgedOnly = false;
        if (entry.TryGetProperty("judged_only", out var judged))
        {
            judgedOnly = judged.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InputFormatException(path, line, $"{where}.judged_only", "expected true or false", judged.GetRawText()),
            };
        }

        int? depth = null;
        if (entry.TryGetProperty("depth", out var d))
        {
            depth = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n >= 1
                ? n
                : throw new InputFormatException(path, line, $"{where}.depth", "expected a whole number of at least 1", d.GetRawText());
        }

        var weight = 1.0;
        if (entry.TryGetProperty("weight", out var w))
        {
            weight = w.ValueKind == JsonValueKind.Number && w.TryGetDouble(out var x) && x > 0 && double.IsFinite(x)
                ? x
                : throw new InputFormatException(path, line, $"{where}.weight", "expected a number above 0", w.GetRawText());
        }

        return new TrainingSetSpec(
            name,
            File_("achievements", required: true)!,
            File_("demands", required: true)!,
            File_("judgments", required: true)!,
            File_("candidates", required: false),
            judgedOnly,
            String("exclude_self", required: false),
            depth,
            weight);
    }

    /// <summary>The 1-based line of the first <c>"field": value</c> in the text (0 when not found).</summary>
    private static int LineOf(string text, string field, string? value = null)
    {
        var key = $"\"{field}\"";
        var at = value is null ? text.IndexOf(key, StringComparison.Ordinal) : -1;
        if (value is not null)
        {
            var match = Regex.Match(text, Regex.Escape(key) + @"\s*:\s*" + Regex.Escape(value));
            at = match.Success ? match.Index : text.IndexOf(key, StringComparison.Ordinal);
        }

        return at < 0 ? 0 : text.AsSpan(0, at).Count('\n') + 1;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
