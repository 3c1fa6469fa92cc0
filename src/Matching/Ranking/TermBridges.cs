using System.Numerics.Tensors;
using Matching.Text;

namespace Matching.Ranking;

/// <summary>A demand word the achievement does not contain, with the achievement's words closest to it in meaning
/// (by word-vector cosine): the bridge an explanation shows next to the matched terms (死鱼 ↔ 溶解氧, 增氧).</summary>
/// <param name="DemandTerm">The demand's word.</param>
/// <param name="AchievementTerms">The achievement's words nearest to it, nearest first.</param>
public sealed record TermBridge(string DemandTerm, IReadOnlyList<string> AchievementTerms)
{
    /// <summary>The bridge as text: <c>死鱼 ↔ 溶解氧, 增氧</c>.</summary>
    public override string ToString() => $"{DemandTerm} ↔ {string.Join(", ", AchievementTerms)}";
}

/// <summary>Finds the bridges of a pair from word vectors.</summary>
/// <remarks>Only words with a vector of their own count (a word seen in training): an unseen word's vector is its
/// character n-grams alone, which makes any two words sharing a character look alike. Deterministic: words are
/// compared in a fixed order and ties go to the earlier demand word and the ordinally smaller achievement word.</remarks>
internal static class TermBridges
{
    /// <summary>The smallest cosine that makes a bridge. Event-trained skip-gram vectors put unrelated content words
    /// around 0–0.3 and words of one topic (死鱼, 溶解氧, 增氧) above 0.5.</summary>
    public const float MinCosine = 0.5f;

    /// <summary>An achievement word bridges a demand word only when it is among that word's this many nearest words of
    /// the whole vocabulary. A cosine threshold alone does not hold: skip-gram vectors with character n-grams share
    /// directions, and on 2,000 synthetic CSL records unrelated words (素质教育 ↔ 苏联, 绩效 ↔ 战后) passed 0.5 in
    /// every one of 2,951 recommendations.</summary>
    public const int Neighbours = 10;

    /// <summary>Bridges shown per pair at most.</summary>
    public const int MaxBridges = 3;

    /// <summary>Achievement words per bridge at most.</summary>
    public const int MaxTermsPerBridge = 2;

    /// <summary>Shortest word bridged: a single character (想, k) seldom reads as a bridge.</summary>
    public const int MinLength = 2;

    /// <summary>The demand's most telling unmatched words tried at most (each costs a pass over the vocabulary the
    /// first time it is asked for).</summary>
    public const int MaxDemandWords = 8;

    /// <summary>Distinct words read per side at most (the title and keywords come first), bounding the cost of a pair.</summary>
    public const int MaxWords = 256;

    /// <summary>The bridges of a pair, the most telling demand word first (at most <see cref="MaxBridges"/>).</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="telling">The demand's terms that are not generic (those a matched-terms list may show), most telling
    /// first: only these are bridged, in this order of preference (每年, 经常 are words too, but bridge nothing).</param>
    /// <param name="demandText">The demand's text (title, keywords, description).</param>
    /// <param name="achievementTelling">The achievement's terms that are not generic: only these are bridged to.</param>
    /// <param name="achievementText">The achievement's text (title, keywords, abstract).</param>
    /// <param name="matched">The pair's matched terms: never bridged, on either side (they are shown already).</param>
    public static IReadOnlyList<TermBridge> Find(WordVectors vectors, IReadOnlyList<string> telling, string demandText,
        IReadOnlyList<string> achievementTelling, string achievementText, IReadOnlyList<string> matched) =>
        Find(vectors, BridgeSide.Of(telling, demandText), BridgeSide.Of(achievementTelling, achievementText), matched);

    /// <summary>The bridges of a pair from each side's telling terms and words, prepared once (a record appears in
    /// many pairs).</summary>
    public static IReadOnlyList<TermBridge> Find(WordVectors vectors, BridgeSide demand, BridgeSide achievement, IReadOnlyList<string> matched)
    {
        var telling = demand.Telling;
        var achievementTelling = achievement.Telling;
        var vocabulary = s_vocabularies.GetValue(vectors, v => new Vocabulary(v));
        var tellingTargets = achievementTelling.ToHashSet(StringComparer.Ordinal);
        var achievementWords = achievement.Words;
        var present = achievementWords.ToHashSet(StringComparer.Ordinal);
        var shown = matched.ToHashSet(StringComparer.Ordinal);
        var demandWords = demand.Words.ToHashSet(StringComparer.Ordinal);
        // Words with a vector of their own are the vocabulary's: their unit vectors are read from it, not made again per pair.
        var unmatched = telling.Distinct(StringComparer.Ordinal)
            .Where(w => w.Length >= MinLength && demandWords.Contains(w) && !present.Contains(w) && !shown.Contains(w) && vectors.Contains(w))
            .Take(MaxDemandWords)
            .ToList();
        var targets = achievementWords.Where(w => w.Length >= MinLength && tellingTargets.Contains(w) && !shown.Contains(w))
            .Select(w => (Word: w, Row: vocabulary.RowOf(w))).Where(t => t.Row >= 0).ToList();
        if (unmatched.Count == 0 || targets.Count == 0)
        {
            return [];
        }

        var bridges = new List<(int Order, TermBridge Bridge)>();
        for (var i = 0; i < unmatched.Count; i++)
        {
            var row = vocabulary.RowOf(unmatched[i]);
            if (row < 0)
            {
                continue;
            }

            var near = vocabulary.Near(unmatched[i], vocabulary.UnitOf(row));
            var bridged = targets
                .Where(t => near.Contains(t.Word))
                .Select(t => (t.Word, Cosine: TensorPrimitives.Dot(vocabulary.UnitOf(row), vocabulary.UnitOf(t.Row))))
                .Where(t => t.Cosine >= MinCosine)
                .OrderByDescending(t => t.Cosine)
                .ThenBy(t => t.Word, StringComparer.Ordinal)
                .Take(MaxTermsPerBridge)
                .ToList();
            if (bridged.Count > 0)
            {
                bridges.Add((i, new TermBridge(unmatched[i], [.. bridged.Select(t => t.Word)])));
                if (bridges.Count == MaxBridges)
                {
                    break;
                }
            }
        }

        return [.. bridges.Take(MaxBridges).Select(b => b.Bridge)];
    }

