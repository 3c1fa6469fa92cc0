using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Matching.Indexing;
using Matching.Text;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Matching.Retrieval;

/// <summary>Fielded BM25 search over one index (achievements or demands). Thread-safe for concurrent queries.</summary>
internal sealed class RecordSearcher : IDisposable
{
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly TermAtATimeScorer _scorer;
    private readonly MatchingAnalyzer _analyzer;
    private readonly RetrievalOptions _options;
    private readonly Dictionary<string, float> _fieldBoosts;
    private const int RecentTermsLimit = 8_192;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<(string Term, float Weight)>> _recentTerms = new(StringComparer.Ordinal);
    private int _recentTermsCount;
    private readonly string?[] _ids;
    private readonly Dictionary<string, int> _docById;

    /// <summary>Terms whose states are kept at most (≈ 0.2 KB each); the cache is emptied when full.</summary>
    private const int TermStatesLimit = 262_144;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TermState> _termStates = new(StringComparer.Ordinal);

    /// <summary>Entries added to <see cref="_termStates"/> since it was last emptied: <c>ConcurrentDictionary.Count</c>
    /// takes every lock of the table, and two query threads asking it for every new term queued on each other.</summary>
    private int _termStatesCount;

    /// <summary>A query term's looked-up states per text field, its largest document frequency and its corpus weight
    /// (<see cref="TermWeight"/>).</summary>
    private sealed record TermState(TermContext[] Fields, int DocFreq, float Weight);

    /// <summary>Opens the latest commit of an index for searching.</summary>
    /// <remarks>With <paramref name="verifyChecksums"/> every file of an on-disk index is checked against its checksum
    /// (a sequential read of the index), so damage is reported when opening instead of crashing or misranking later.
    /// Callers that reopen an index they have just verified and written may skip it.</remarks>
    /// <exception cref="IndexMismatchException">The index is missing, damaged (with Lucene CheckIndex's verdict), or
    /// from another format or analyzer.</exception>
    public RecordSearcher(LuceneDirectory directory, RecordKind kind, AnalyzerKind analyzerKind, RetrievalOptions? options = null,
        bool verifyChecksums = true, ScorerSettings? scoring = null)
    {
        _options = options ?? new RetrievalOptions();
        _options.Validate();
        if (!DirectoryReader.IndexExists(directory))
        {
            throw new IndexMismatchException($"there is no {kind} index here yet; build it with `matching index`.");
        }

        IndexIdentity.Check(directory, kind, MatchingAnalyzer.VersionOf(analyzerKind));
        Kind = kind;
        _reader = IndexIntegrity.Open(directory, kind, verifyChecksums);
        try
        {
            _ids = IndexIntegrity.Read(directory, kind, () => ReadIds(_reader));
        }
        catch
        {
            _reader.Dispose();
            throw;
        }

        var similarity = new Lucene8Bm25Similarity();
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
        _scorer = new TermAtATimeScorer(_searcher, similarity, IndexSchema.TextFields, scoring);
        _docById = new Dictionary<string, int>(_ids.Length, StringComparer.Ordinal);
        for (var doc = 0; doc < _ids.Length; doc++)
        {
            if (_ids[doc] is { } id)
            {
                _docById[id] = doc;
            }
        }
        _analyzer = MatchingAnalyzer.ForIndexing(analyzerKind);
        _fieldBoosts = new Dictionary<string, float>
        {
            [IndexSchema.Title] = _options.TitleBoost,
            [IndexSchema.Keywords] = _options.KeywordsBoost,
            [IndexSchema.Body] = _options.BodyBoost,
        };
    }

    public RecordKind Kind { get; }

    /// <summary>The user data of the commit this searcher reads.</summary>
    internal IDictionary<string, string> CommitData => _reader.IndexCommit.UserData;

    /// <summary>The index of the other side (demands for achievements, and the reverse), whose document frequencies
    /// join this one's in <see cref="GenericWords.CorpusWeight"/>; null: only the curated list and bare numbers count.</summary>
    /// <remarks>Set once, right after both searchers are opened and before the first query.</remarks>
    internal RecordSearcher? Counterpart { get; set; }

