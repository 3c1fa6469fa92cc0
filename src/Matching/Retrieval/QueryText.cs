namespace Matching.Retrieval;

/// <summary>The text of a record used as a query: a demand looking for achievements, or the reverse.</summary>
internal sealed record QueryText(string Title, string Body, IReadOnlyList<string> Keywords)
{
    public static QueryText From(Demand d) => new(d.Title, d.Description, d.Keywords);

    public static QueryText From(Achievement a) => new(a.Title, a.Abstract, a.Keywords);

    /// <summary>The whole query as one string (fields kept apart by control characters), for caching.</summary>
    public string Key => string.Join('\u0001', Title, string.Join('\u0002', Keywords), Body);
}
