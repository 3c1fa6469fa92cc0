namespace Matching.Ingestion;

/// <summary>The records read from one input file, and the rows dropped on the way.</summary>
/// <param name="Records">The valid records, in file order.</param>
/// <param name="Problems">The rows dropped because <see cref="ReadOptions.OnBadRow"/> was <see cref="BadRowPolicy.Skip"/>,
/// in file order; always empty under <see cref="BadRowPolicy.Fail"/>.</param>
/// <typeparam name="T"><see cref="Achievement"/> or <see cref="Demand"/>.</typeparam>
public sealed record ReadResult<T>(IReadOnlyList<T> Records, IReadOnlyList<InputFormatException> Problems);
