using System.Text.Json;
using System.Text.Json.Serialization;

using Matching.Aggregation;
using Matching.Scheduling;

namespace Matching.Engine;

/// <summary>An event's rules, read from the JSON options file (<c>matching match --options F</c>).</summary>
/// <remarks>Every section is optional. Example:
/// <code>
/// {
///   "title": "2026 长三角政产学研对接会",
///   "hostRegion": "浙江",
///   "strongMatch": 0.5,
///   "hardFilters": { "maturityAtLeastRequired": true, "allowedIpTypes": ["发明专利"], "sameRegionRequiredFor": ["D012"] },
///   "softPreferences": { "sameProvince": 0.05, "hostRegion": 0.03 },
///   "filters": { "regions": ["浙江", "江苏"], "industries": [], "minPairScore": 0.2 },
///   "agenda": { "slots": 8, "tables": 20, "defaultCapacity": 4, "maxCounterparts": 6, "fairnessFloor": true,
///               "startTime": "09:00", "slotMinutes": 20, "breakMinutes": 5 }
/// }
/// </code></remarks>
public sealed record EventOptions
{
    /// <summary>Report title. Default "Matching event report".</summary>
    public string Title { get; init; } = "科技成果与技术需求对接报告";

    /// <summary>The host region (province), for the host-region preference.</summary>
    public string HostRegion { get; init; } = "";

    /// <summary>Strength (0–1) from which a recommendation counts as a strong match. Default 0.5.</summary>
    public double StrongMatch { get; init; } = 0.5;

    /// <summary>Pairs that are never recommended.</summary>
    public HardFilters HardFilters { get; init; } = new();

    /// <summary>Strength bonuses.</summary>
    public SoftPreferences SoftPreferences { get; init; } = new();

    /// <summary>Which university–enterprise pairs the pair list and agenda keep.</summary>
    public PairFilters Filters { get; init; } = new();

    /// <summary>The agenda's shape; null to plan no agenda.</summary>
    public AgendaOptions? Agenda { get; init; } = new();

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // "title": null or "softPreferences": null is a wrong type, not a null to crash on later.
        RespectNullableAnnotations = true,
    };

    /// <summary>Reads an options file; errors name the file, line and JSON path.</summary>
    /// <exception cref="InputFormatException">Malformed JSON, an unknown field or a value out of range.</exception>
    public static EventOptions Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputFormatException(path, 0, null, "file not found");
        }

        EventOptions? options;
        try
        {
            using var stream = File.OpenRead(path);
            options = JsonSerializer.Deserialize<EventOptions>(stream, s_json);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? -1) + 1;
            throw new InputFormatException(path, line, e.Path is { } jsonPath ? jsonPath.TrimStart('$').TrimStart('.') : null, Describe(e), inner: e);
        }

        options ??= new EventOptions();
        options.Validate(path);
        return options;
    }

    /// <summary>A JSON error in the user's words: "must be a number", not "could not be converted to System.Double".</summary>
    private static string Describe(JsonException e)
    {
        var message = e.Message.Split(" Path:")[0];
        var type = System.Text.RegularExpressions.Regex.Match(message, @"could not be converted to ([\w.`\[\]]+)");
        if (message.Contains("doesn't allow setting null", StringComparison.Ordinal) || message.Contains("null values", StringComparison.Ordinal))
        {
            return "must not be null";
        }

        if (!type.Success)
        {
            return message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field (see the README's event rules for the fields)" : message;
        }

        var name = type.Groups[1].Value.TrimEnd('.');
        return name switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "must be a number",
            "System.Int32" or "System.Int64" => "must be a whole number",
            "System.Boolean" => "must be true or false",
            "System.String" => "must be text in quotes",
            _ when name.Contains("IReadOnlyList", StringComparison.Ordinal) || name.Contains("[]", StringComparison.Ordinal) => "must be a list, e.g. [\"a\", \"b\"]",
            _ => "must be an object { … } with the fields the README lists",
        };
    }

    /// <summary>Checks every value; <paramref name="source"/> names where they came from in the error.</summary>
    /// <exception cref="InputFormatException">Values out of range, all named in one message.</exception>
    public void Validate(string source)
    {
        var problems = new List<(string Field, string Problem)>();
        // Records built in code (or a list holding null in the file) can still carry nulls the JSON reader keeps out.
        var nulls = NullFields(this);
        if (nulls.Count > 0)
        {
            throw new InputFormatException(source, 0, nulls[0].Field, string.Join("; ", nulls.Select(p => $"{p.Field} {p.Problem}")));
        }

        if (StrongMatch is < 0 or > 1)
        {
            problems.Add(("strongMatch", "must be between 0 and 1"));
        }

        if (SoftPreferences.SameProvince is < 0 or > 1 || SoftPreferences.HostRegion is < 0 or > 1)
        {
            problems.Add(("softPreferences", "bonuses must be between 0 and 1"));
        }

        if (Filters.MinPairScore < 0)
        {
            problems.Add(("filters.minPairScore", "must not be negative"));
        }

        if (Agenda is { } agenda && (agenda.Slots < 1 || agenda.Tables < 1 || agenda.DefaultCapacity < 0))
        {
            problems.Add(("agenda", "slots and tables must be at least 1, defaultCapacity at least 0"));
        }

        if (Agenda is { MaxCounterparts: < 0 })
        {
            problems.Add(("agenda.maxCounterparts", "must be 0 (no cap) or more"));
        }

        if (Agenda?.TimeProblem() is { } time)
        {
            problems.Add(("agenda.startTime", time));
        }

        if (problems.Count > 0)
        {
            throw new InputFormatException(source, 0, problems[0].Field,
                string.Join("; ", problems.Select(p => $"{p.Field} {p.Problem}")));
        }
    }

    private static List<(string Field, string Problem)> NullFields(EventOptions options)
    {
        var problems = new List<(string Field, string Problem)>();
        foreach (var (field, value) in new (string, object?)[]
        {
            ("title", options.Title), ("hostRegion", options.HostRegion), ("hardFilters", options.HardFilters),
            ("softPreferences", options.SoftPreferences), ("filters", options.Filters),
            ("hardFilters.allowedIpTypes", options.HardFilters?.AllowedIpTypes), ("hardFilters.sameRegionRequiredFor", options.HardFilters?.SameRegionRequiredFor),
            ("filters.regions", options.Filters?.Regions), ("filters.industries", options.Filters?.Industries),
        })
        {
            if (value is null || (value is IReadOnlyList<string?> list && list.Contains(null)))
            {
                problems.Add((field, value is null ? "must not be null" : "must not hold null"));
            }
        }

        return problems;
    }
}
