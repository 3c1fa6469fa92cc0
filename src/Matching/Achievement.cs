namespace Matching;

/// <summary>A university research achievement (科技成果) offered at an event.</summary>
/// <remarks>Every text field defaults to the empty string, never null; a record needs an id and at least one of
/// <see cref="Title"/>, <see cref="Abstract"/> or <see cref="Keywords"/>.</remarks>
public sealed record Achievement
{
    /// <summary>The achievement's id (成果编号), unique within its input file.</summary>
    public required string Id { get; init; }

    /// <summary>The title (成果名称).</summary>
    public string Title { get; init; } = "";

    /// <summary>The abstract (成果简介).</summary>
    public string Abstract { get; init; } = "";

    /// <summary>Author keywords (关键词), already split.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The owning organisation, usually a university (完成单位).</summary>
    public string Organization { get; init; } = "";

    /// <summary>The technical field or discipline (技术领域).</summary>
    public string Field { get; init; } = "";

    /// <summary>The region or province (地区).</summary>
    public string Region { get; init; } = "";

    /// <summary>The technology maturity as written in the input (成熟度), e.g. 中试 or TRL 6.</summary>
    public string Maturity { get; init; } = "";

    /// <summary>The kind of intellectual property (知识产权), e.g. 发明专利.</summary>
    public string IpType { get; init; } = "";

    /// <summary>Input columns Matching does not know, by their original header, kept rather than dropped.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = EmptyExtra.Instance;
}

internal static class EmptyExtra
{
    public static readonly IReadOnlyDictionary<string, string> Instance = new Dictionary<string, string>();
}
