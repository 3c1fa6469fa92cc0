using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Features;

/// <summary>The in-memory counterpart of <see cref="ProfileStoreUpdate"/>: profiles each record an update writes, on the
/// indexing thread just before Lucene analyses it (so title and body are segmented once for both), and keeps the
/// profiles' parts for the batch's <see cref="FeatureSpace"/>, which otherwise segments every record a second time.</summary>
/// <remarks>Records nothing in the commit. The parts are exactly those <see cref="FeatureSpace.Build(IEnumerable{Achievement}, IEnumerable{Demand})"/>
/// makes from the index's stored records (the same JSON round trip), handed over in ordinal id order.</remarks>
internal sealed class ProfileCollector : IIndexSidecar
{
    private readonly RecordKind _kind;
    private readonly ProfileBuilder _builder = new(new TermDictionary());
    private readonly object _lock = new();
    private readonly (QueryAnalyses Into, MatchingAnalyzer Analyzer, RetrievalOptions Options)? _queries;
    private List<(string Id, ProfileParts Parts)>? _parts = [];

    /// <param name="kind">The side.</param>
    /// <param name="queries">Where to keep each record's analysis as a query (with the analyzer and options the
    /// searchers use), or null.</param>
    public ProfileCollector(RecordKind kind, (QueryAnalyses Into, AnalyzerKind Analyzer, RetrievalOptions Options)? queries = null)
    {
        _kind = kind;
        if (queries is { } q)
        {
            _queries = (q.Into, MatchingAnalyzer.ForIndexing(q.Analyzer), q.Options);
        }
    }

    /// <summary>Where the records' query analyses are kept, or null.</summary>
    public QueryAnalyses? Queries => _queries?.Into;

    public void Written(IndexedRecord record)
    {
        AnalyzedRecord analyzed;
        QueryText query;
        if (_kind == RecordKind.Achievements)
        {
            var achievement = IndexedRecord.ToAchievement(record.SourceJson);
            analyzed = _builder.Analyze(achievement);
            query = QueryText.From(achievement);
        }
        else
        {
            var demand = IndexedRecord.ToDemand(record.SourceJson);
            analyzed = _builder.Analyze(demand);
            query = QueryText.From(demand);
        }

        if (_queries is { } q)
        {
            // Right after the profile, whose segmentations the memo still holds.
            q.Into.Add(query, RecordSearcher.Analyse(q.Analyzer, q.Options, query));
        }

        var parts = ProfileBuilder.Parts(analyzed);
        lock (_lock)
        {
            _parts?.Add((record.Id, parts));
        }
    }

    /// <summary>Every written record's parts in ordinal id order (the order of <c>AllSources</c>), once; null after the
    /// first call.</summary>
    public List<(string Id, ProfileParts Parts)>? Take()
    {
        lock (_lock)
        {
            var parts = _parts;
            _parts = null;
            parts?.Sort((x, y) => string.CompareOrdinal(x.Id, y.Id));
            return parts;
        }
    }

    public string? Prepare(IReadOnlyDictionary<string, string> existing, IReadOnlySet<string> deleted) => null;

    public void Committed()
    {
    }

    public void Dispose()
    {
        // The parts outlive the update: the engine takes them when it first builds its feature space.
        _queries?.Analyzer.Dispose();
    }
}
