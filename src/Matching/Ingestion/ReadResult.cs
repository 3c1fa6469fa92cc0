namespace Matching.Ingestion;

/// <summary>The records read from one input file, and the rows dropped on the way.</summary>
/// <param name="Records">The valid records, in file order.</param>
/// <param name="Problems">The rows dropped because <see cref="ReadOptions.OnBadRow"/> was <see cref="BadRowPolicy.Skip"/>,
/// in file order; always empty under <see cref="BadRowPolicy.Fail"/>.</param>
/// <typeparam name="T"><see cref="Achievement"/> or <see cref="Demand"/>.</typeparam>
public sealed record ReadResult<T>(IReadOnlyList<T> Records, IReadOnlyList<InputFormatException> Problems)
{
    /// <summary>The fields cut to <see cref="ReadOptions.MaxFieldBytes"/> because <see cref="ReadOptions.TruncateLongFields"/>
    /// was set, one per field, in file order, each naming file, line and field; empty otherwise.</summary>
    public IReadOnlyList<InputFormatException> Warnings { get; init; } = [];

    /// <summary>Records accepted with a data-quality problem (no title, no abstract or description, no organisation, the
    /// same text as an earlier record), in file order, each naming file, line and field; empty when there is none.</summary>
    public IReadOnlyList<DataQualityWarning> DataQuality { get; init; } = [];
}