    /// <summary>How many records hold <paramref name="term"/> in some text field: the largest field df, so a record
    /// holding it in several fields counts once (deleted records count until merged away, as in BM25's idf).</summary>
    internal int DocFreq(string term)
    {
        var bytes = new BytesRef(term);
        var df = 0;
        foreach (var field in IndexSchema.TextFields)
        {
            df = Math.Max(df, _reader.DocFreq(new Term(field, bytes)));
        }

        return df;
    }

    /// <summary>How much <paramref name="term"/> counts as evidence of a match in this corpus, in [0, 1]:
    /// <see cref="GenericWords.CorpusWeight"/> over this index and its counterpart (1 without a counterpart).</summary>
    /// <param name="term">An analysed term.</param>
    internal float TermWeight(string term)
    {
        TermsEnum?[,]? enums = null;
        return Lookup(term, ref enums).Weight;
    }

    /// <summary>The corpus weight of a term whose document frequency here is <paramref name="own"/>.</summary>
    private float CorpusWeight(string term, int own)
    {
        if (Counterpart is not { } other)
        {
            return 1f;
        }

        return Kind == RecordKind.Achievements
            ? GenericWords.CorpusWeight(own, Count, other.DocFreq(term), other.Count)
            : GenericWords.CorpusWeight(other.DocFreq(term), other.Count, own, Count);
    }

    public int Count => _reader.NumDocs;

    /// <summary>Deleted documents still counted in term statistics (until merged away).</summary>
    public int DeletedCount => _reader.NumDeletedDocs;

    /// <summary>The top <paramref name="topN"/> records for the query, ties broken by id so runs are reproducible.
    /// Matched terms are looked up only when asked (they cost a term-vector read per hit).</summary>
    public IReadOnlyList<Candidate> Search(QueryText query, int topN, string? excludeId = null, bool withMatchedTerms = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        var prepared = PreparedTerms(query);
        if (prepared.Count == 0)
        {
            return [];
        }

        var terms = Shown(prepared);
        if (!withMatchedTerms)
        {
            // A batch ranks first and looks up matched terms for the few it keeps: spare it a second analysis.
            Remember(query, terms);
        }

        var clauses = Clauses(prepared);
        if (clauses.Count == 0)
        {
            return [];
        }

        if (_options.Feedback)
        {
            clauses = Clauses(Expanded(prepared, clauses, excludeId));
        }

        // Ties at the cut are resolved by id inside the scorer, however many there are; one more when a record may be excluded.
        var hits = _scorer.Top(clauses, excludeId is null ? topN : topN + 1, _ids);
        var ranked = hits
            .Select(hit => (Hit: hit, Id: _ids[hit.Doc]!))
            .Where(x => x.Id != excludeId)
            .OrderByDescending(x => x.Hit.Score)
            .ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(topN)
            .ToList();

        var candidates = new List<Candidate>(ranked.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var (hit, id) = ranked[i];
            candidates.Add(new Candidate(id, i + 1, hit.Score, withMatchedTerms ? MatchedTerms(hit.Doc, terms) : []));
        }

        return candidates;
    }

    /// <summary>The clauses of a query: each term in each text field it occurs in, boosted by field and term weight.</summary>
    private List<ScoredClause> Clauses(List<PreparedTerm> prepared)
    {
        var clauses = new List<ScoredClause>(prepared.Count * IndexSchema.TextFields.Length);
        foreach (var (term, weight, fields, _, _) in prepared)
        {
            var bytes = new BytesRef(term);
            for (var f = 0; f < IndexSchema.TextFields.Length; f++)
            {
                var boost = _fieldBoosts[IndexSchema.TextFields[f]] * weight;
                if (boost > 0 && fields[f].DocFreq > 0)
                {
                    clauses.Add(new ScoredClause(f, term, bytes, boost, fields[f]));
                }
            }
        }

        return clauses;
    }

    /// <summary>A term held by more than this share of the records gives no feedback (the commonest words are what
    /// feedback must not add). Anserini's 0.1 suits long English documents; on BQ's short questions the words that
    /// bridge paraphrases (借款, 贷款) are common, and 0.3 gave recall@100 0.5507 against 0.5447 (0.02: 0.5165),
    /// benchmarks/notes/rm3.md.</summary>
    internal const double FeedbackMaxDocShare = 0.3;

