using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Engine;

/// <summary>How a <see cref="MatchingEngine"/> stores its indexes and analyses text.</summary>
public sealed class EngineOptions
{
    /// <summary>Folder of the on-disk indexes (<c>achievements/</c> and <c>demands/</c> inside it);
    /// null (the default) keeps both in memory for the life of the engine.</summary>
    public string? IndexPath { get; init; }

    /// <summary>The segmenter; default <see cref="AnalyzerKind.Jieba"/>.</summary>
    public AnalyzerKind Analyzer { get; init; } = AnalyzerKind.Jieba;

    /// <summary>Query construction (field boosts, caps).</summary>
    public RetrievalOptions Retrieval { get; init; } = new();

    /// <summary>The learned reranker; null (the default) ranks by BM25 alone. The shipped one:
    /// <c>RankerModel.Load(RankerModel.DefaultPath)</c>.</summary>
    public Ranking.RankerModel? Ranker { get; init; }

    /// <summary>How BM25 lists get a calibrated strength when there is no <see cref="Ranker"/> (a reranker carries its
    /// own, <see cref="Ranking.RankerMetadata.Strength"/>). The shipped model's is
    /// <c>RankerModel.LoadDefault().Metadata.Bm25Strength</c>. Null (the default): candidates get no probability.</summary>
    public Ranking.StrengthCalibration? Bm25Strength { get; init; }

    /// <summary>Where the engine logs what it did (index updates, model in use). Default: no logging.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    /// <summary>Threads that analyse and index records when an index is built or updated; 0 (the default) uses
    /// every core. Results do not depend on it.</summary>
    public int IndexThreads { get; init; }

    /// <summary>Whether an index update ends by merging each index into one segment: slower to write (the whole
    /// index is rewritten), faster to query (one term lookup per query term instead of one per segment). For a
    /// catalogue built once and queried by large batches. Default false.</summary>
    public bool MergeSegments { get; init; }

    /// <summary>BM25 candidates the reranker reorders per query. Default 100.</summary>
    public int RerankDepth { get; init; } = 100;

    /// <summary>Whether candidates also come from the route by meaning: BM25 top <see cref="RerankDepth"/> ∪ the
    /// <see cref="SemanticDepth"/> nearest records by text vector, fused by reciprocal rank (<see cref="FusionK"/>), so a
    /// query sharing no word with a record can still get it. Default false (see the README's semantic route section
    /// for the measurements behind the default).</summary>
    public bool Semantic { get; init; }

    /// <summary>Nearest neighbours by meaning added per query (M). Default 100.</summary>
    public int SemanticDepth { get; init; } = 100;

    /// <summary>The k of reciprocal-rank fusion. Default 60.</summary>
    public int FusionK { get; init; } = RankFusion.DefaultK;

    /// <summary>The text encoder of the route by meaning; null (the default) trains word vectors on the indexed
    /// records' own texts (kept in <c>semantic/wordvectors.bin</c> of an on-disk index; retrained on rebuild).</summary>
    public ITextEncoder? Encoder { get; init; }

    /// <summary>How the event's word vectors are trained when <see cref="Encoder"/> is null.</summary>
    public WordVectorTrainingOptions WordVectors { get; init; } = new();

    /// <summary>Characters of a record's text that are analysed — indexed, matched and profiled — when it is indexed or
    /// run as a query: the title first, then the keywords, then the abstract (description). Default 1,048,576 (1 Mi),
    /// far above any real record; lower it to bound the work one record can cost. Text past it is not indexed (the index
    /// keeps the record as analysed), whatever a file or a caller put in the record.</summary>
    public int MaxAnalyzedChars { get; init; } = AnalysisBudget.DefaultMaxChars;

    /// <summary>An achievement as the index gets it: its text within <see cref="MaxAnalyzedChars"/>.</summary>
    internal IndexedRecord Indexed(Achievement achievement) => IndexedRecord.From(AnalysisBudget.Fit(achievement, MaxAnalyzedChars));

    /// <summary>A demand as the index gets it: its text within <see cref="MaxAnalyzedChars"/>.</summary>
    internal IndexedRecord Indexed(Demand demand) => IndexedRecord.From(AnalysisBudget.Fit(demand, MaxAnalyzedChars));

    /// <summary>A demand as a query: its text within <see cref="MaxAnalyzedChars"/>.</summary>
    internal Demand Analysed(Demand demand) => AnalysisBudget.Fit(demand, MaxAnalyzedChars);

    /// <summary>An achievement as a query: its text within <see cref="MaxAnalyzedChars"/>.</summary>
    internal Achievement Analysed(Achievement achievement) => AnalysisBudget.Fit(achievement, MaxAnalyzedChars);
}