    internal static List<string> Distinct(List<string> words) => [.. words.Distinct(StringComparer.Ordinal).Take(MaxWords)];

    /// <summary>Each word-vector set's vocabulary as unit vectors, and the nearest words found so far.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<WordVectors, Vocabulary> s_vocabularies = new();

    /// <summary>A vocabulary's unit vectors (row-major) and, per word asked for, its <see cref="Neighbours"/> nearest
    /// words (cached: a run asks for the same demand words again and again).</summary>
    private sealed class Vocabulary
    {
        private readonly string[] _words;
        private readonly float[] _rows;
        private readonly int _dimension;
        private readonly Dictionary<string, int> _rowOf;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> _near = new(StringComparer.Ordinal);

        public Vocabulary(WordVectors vectors)
        {
            _dimension = vectors.Dimension;
            var words = new List<string>(vectors.Count);
            var rows = new List<float>(vectors.Count * _dimension);
            foreach (var word in vectors.Words)
            {
                if (Unit(vectors.Vector(word)) is { } v)
                {
                    words.Add(word);
                    rows.AddRange(v);
                }
            }

            _words = [.. words];
            _rows = [.. rows];
            _rowOf = new Dictionary<string, int>(_words.Length, StringComparer.Ordinal);
            for (var i = 0; i < _words.Length; i++)
            {
                _rowOf[_words[i]] = i;
            }
        }

        /// <summary>The row of a word with a (non-zero) vector of its own, or −1.</summary>
        public int RowOf(string word) => _rowOf.GetValueOrDefault(word, -1);

        /// <summary>The unit vector of a row.</summary>
        public ReadOnlySpan<float> UnitOf(int row) => _rows.AsSpan(row * _dimension, _dimension);

        /// <summary>The <see cref="Neighbours"/> words nearest to <paramref name="word"/> (unit vector
        /// <paramref name="unit"/>), itself excluded; ties by ordinal.</summary>
        public HashSet<string> Near(string word, ReadOnlySpan<float> unit)
        {
            if (_near.TryGetValue(word, out var known))
            {
                return known;
            }

            var scores = new float[_words.Length];
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = TensorPrimitives.Dot(unit, _rows.AsSpan(i * _dimension, _dimension));
            }

            return _near.GetOrAdd(word, Nearest(word, scores));
        }

        private HashSet<string> Nearest(string key, float[] scores)
        {
            // The best few of tens of thousands: a bounded heap whose root is the weakest kept (lower score, then the
            // ordinally larger word).
            var heap = new PriorityQueue<int, int>(Neighbours + 1, Comparer<int>.Create((x, y) =>
            {
                var byScore = scores[x].CompareTo(scores[y]);
                return byScore != 0 ? byScore : string.CompareOrdinal(_words[y], _words[x]);
            }));
            for (var i = 0; i < _words.Length; i++)
            {
                if (_words[i] == key)
                {
                    continue;
                }

                // Most words fall below the weakest kept one: skip them without touching the heap.
                if (heap.Count == Neighbours && heap.TryPeek(out var weakest, out _) && scores[i] < scores[weakest])
                {
                    continue;
                }

                heap.Enqueue(i, i);
                if (heap.Count > Neighbours)
                {
                    heap.Dequeue();
                }
            }

            var near = new HashSet<string>(StringComparer.Ordinal);
            while (heap.TryDequeue(out var i, out _))
            {
                near.Add(_words[i]);
            }

            return near;
        }
    }

    private static float[]? Unit(float[]? vector)
    {
        if (vector is null)
        {
            return null;
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm <= 0 || !float.IsFinite(norm))
        {
            return null;
        }

        TensorPrimitives.Multiply(vector, 1f / norm, vector);
        return vector;
    }
}

/// <summary>One side of a pair as bridges read it: its telling terms (most telling first) and its distinct words as
/// the word vectors see them (title and keywords first, at most <see cref="TermBridges.MaxWords"/>).</summary>
internal sealed record BridgeSide(IReadOnlyList<string> Telling, IReadOnlyList<string> Words)
{
    public static BridgeSide Of(IReadOnlyList<string> telling, string text) => new(telling, TermBridges.Distinct(VectorTokens.Of(text)));
}
