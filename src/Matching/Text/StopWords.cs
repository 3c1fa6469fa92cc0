using System.Security.Cryptography;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;
using Matching.Ingestion;

namespace Matching.Text;

/// <summary>The stop words shipped in <c>resources/text/stopwords.txt</c> (one a line, <c>#</c> comments).</summary>
internal static class StopWords
{
    private static readonly Lazy<(CharArraySet Set, string Fingerprint)> s_default = new(Load);

    public static CharArraySet Default => s_default.Value.Set;

    public static string Fingerprint => s_default.Value.Fingerprint;

    private static (CharArraySet, string) Load()
    {
        var path = ResourceLocator.PathOf("text", "stopwords.txt");
        var words = ReadWords(path).ToList();
        var set = new CharArraySet(LuceneVersion.LUCENE_48, words, ignoreCase: false).AsReadOnly();
        var fingerprint = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))[..12].ToLowerInvariant();
        return (set, fingerprint);
    }

    /// <summary>A shipped word list (<c>resources/text/*.txt</c>): one word a line, blank lines and <c>#</c> comments
    /// skipped, each word normalised as text is.</summary>
    internal static IEnumerable<string> ReadWords(string path) =>
        File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(word => TextNormalizer.Default.Normalize(word));
}
