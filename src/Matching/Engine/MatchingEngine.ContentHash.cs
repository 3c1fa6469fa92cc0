using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Matching.Indexing;
using Matching.Text;

namespace Matching.Engine;

public sealed partial class MatchingEngine
{
    /// <summary>A hash of everything that decides this engine's rankings apart from the ranker: every stored record of
    /// both indexes (in id order), the deleted documents still counted in term statistics, the index format, the
    /// analyzer version and the retrieval settings. Two engines with the same hash (and the same model) rank every
    /// query identically; a cluster uses it to refuse replicas built from other data. Reads every stored record.</summary>
    public string ContentHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        var retrieval = _options.Retrieval;
        Add("matching-replica/1");
        Add(IndexSchema.FormatVersion);
        Add(MatchingAnalyzer.VersionOf(Analyzer));
        Add(string.Create(CultureInfo.InvariantCulture,
            $"{retrieval.TitleBoost:R};{retrieval.KeywordsBoost:R};{retrieval.BodyBoost:R};{retrieval.SubwordWeight:R};{retrieval.MaxQueryTerms};{_rerankDepth}"));
        Read(s =>
        {
            foreach (var (name, searcher) in new[] { ("achievements", s.Achievements), ("demands", s.Demands) })
            {
                Add(name);
                Add(searcher.Count.ToString(CultureInfo.InvariantCulture));
                Add(searcher.DeletedCount.ToString(CultureInfo.InvariantCulture));
                foreach (var json in searcher.AllSources())
                {
                    Add(json);
                }
            }

            return 0;
        });
        return Convert.ToHexString(hash.GetHashAndReset())[..32].ToLowerInvariant();
    }
}