    /// <summary>The shortest feedback term (Anserini's too): a single character (钱, 还, 号) says little about a topic.
    /// Measured against 1: BQ recall@100 0.5562 vs 0.5501, AFQMC 0.3428 vs 0.3375, CSL dev title MRR@10 0.9480 vs
    /// 0.9472 (benchmarks/notes/rm3.md).</summary>
    internal const int FeedbackMinLength = 2;

    /// <summary>The query expanded by RM3: the relevance model of the first retrieval's best records, interpolated
    /// with the query's own term distribution.</summary>
    /// <remarks>
    /// <para>RM1 estimates P(w | R) ∝ Σ_D P(w | D) · P(D | Q) over the top <see cref="RetrievalOptions.FeedbackDocs"/>
    /// records: P(w | D) is the term's share of the record's (filtered) term occurrences over its text fields, and
    /// P(D | Q) the record's BM25 score over the feedback records' total, as Anserini weighs them. The strongest
    /// <see cref="RetrievalOptions.FeedbackTerms"/> terms are kept, the model scaled to sum 1 and mixed with the
    /// query's weights (also scaled to sum 1): α·q(w) + (1 − α)·P(w | R). The query's terms keep their caps and
    /// generic-word weights; a feedback term is weighed by its own generic weight too, and a single character, a bare
    /// number, a curated generic word or a term in more than <see cref="FeedbackMaxDocShare"/> of the records is never
    /// one.</para>
    /// <para>Deterministic: the first retrieval breaks ties by id, and terms of equal weight are taken in ordinal
    /// order.</para>
    /// </remarks>
    private List<PreparedTerm> Expanded(List<PreparedTerm> prepared, List<ScoredClause> clauses, string? excludeId)
    {
        var fbDocs = _options.FeedbackDocs;
        var first = _scorer.Top(clauses, excludeId is null ? fbDocs : fbDocs + 1, _ids)
            .Where(hit => _ids[hit.Doc] != excludeId)
            .Take(fbDocs)
            .ToList();
        var totalScore = first.Sum(hit => (double)hit.Score);
        if (first.Count == 0 || totalScore <= 0)
        {
            return prepared;
        }

        var docCount = Math.Max(1, _reader.NumDocs);
        var maxDf = FeedbackMaxDocShare * docCount;
        var model = new Dictionary<string, double>(StringComparer.Ordinal);
        var usable = new Dictionary<string, bool>(StringComparer.Ordinal);
        TermsEnum?[,]? enums = null;
        foreach (var hit in first)
        {
            var counts = FeedbackCounts(hit.Doc, usable, maxDf, ref enums);
            var length = counts.Values.Sum();
            if (length == 0)
            {
                continue;
            }

            var docWeight = hit.Score / totalScore;
            foreach (var (term, tf) in counts)
            {
                model[term] = model.GetValueOrDefault(term) + ((double)tf / length * docWeight);
            }
        }

        var kept = model
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(_options.FeedbackTerms)
            .ToList();
        var modelTotal = kept.Sum(kv => kv.Value);
        var queryTotal = prepared.Sum(p => (double)p.Weight);
        if (modelTotal <= 0 || queryTotal <= 0)
        {
            return prepared;
        }

        var alpha = (double)_options.OriginalQueryWeight;
        var fromModel = kept.ToDictionary(kv => kv.Key, kv => (1 - alpha) * kv.Value / modelTotal, StringComparer.Ordinal);
        var expanded = new List<PreparedTerm>(prepared.Count + kept.Count);
        foreach (var p in prepared)
        {
            var weight = (alpha * p.Weight / queryTotal) + (fromModel.Remove(p.Term, out var added) ? added * TermWeight(p.Term) : 0);
            expanded.Add(p with { Weight = (float)weight });
        }

        foreach (var (term, _) in kept)
        {
            if (fromModel.TryGetValue(term, out var weight))
            {
                var (fields, _, corpusWeight) = Lookup(term, ref enums);
                expanded.Add(new PreparedTerm(term, (float)(weight * corpusWeight), fields, 0f, Shown: false));
            }
        }

        return [.. expanded.Where(p => p.Weight > 0)];
    }

