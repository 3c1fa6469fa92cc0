namespace Matching.Aggregation;

/// <summary>Pairs that are never recommended, whatever their score.</summary>
public sealed record HardFilters
{
    /// <summary>When both are stated, the achievement's maturity must reach the demand's required maturity. Default true.</summary>
    public bool MaturityAtLeastRequired { get; init; } = true;

    /// <summary>Only achievements whose IP type contains one of these (empty: any; an unstated IP type passes).</summary>
    public IReadOnlyList<string> AllowedIpTypes { get; init; } = [];

    /// <summary>Demand ids that insist on a university in their own province (also: a demand column 限本地/限定地区 = 是).</summary>
    public IReadOnlyList<string> SameRegionRequiredFor { get; init; } = [];
}

/// <summary>Strength bonuses (added to the 0–1 strength, capped at 1) that reorder close calls.</summary>
public sealed record SoftPreferences
{
    /// <summary>Bonus when university and enterprise are in the same province. Default 0.05.</summary>
    public double SameProvince { get; init; } = 0.05;

    /// <summary>Bonus when the university is in the host region. Default 0.</summary>
    public double HostRegion { get; init; }
}

/// <summary>Filters of the university–enterprise pair list.</summary>
public sealed record PairFilters
{
    /// <summary>Keep only demands from these regions (empty: all).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Keep only demands from these industries (empty: all).</summary>
    public IReadOnlyList<string> Industries { get; init; } = [];

    /// <summary>Drop pairs scoring below this. Default 0.5: a pair is listed (and can get a meeting) when its
    /// evidence adds up to at least one coin-flip match.</summary>
    public double MinPairScore { get; init; } = 0.5;
}
