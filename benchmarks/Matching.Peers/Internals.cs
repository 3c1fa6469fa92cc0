using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;
using Matching.Engine;
using Matching.Ingestion;
using Matching.Ranking;

namespace Matching.Peers;

/// <summary>Scores row-major feature rows (the compiled ensemble's batch entry point).</summary>
internal delegate void ScoreRows(ReadOnlySpan<float> rows, int count, Span<float> scores);

/// <summary>Scores one feature row (the compiled ensemble's single-row entry point).</summary>
internal delegate float ScoreRow(ReadOnlySpan<float> features);

/// <summary>
/// The library members this harness measures are internal, and InternalsVisibleTo names Matching.Benchmarks,
/// not this project. Rather than edit the library, the harness reaches them by reflection once, at start-up,
/// and compiles direct delegates, so the timed loops call the same code the engine calls with no reflection
/// in them. Every name used here is checked, so a rename fails loudly instead of measuring something else.
/// </summary>
internal static class Internals
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Assembly Library = typeof(MatchingEngine).Assembly;

    private static Type TypeOf(string name) =>
        Library.GetType(name, throwOnError: false) ?? throw new InvalidOperationException($"Matching has no type {name}; update the peers harness");

    private static MethodInfo MethodOf(Type type, string name, params Type[] parameters) =>
        type.GetMethod(name, Any, parameters) ?? throw new InvalidOperationException($"{type.FullName} has no method {name}; update the peers harness");

    private static PropertyInfo PropertyOf(Type type, string name) =>
        type.GetProperty(name, Any) ?? throw new InvalidOperationException($"{type.FullName} has no property {name}; update the peers harness");

    /// <summary><c>ChineseSegmenter.Shared.Segment(text, SegmentMode.Precise)</c> as a delegate returning the token list.</summary>
    public static Func<string, IList> PreciseSegmenter()
    {
        var segmenterType = TypeOf("Matching.Text.ChineseSegmenter");
        var modeType = TypeOf("Matching.Text.SegmentMode");
        var shared = PropertyOf(segmenterType, "Shared").GetValue(null)!;
        var segment = MethodOf(segmenterType, "Segment", typeof(string), modeType);
        var text = Expression.Parameter(typeof(string), "text");
        var call = Expression.Call(Expression.Constant(shared), segment, text, Expression.Constant(Enum.Parse(modeType, "Precise"), modeType));
        return Expression.Lambda<Func<string, IList>>(Expression.Convert(call, typeof(IList)), text).Compile();
    }

    /// <summary>Start and end offsets of a <c>SegToken</c>.</summary>
    public static Func<object, (int Start, int End)> TokenSpan()
    {
        var tokenType = TypeOf("Matching.Text.SegToken");
        var start = PropertyOf(tokenType, "Start");
        var end = PropertyOf(tokenType, "End");
        return token => ((int)start.GetValue(token)!, (int)end.GetValue(token)!);
    }

    /// <summary>Matching's query analyzer (normalise, jieba precise mode, punctuation and stop words dropped).</summary>
    public static Analyzer QueryAnalyzer()
    {
        var analyzerType = TypeOf("Matching.Text.MatchingAnalyzer");
        var kind = Enum.Parse(typeof(Matching.Text.AnalyzerKind), "Jieba");
        return (Analyzer)MethodOf(analyzerType, "ForQueries", typeof(Matching.Text.AnalyzerKind)).Invoke(null, [kind])!;
    }

    /// <summary>Matching's indexing analyzer (search mode: sub-words stacked on their word), which the engine also
    /// analyses demand texts with.</summary>
    public static Analyzer IndexAnalyzer()
    {
        var analyzerType = TypeOf("Matching.Text.MatchingAnalyzer");
        var kind = Enum.Parse(typeof(Matching.Text.AnalyzerKind), "Jieba");
        return (Analyzer)MethodOf(analyzerType, "ForIndexing", typeof(Matching.Text.AnalyzerKind)).Invoke(null, [kind])!;
    }

    /// <summary><c>MatchingAnalyzer.Terms(text)</c> of an analyzer from <see cref="QueryAnalyzer"/>.</summary>
    public static Func<string, List<string>> Terms(Analyzer analyzer)
    {
        var terms = MethodOf(analyzer.GetType(), "Terms", typeof(string), typeof(string));
        var text = Expression.Parameter(typeof(string), "text");
        var call = Expression.Call(Expression.Constant(analyzer), terms, text, Expression.Constant("text"));
        return Expression.Lambda<Func<string, List<string>>>(call, text).Compile();
    }

    /// <summary>Matching's BM25 with Lucene 8's length encoding.</summary>
    public static Similarity Lucene8Bm25() =>
        (Similarity)Activator.CreateInstance(TypeOf("Matching.Indexing.Lucene8Bm25Similarity"), nonPublic: true)!;

    /// <summary>Achievements streamed one by one with the product's reading rules (<c>RecordReader.StreamAchievements</c>),
    /// so a million rows need not be held at once.</summary>
    public static IEnumerable<Achievement> StreamAchievements(string path)
    {
        var stream = MethodOf(typeof(RecordReader), "StreamAchievements", typeof(string), typeof(ReadOptions),
            typeof(ICollection<InputFormatException>), typeof(ICollection<InputFormatException>), typeof(ICollection<DataQualityWarning>));
        return (IEnumerable<Achievement>)stream.Invoke(null, [path, ReadOptions.Default, new List<InputFormatException>(), null, null])!;
    }

    /// <summary>The engine's own BM25 scorer (<c>TermAtATimeScorer</c>, what <c>RecordSearcher.Search</c> runs) over
    /// one field of <paramref name="searcher"/>'s index, with its default settings.</summary>
    public static EngineScorer EngineScorer(IndexSearcher searcher, Similarity lucene8, string field)
    {
        var scorerType = TypeOf("Matching.Retrieval.TermAtATimeScorer");
        var clauseType = TypeOf("Matching.Retrieval.ScoredClause");
        var settingsType = TypeOf("Matching.Retrieval.ScorerSettings");
        var constructor = scorerType.GetConstructor(Any, [typeof(IndexSearcher), lucene8.GetType(), typeof(string[]), settingsType])
            ?? throw new InvalidOperationException("TermAtATimeScorer has no constructor (IndexSearcher, Lucene8Bm25Similarity, string[], ScorerSettings); update the peers harness");
        var scorer = constructor.Invoke([searcher, lucene8, new[] { field }, null]);

        var listType = typeof(List<>).MakeGenericType(clauseType);
        var readOnlyType = typeof(IReadOnlyList<>).MakeGenericType(clauseType);
        var clauseConstructor = clauseType.GetConstructor([typeof(int), typeof(string), typeof(BytesRef), typeof(float), typeof(TermContext)])
            ?? throw new InvalidOperationException("ScoredClause has no constructor (int, string, BytesRef, float, TermContext); update the peers harness");

        var capacity = Expression.Parameter(typeof(int), "capacity");
        var newList = Expression.Lambda<Func<int, object>>(
            Expression.Convert(Expression.New(listType.GetConstructor([typeof(int)])!, capacity), typeof(object)), capacity).Compile();

        var list = Expression.Parameter(typeof(object), "list");
        var term = Expression.Parameter(typeof(string), "term");
        var bytes = Expression.Parameter(typeof(BytesRef), "bytes");
        var boost = Expression.Parameter(typeof(float), "boost");
        var states = Expression.Parameter(typeof(TermContext), "states");
        var add = Expression.Lambda<Action<object, string, BytesRef, float, TermContext>>(
            Expression.Call(Expression.Convert(list, listType), listType.GetMethod("Add")!,
                Expression.New(clauseConstructor, Expression.Constant(0), term, bytes, boost, states)),
            list, term, bytes, boost, states).Compile();

        var count = Expression.Parameter(typeof(int), "count");
        var top = MethodOf(scorerType, "Top", readOnlyType, typeof(int), typeof(string[]));
        var topCall = Expression.Lambda<Func<object, int, List<ScoreDoc>>>(
            Expression.Call(Expression.Constant(scorer), top, Expression.Convert(list, readOnlyType), count, Expression.Constant(null, typeof(string[]))),
            list, count).Compile();

        var cached = PropertyOf(scorerType, "CachedBytes");
        return new EngineScorer(newList, add, topCall, () => (long)cached.GetValue(scorer)!, (IDisposable)scorer);
    }

    /// <summary>The batch scorer of a loaded ranker (<c>RankerModel.Score</c>, the compiled ensemble).</summary>
    public static ScoreRows BatchScorer(RankerModel model) =>
        MethodOf(typeof(RankerModel), "Score", typeof(ReadOnlySpan<float>), typeof(int), typeof(Span<float>))
            .CreateDelegate<ScoreRows>(model);

    /// <summary>The single-row scorer of a loaded ranker's compiled ensemble.</summary>
    public static ScoreRow RowScorer(RankerModel model)
    {
        var compiled = PropertyOf(typeof(RankerModel), "Compiled").GetValue(model)!;
        return MethodOf(compiled.GetType(), "Score", typeof(ReadOnlySpan<float>)).CreateDelegate<ScoreRow>(compiled);
    }

    /// <summary>Which SIMD kernel the compiled ensemble chose.</summary>
    public static string KernelOf(RankerModel model)
    {
        var compiled = PropertyOf(typeof(RankerModel), "Compiled").GetValue(model)!;
        return PropertyOf(compiled.GetType(), "Kernel").GetValue(compiled)!.ToString()!;
    }

    /// <summary>The feature rows of every judged demand's BM25 top-<c>depth</c> list, exactly as
    /// <c>matching evaluate</c> builds them (<c>RankerWorkflow.Context</c> → <c>RankingDataset.EvaluationGroup</c>).</summary>
    public static List<(string QueryId, float[] Features, int Count)> EvaluationRows(RankingData data)
    {
        var contextType = typeof(RankerWorkflow).GetNestedType("Context", BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("RankerWorkflow has no nested Context; update the peers harness");
        var context = (IDisposable)MethodOf(contextType, "Create", typeof(RankingData)).Invoke(null, [data])!;
        try
        {
            var dataset = PropertyOf(contextType, "Dataset").GetValue(context)!;
            var demands = (IEnumerable<Demand>)MethodOf(contextType, "TrainableDemands").Invoke(context, null)!;
            var evaluationGroup = MethodOf(dataset.GetType(), "EvaluationGroup", typeof(Demand), typeof(bool));
            var groups = new List<(string, float[], int)>();
            foreach (var demand in demands)
            {
                var group = evaluationGroup.Invoke(dataset, [demand, false])!;
                var features = (float[])PropertyOf(group.GetType(), "Features").GetValue(group)!;
                var count = (int)PropertyOf(group.GetType(), "Count").GetValue(group)!;
                groups.Add((demand.Id, features, count));
            }

            return groups;
        }
        finally
        {
            context.Dispose();
        }
    }
}

/// <summary>Delegates into one <c>TermAtATimeScorer</c>: a new clause list, adding a term clause (field 0) to it, and
/// the top hits of a list (ties by document number, as Lucene's collector breaks them).</summary>
internal sealed class EngineScorer(
    Func<int, object> newList, Action<object, string, BytesRef, float, TermContext> add, Func<object, int, List<ScoreDoc>> top,
    Func<long> cachedBytes, IDisposable scorer) : IDisposable
{
    public object NewClauses(int capacity) => newList(capacity);

    public void Add(object clauses, string term, BytesRef bytes, float boost, TermContext states) => add(clauses, term, bytes, boost, states);

    public List<ScoreDoc> Top(object clauses, int count) => top(clauses, count);

    /// <summary>Memory held by the scorer's kept postings lists.</summary>
    public long CachedBytes => cachedBytes();

    public void Dispose() => scorer.Dispose();
}