    /// <summary>A feedback record's usable terms and their occurrences over its text fields (from its term vectors).</summary>
    private Dictionary<string, long> FeedbackCounts(int doc, Dictionary<string, bool> usable, double maxDf, ref TermsEnum?[,]? enums)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_reader.GetTermVectors(doc) is not { } vectors)
        {
            return counts;
        }

        foreach (var field in IndexSchema.TextFields)
        {
            if (vectors.GetTerms(field) is not { } terms)
            {
                continue;
            }

            var termsEnum = terms.GetEnumerator();
            while (termsEnum.MoveNext())
            {
                var term = termsEnum.Term.Utf8ToString();
                if (!usable.TryGetValue(term, out var ok))
                {
                    ok = term.Length >= FeedbackMinLength && !GenericWords.IsBareNumber(term) && !GenericWords.IsCurated(term)
                        && Lookup(term, ref enums).DocFreq <= maxDf;
                    usable[term] = ok;
                }

                if (ok)
                {
                    counts[term] = counts.GetValueOrDefault(term) + termsEnum.TotalTermFreq;
                }
            }
        }

        return counts;
    }

    /// <summary>The same top hits through Lucene's own <see cref="BooleanQuery"/> of <see cref="TermQuery"/> clauses:
    /// the reference <see cref="TermAtATimeScorer"/> is checked against.</summary>
    internal ScoreDoc[] LuceneTop(QueryText query, int count)
    {
        var booleanQuery = new BooleanQuery(disableCoord: true);
        foreach (var clause in Clauses(PreparedTerms(query)))
        {
            booleanQuery.Add(new TermQuery(new Term(IndexSchema.TextFields[clause.Field], clause.Term), clause.States) { Boost = clause.Boost }, Occur.SHOULD);
        }

        return booleanQuery.Clauses.Count == 0 ? [] : _searcher.Search(booleanQuery, count).ScoreDocs;
    }

    /// <summary>Memory held by the scorer's kept postings lists, in bytes.</summary>
    internal long CachedPostingsBytes => _scorer.CachedBytes;

    internal long CountPostings(QueryText query, bool freqs) => _scorer.CountPostings(Clauses(PreparedTerms(query)), freqs);

    /// <summary>The top hits of the term-at-a-time scorer, for comparison with <see cref="LuceneTop"/>.</summary>
    internal List<ScoreDoc> FastTop(QueryText query, int count)
    {
        var clauses = Clauses(PreparedTerms(query));
        return clauses.Count == 0 ? [] : _scorer.Top(clauses, count);
    }

    /// <summary>Re-ranked candidates with the query terms each contains (the list keeps its order and scores).</summary>
    /// <param name="query">The query the candidates answer.</param>
    /// <param name="candidates">The list, in its order.</param>
    /// <param name="lookup">Where a record's indexed terms are known without the index — the feature profiles hold
    /// the same terms as its term vectors — those terms (null: read its term vectors). A term-vector read
    /// decompresses a block and seeks every query term per field: it was most of a large batch's time, for lists
    /// that already sit in memory as sorted term ids.</param>
    public IReadOnlyList<Candidate> WithMatchedTerms(QueryText query, IReadOnlyList<Candidate> candidates, ITermLookup? lookup = null)
    {
        List<(string Term, float Weight)> terms;
        if (_recentTerms.TryRemove(query.Key, out var remembered))
        {
            Interlocked.Decrement(ref _recentTermsCount);
            terms = remembered;
        }
        else
        {
            terms = Shown(PreparedTerms(query));
        }

        var ids = lookup is null ? null : terms.Select(t => lookup.Id(t.Term)).ToArray();
        return [.. candidates.Select(c => c with
        {
            MatchedTerms = lookup?.TermsOf(c.Id) is { } has
                ? MatchedTerms(i => ids![i] >= 0 && Array.BinarySearch(has, ids[i]) >= 0, terms)
                : _docById.TryGetValue(c.Id, out var doc) ? MatchedTerms(doc, terms) : [],
        })];
    }

    /// <summary>Keeps a ranked query's terms for its matched-terms lookup (taken once; the store is emptied when
    /// it reaches its bound, so queries nobody looks up again cannot pile up).</summary>
    private void Remember(QueryText query, List<(string Term, float Weight)> terms)
    {
        if (Volatile.Read(ref _recentTermsCount) >= RecentTermsLimit)
        {
            Volatile.Write(ref _recentTermsCount, 0);
            _recentTerms.Clear();
        }

        if (_recentTerms.TryAdd(query.Key, terms))
        {
            Interlocked.Increment(ref _recentTermsCount);
        }
        else
        {
            _recentTerms[query.Key] = terms;
        }
    }

    /// <summary>The stored record (as JSON) of an id, or null when the index does not hold it.</summary>
    public string? SourceOf(string id) =>
        _docById.TryGetValue(id, out var doc) ? _reader.Document(doc).Get(IndexSchema.Source) : null;

    /// <summary>All stored records as JSON, in id order.</summary>
    public IEnumerable<string> AllSources()
    {
        var docs = Enumerable.Range(0, _ids.Length).Where(doc => _ids[doc] is not null).OrderBy(doc => _ids[doc], StringComparer.Ordinal).ToList();
        foreach (var doc in docs)
        {
            yield return _reader.Document(doc).Get(IndexSchema.Source);
        }
    }

    /// <summary>Every record's id and content hash (<see cref="Indexing.IndexedRecord.HashOf"/> of its source, as
    /// indexed), in id order: what tells whether vectors kept beside the index are still the records', without reading
    /// or parsing any record.</summary>
    public List<(string Id, string Hash)> AllHashes()
    {
        var fields = new HashSet<string> { IndexSchema.Hash };
        // Stored-field reads decompress a block each: on every core (the reader is thread-safe), kept in id order.
        return [.. Enumerable.Range(0, _ids.Length).Where(doc => _ids[doc] is not null).OrderBy(doc => _ids[doc], StringComparer.Ordinal)
            .AsParallel().AsOrdered().Select(doc => (_ids[doc]!, _reader.Document(doc, fields).Get(IndexSchema.Hash)))];
    }

    /// <summary>The id of every live document, by doc number (null for deleted ones): hits need no stored-field read.</summary>
    /// <remarks>Walks the id field's terms and their postings (ids are indexed untokenised, one term a record):
    /// a sequential read of the terms dictionary instead of one stored-document lookup per record (1M records:
    /// about 1 s instead of 22 s).</remarks>
    private static string?[] ReadIds(DirectoryReader reader)
    {
        var ids = new string?[reader.MaxDoc];
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            var terms = segment.GetTerms(IndexSchema.Id);
            if (terms is null)
            {
                continue;
            }

            var live = segment.LiveDocs;
            var termsEnum = terms.GetEnumerator();
            DocsEnum? docs = null;
            while (termsEnum.MoveNext())
            {
                var id = termsEnum.Term.Utf8ToString();
                docs = termsEnum.Docs(live, docs, DocsFlags.NONE);
                int doc;
                while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS)
                {
                    ids[leaf.DocBase + doc] = id;
                }
            }
        }

        return ids;
    }

    /// <summary>Analysed query terms with their weights, highest weight × idf first, capped.</summary>
    internal List<(string Term, float Weight)> WeightedTerms(QueryText query) =>
        [.. PreparedTerms(query).Select(p => (p.Term, p.Weight))];

    /// <summary>The query's terms that may show as matched terms (not generic in this corpus), most telling first
    /// (weight × idf).</summary>
    internal List<string> ShownTerms(QueryText query) => [.. PreparedTerms(query).Where(p => p.Shown).Select(p => p.Term)];

    /// <summary>The terms a matched-terms list may show, with their analysis weight (1 a word, less a sub-word):
    /// those whose generic weight is at least <see cref="GenericWords.ShownWeight"/>.</summary>
    private static List<(string Term, float Weight)> Shown(List<PreparedTerm> prepared) =>
        [.. prepared.Where(p => p.Shown).Select(p => (p.Term, p.AnalysisWeight))];

    /// <summary>A query term: its weight (analysis weight × generic weight), looked-up states per field, its weight
    /// from analysis alone, and whether it may be shown as a matched term.</summary>
    private readonly record struct PreparedTerm(string Term, float Weight, TermContext[] Fields, float AnalysisWeight, bool Shown);

    /// <summary>Analysed query terms with their weights and, per text field, their looked-up term states (one
    /// terms-dictionary seek per term, field and segment, reused for the idf and by the query), highest
    /// weight × idf first, capped.</summary>
    private List<PreparedTerm> PreparedTerms(QueryText query)
    {
        IReadOnlyList<(string Term, float Weight)> analysed = QueryAnalyses?.Take(query) ?? (IReadOnlyList<(string Term, float Weight)>)Analyse(_analyzer, _options, query);
        var docCount = Math.Max(1, _reader.NumDocs);
        TermsEnum?[,]? enums = null;
        return analysed
            .Select((kv, order) =>
            {
                var (fields, df, termWeight) = Lookup(kv.Term, ref enums);
                var corpusWeight = kv.Weight > 0 ? termWeight : 0f;
                var weight = kv.Weight * corpusWeight;
                return (Term: kv.Term, Weight: weight, Fields: fields, Rank: weight * Idf(df, docCount), Analysis: kv.Weight,
                    Shown: corpusWeight >= GenericWords.ShownWeight && !GenericWords.IsCurated(kv.Term), Order: order);
            })
            .Where(x => x.Weight > 0)
            .OrderByDescending(x => x.Rank)
            .ThenBy(x => x.Order)
            .Take(_options.MaxQueryTerms)
            .Select(x => new PreparedTerm(x.Term, x.Weight, x.Fields, x.Analysis, x.Shown))
            .ToList();
    }

    /// <summary>Analyses made ahead for queries this searcher will be asked (the other side's records, analysed while
    /// they were indexed); null: every query is analysed when it comes.</summary>
    /// <remarks>Set once, before the first query.</remarks>
    internal QueryAnalyses? QueryAnalyses { get; set; }

    /// <summary>A query's analysed terms with their summed analysis weights, in the order they first occur (title,
    /// keywords, body): what <see cref="PreparedTerms"/> weighs against an index.</summary>
    internal static List<(string Term, float Weight)> Analyse(MatchingAnalyzer analyzer, RetrievalOptions options, QueryText query)
    {
        var terms = new List<(string Term, float Weight)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        AddTerms(analyzer, options, query.Title, terms, index, chosen: true);
        AddTerms(analyzer, options, string.Join("；", query.Keywords), terms, index, chosen: true);
        AddTerms(analyzer, options, query.Body, terms, index, chosen: false);
        return terms;
    }

    /// <summary>A term's looked-up states per text field and its largest document frequency, cached for the reader's
    /// life (the reader never changes; a state is only read by the scorer's seeks, so threads share it). Query terms
    /// repeat from query to query — a batch of 20,000 long queries looks up a few hundred thousand distinct terms
    /// millions of times — and each lookup is a terms-dictionary seek per field and segment.</summary>
    /// <remarks>The term's corpus weight is kept with them: it needs the counterpart's document frequency, a seek
    /// per field and segment there with a fresh terms enumerator each (it had a cache of its own, a quarter of this
    /// one's size, which a batch of long queries emptied again and again).</remarks>
    private TermState Lookup(string term, ref TermsEnum?[,]? enums)
    {
        if (_termStates.TryGetValue(term, out var known))
        {
            return known;
        }

        var leaves = _reader.Leaves;
        if (enums is null)
        {
            // One terms enumerator per segment and field for the whole query (what TermContext.Build does per term,
            // minus creating an enumerator each time: on a 10-segment index that was most of a query's lookup cost).
            enums = new TermsEnum?[leaves.Count, IndexSchema.TextFields.Length];
            for (var l = 0; l < leaves.Count; l++)
            {
                for (var f = 0; f < IndexSchema.TextFields.Length; f++)
                {
                    enums[l, f] = leaves[l].AtomicReader.GetTerms(IndexSchema.TextFields[f])?.GetEnumerator();
                }
            }
        }

        var fields = new TermContext[IndexSchema.TextFields.Length];
        var bytes = new BytesRef(term);
        var df = 0;
        for (var f = 0; f < fields.Length; f++)
        {
            fields[f] = new TermContext(_reader.Context);
            for (var l = 0; l < leaves.Count; l++)
            {
                if (enums[l, f] is { } termsEnum && termsEnum.SeekExact(bytes))
                {
                    fields[f].Register(termsEnum.GetTermState(), leaves[l].Ord, termsEnum.DocFreq, termsEnum.TotalTermFreq);
                }
            }

            df = Math.Max(df, fields[f].DocFreq);
        }

        var state = new TermState(fields, df, CorpusWeight(term, df));
        if (Volatile.Read(ref _termStatesCount) >= TermStatesLimit)
        {
            Volatile.Write(ref _termStatesCount, 0);
            _termStates.Clear();
        }

        if (_termStates.TryAdd(term, state))
        {
            Interlocked.Increment(ref _termStatesCount);
        }

        return state;
    }

    /// <summary>Adds a text's terms: 1 a word, <see cref="RetrievalOptions.SubwordWeight"/> a sub-word, times
    /// <see cref="GenericWords.CuratedTitleWeight"/> (<paramref name="chosen"/>: title, keywords) or 0 (a description)
    /// for a curated generic word; bare numbers are left out.</summary>
    private static void AddTerms(MatchingAnalyzer analyzer, RetrievalOptions options, string text, List<(string Term, float Weight)> terms,
        Dictionary<string, int> index, bool chosen)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        using var stream = analyzer.GetTokenStream(IndexSchema.Body, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var value = term.ToString();
            if (GenericWords.IsBareNumber(value))
            {
                continue;
            }

            // A quantity (1000次) is stacked on its number like a sub-word, but weighs as a word.
            var weight = increment.PositionIncrement == 0 && !ChineseSegmenter.IsQuantity(value) ? options.SubwordWeight : 1f;
            if (GenericWords.IsCurated(value))
            {
                weight *= chosen ? GenericWords.CuratedTitleWeight : 0f;
            }

            if (index.TryGetValue(value, out var i))
            {
                terms[i] = (terms[i].Term, terms[i].Weight + weight);
            }
            else
            {
                index.Add(value, terms.Count);
                // 0 + weight, as the sum started from 0 (−0 stays +0).
                terms.Add((value, 0f + weight));
            }
        }

        stream.End();
    }

    private static float Idf(int df, int docCount) => (float)Math.Log(1 + ((docCount - df + 0.5) / (df + 0.5)));

    private List<string> MatchedTerms(int doc, List<(string Term, float Weight)> terms)
    {
        var vectors = _reader.GetTermVectors(doc);
        if (vectors is null)
        {
            return [];
        }

        var enums = new List<TermsEnum>();
        foreach (var field in IndexSchema.TextFields)
        {
            var fieldTerms = vectors.GetTerms(field);
            if (fieldTerms is not null)
            {
                enums.Add(fieldTerms.GetEnumerator());
            }
        }

        return MatchedTerms(i =>
        {
            var bytes = new BytesRef(terms[i].Term);
            return enums.Any(e => e.SeekExact(bytes));
        }, terms);
    }

    /// <summary>The shown query terms a record has (<paramref name="has"/> of a term's index), best first, at most 12.</summary>
    private static List<string> MatchedTerms(Func<int, bool> has, List<(string Term, float Weight)> terms)
    {
        var matched = new List<string>();
        for (var i = 0; i < terms.Count; i++)
        {
            var (term, weight) = terms[i];
            // Sub-words only count when their whole word did not: 锂离子电池 rather than 锂离子电池, 离子, 电池.
            if (weight < 1f && matched.Any(m => m.Contains(term, StringComparison.Ordinal)))
            {
                continue;
            }

            if (has(i))
            {
                matched.Add(term);
                if (matched.Count == 12)
                {
                    break;
                }
            }
        }

        return matched;
    }

    public void Dispose()
    {
        _scorer.Dispose();
        _reader.Dispose();
        _analyzer.Dispose();
    }
}

/// <summary>The terms of indexed records, known without reading the index (the feature profiles).</summary>
internal interface ITermLookup
{
    /// <summary>A term's id, or −1 when no record has it.</summary>
    int Id(string term);

    /// <summary>A record's distinct term ids, sorted, or null when the lookup does not hold the record.</summary>
    int[]? TermsOf(string recordId);
}
