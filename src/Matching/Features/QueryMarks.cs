namespace Matching.Features;

/// <summary>The query side of a candidate list, marked in arrays indexed by term id, character and bigram so
/// that each candidate is scored by one pass over its own arrays. One per thread, cleared after each list.</summary>
internal sealed class QueryMarks
{
    [ThreadStatic]
    private static QueryMarks? t_marks;

    private int[] _bigrams = new int[1024];
    private int _bigramMask = 1023;

    /// <summary>Query word k has WordIndex[id] = k + 1; 0 elsewhere.</summary>
    public int[] WordIndex { get; private set; } = [];

    /// <summary>The query's tf of each of its terms (words and sub-words); 0 elsewhere.</summary>
    public int[] TermTf { get; private set; } = [];

    /// <summary>Bit 1: a title word of the query; bit 2: a keyword word.</summary>
    public byte[] TermFlags { get; private set; } = [];

    /// <summary>The query's letters and digits.</summary>
    public bool[] Chars { get; } = new bool[char.MaxValue + 1];

    /// <summary>Per query word, the stamp of the last candidate that contained it.</summary>
    public int[] Matched { get; private set; } = [];

    public static QueryMarks Rent(RecordProfile query, int vocabulary)
    {
        var marks = t_marks ?? new QueryMarks();
        t_marks = null;
        marks.Mark(query, vocabulary);
        return marks;
    }

    public void Return(RecordProfile query)
    {
        foreach (var t in query.Terms)
        {
            WordIndex[t] = 0;
            TermTf[t] = 0;
            TermFlags[t] = 0;
        }

        foreach (var c in query.Chars)
        {
            Chars[c] = false;
        }

        Array.Clear(_bigrams, 0, _bigramMask + 1);
        t_marks = this;
    }

    public bool HasBigram(int bigram)
    {
        var slot = Hash(bigram) & _bigramMask;
        while (true)
        {
            var value = _bigrams[slot];
            if (value == bigram)
            {
                return true;
            }

            if (value == 0)
            {
                return false;
            }

            slot = (slot + 1) & _bigramMask;
        }
    }

    private void Mark(RecordProfile query, int vocabulary)
    {
        // Ids of the query (and of any candidate built before it) are below the dictionary's size.
        var size = Math.Max(vocabulary, query.Terms.Length == 0 ? 0 : query.Terms[^1] + 1);
        if (WordIndex.Length < size)
        {
            var grown = Math.Max(size, WordIndex.Length * 2);
            WordIndex = new int[grown];
            TermTf = new int[grown];
            TermFlags = new byte[grown];
        }

        if (Matched.Length < query.Words.Length)
        {
            Matched = new int[Math.Max(query.Words.Length, 64)];
        }

        Array.Clear(Matched);
        for (var k = 0; k < query.Words.Length; k++)
        {
            WordIndex[query.Words[k]] = k + 1;
        }

        for (var j = 0; j < query.Terms.Length; j++)
        {
            TermTf[query.Terms[j]] = query.TermCounts[j];
        }

        foreach (var t in query.TitleWords)
        {
            TermFlags[t] |= 1;
        }

        foreach (var t in query.KeywordWords)
        {
            TermFlags[t] |= 2;
        }

        foreach (var c in query.Chars)
        {
            Chars[c] = true;
        }

        // Open addressing at most 1/4 full; a bigram is never 0 (both chars are letters or digits).
        var capacity = 1024;
        while (capacity < query.Bigrams.Length * 4)
        {
            capacity *= 2;
        }

        if (_bigrams.Length < capacity)
        {
            _bigrams = new int[capacity];
        }

        _bigramMask = capacity - 1;
        foreach (var bigram in query.Bigrams)
        {
            var slot = Hash(bigram) & _bigramMask;
            while (_bigrams[slot] != 0)
            {
                slot = (slot + 1) & _bigramMask;
            }

            _bigrams[slot] = bigram;
        }
    }

    private static int Hash(int value) => (int)((uint)value * 2654435761u >> 7);
}
