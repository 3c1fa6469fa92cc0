using System.Collections.Concurrent;

namespace Matching.Features;

/// <summary>Maps terms to small integer ids so that profiles are sorted int arrays and pair features
/// are merges of those arrays. Ids only name terms: no feature depends on their values.</summary>
internal sealed class TermDictionary
{
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private int _next = -1;

    public TermDictionary()
    {
    }

    /// <summary>A dictionary holding <paramref name="terms"/> already, each with its index as id.</summary>
    public TermDictionary(IReadOnlyList<string> terms)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            _ids[terms[i]] = i;
        }

        _next = terms.Count - 1;
    }

    /// <summary>One more than the highest id handed out: every id is below it.</summary>
    /// <remarks>Not <c>ConcurrentDictionary.Count</c>, which takes every lock of the table: it is read once per query
    /// list, by all query threads at once.</remarks>
    public int Count => Volatile.Read(ref _next) + 1;

    public int GetOrAdd(string term) => _ids.GetOrAdd(term, _ => Interlocked.Increment(ref _next));

    public bool TryGet(string term, out int id) => _ids.TryGetValue(term, out id);

    /// <summary>The terms by id (not to be called while terms are being added).</summary>
    public string[] Strings()
    {
        var strings = new string[_next + 1];
        foreach (var (term, id) in _ids)
        {
            strings[id] = term;
        }

        return strings;
    }
}
