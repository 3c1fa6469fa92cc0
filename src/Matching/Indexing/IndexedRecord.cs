using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Matching.Indexing;

/// <summary>An achievement or demand as the index sees it: three text fields and the record as JSON.</summary>
internal sealed record IndexedRecord(string Id, string Title, string Body, string Keywords, string SourceJson)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Keywords are joined with a separator the segmenter drops, so no term spans two keywords.</summary>
    private const string KeywordSeparator = "；";

    public static IndexedRecord From(Achievement a) =>
        new(a.Id, a.Title, a.Abstract, string.Join(KeywordSeparator, a.Keywords), JsonSerializer.Serialize(a, s_json));

    public static IndexedRecord From(Demand d) =>
        new(d.Id, d.Title, d.Description, string.Join(KeywordSeparator, d.Keywords), JsonSerializer.Serialize(d, s_json));

    public static Achievement ToAchievement(string json) =>
        JsonSerializer.Deserialize<Achievement>(json, s_json) ?? throw new MatchingException("index holds an empty achievement record");

    public static Demand ToDemand(string json) =>
        JsonSerializer.Deserialize<Demand>(json, s_json) ?? throw new MatchingException("index holds an empty demand record");

    /// <summary>Content hash: an incremental update skips records whose hash is unchanged.</summary>
    public string Hash => HashOf(SourceJson);

    /// <summary>The content hash of a record's JSON as the index stores it.</summary>
    public static string HashOf(string sourceJson) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sourceJson)))[..32];
}
