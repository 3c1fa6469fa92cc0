namespace Matching;

/// <summary>An enterprise's technical demand (技术需求).</summary>
/// <remarks>Every text field defaults to the empty string, never null; a record needs an id and at least one of
/// <see cref="Title"/>, <see cref="Description"/> or <see cref="Keywords"/>.</remarks>
public sealed record Demand
{
    /// <summary>The demand's id (需求编号), unique within its input file.</summary>
    public required string Id { get; init; }

    /// <summary>The title (需求名称).</summary>
    public string Title { get; init; } = "";

    /// <summary>The problem statement (需求描述).</summary>
    public string Description { get; init; } = "";

    /// <summary>Keywords (关键词), already split.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The enterprise stating the demand (需求单位).</summary>
    public string Organization { get; init; } = "";

    /// <summary>The enterprise's industry (行业).</summary>
    public string Industry { get; init; } = "";

    /// <summary>The region or province (地区).</summary>
    public string Region { get; init; } = "";

    /// <summary>The budget as written in the input (预算), e.g. 50万元.</summary>
    public string Budget { get; init; } = "";

    /// <summary>The maturity the enterprise requires (成熟度要求), as written in the input.</summary>
    public string RequiredMaturity { get; init; } = "";

    /// <summary>Input columns Matching does not know, by their original header, kept rather than dropped.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = EmptyExtra.Instance;
}
