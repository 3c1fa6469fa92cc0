using Matching.Indexing;
using Matching.Retrieval;
using Matching.Text;

namespace Matching.Engine;

/// <summary>The candidate route by meaning of one snapshot: the encoder and a vector index per collection.</summary>
/// <remarks>Vectors are reused from the previous snapshot's route or the persisted files when a record's content
/// hash is unchanged, so an update encodes only added or changed records. With an on-disk index the vectors are
/// kept in <c>semantic/</c> beside the Lucene indexes (and the event-trained word vectors, when no encoder is
/// given, in <c>semantic/wordvectors.bin</c>).</remarks>
internal sealed class SemanticRoute : IDisposable
{
    /// <summary>The folder of the semantic files inside an index folder.</summary>
    public const string Folder = "semantic";

    public const string EncoderFile = "wordvectors.bin";

    private SemanticRoute(ITextEncoder encoder, VectorIndex achievements, VectorIndex demands)
    {
        Encoder = encoder;
        Achievements = achievements;
        Demands = demands;
    }

    public ITextEncoder Encoder { get; }

    public VectorIndex Achievements { get; }

    public VectorIndex Demands { get; }

    /// <summary>The text a record is encoded from: title, keywords, then abstract or description.</summary>
    public static string TextOf(Achievement a) => string.Join("\n", a.Title, string.Join("；", a.Keywords), a.Abstract);

    /// <summary>The text a record is encoded from: title, keywords, then description.</summary>
    public static string TextOf(Demand d) => string.Join("\n", d.Title, string.Join("；", d.Keywords), d.Description);

    /// <summary>A demand's vector: the stored one when the route holds this demand with this content, else encoded now.</summary>
    public float[] VectorOf(Demand demand) =>
        Demands.VectorOf(demand.Id, IndexedRecord.From(demand).Hash) ?? Encoder.Encode([TextOf(demand)])[0];

    /// <summary>An achievement's vector (see <see cref="VectorOf(Demand)"/>).</summary>
    public float[] VectorOf(Achievement achievement) =>
        Achievements.VectorOf(achievement.Id, IndexedRecord.From(achievement).Hash) ?? Encoder.Encode([TextOf(achievement)])[0];

    /// <summary>Builds the route over the records of a snapshot.</summary>
    /// <param name="achievements">Every indexed achievement's id and content hash, in id order.</param>
    /// <param name="achievementText">The text of an achievement (by id) to encode: asked only for records whose vector is
    /// not kept already.</param>
    /// <param name="demands">Every indexed demand's id and content hash, in id order.</param>
    /// <param name="demandText">The text of a demand to encode.</param>
    /// <param name="encoder">The encoder to use.</param>
    /// <param name="prior">The previous snapshot's route (its vectors are reused), or null.</param>
    /// <param name="folder">The on-disk folder of the vectors, or null in memory.</param>
    public static SemanticRoute Build(IReadOnlyList<(string Id, string Hash)> achievements, Func<string, string> achievementText,
        IReadOnlyList<(string Id, string Hash)> demands, Func<string, string> demandText, ITextEncoder encoder, SemanticRoute? prior, string? folder)
    {
        var achievementIndex = Side(achievements, achievementText, encoder, prior?.Achievements, folder, "achievements.vectors");
        var demandIndex = Side(demands, demandText, encoder, prior?.Demands, folder, "demands.vectors");
        return new SemanticRoute(encoder, achievementIndex, demandIndex);
    }

    private static VectorIndex Side(IReadOnlyList<(string Id, string Hash)> keyed, Func<string, string> textOf, ITextEncoder encoder, VectorIndex? prior, string? folder, string file)
    {
        var path = folder is null ? null : Path.Combine(folder, file);
        if (prior is not null && prior.Fingerprint != encoder.Fingerprint)
        {
            prior = null;
        }

        VectorIndex? loaded = null;
        if (prior is null && path is not null && File.Exists(path))
        {
            prior = loaded = VectorIndex.Load(path, encoder.Fingerprint);
        }

        var recordSet = VectorIndex.RecordSetHashOf(keyed);
        if (prior is not null && prior.RecordSetHash == recordSet)
        {
            // Read from the file just now: nobody else holds it, so it is used as it is, with its saved graph. A folder
            // written before graphs were saved (or whose graph did not match) gets its graph now, built once.
            if (loaded is { UsesHnsw: true, GraphLoaded: false })
            {
                try
                {
                    loaded.Save(path!);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A folder we may not write to: the graph built for this run stays in memory, as before graphs were saved.
                }
            }

            return loaded ?? Reuse(prior);
        }

        var entries = new List<VectorEntry>(keyed.Count);
        var missing = new List<(string Id, string Hash)>();
        foreach (var (id, hash) in keyed)
        {
            if (prior?.VectorOf(id, hash) is { } vector)
            {
                entries.Add(new VectorEntry(id, hash, vector));
            }
            else
            {
                missing.Add((id, hash));
            }
        }

        const int batch = 256;
        for (var start = 0; start < missing.Count; start += batch)
        {
            var chunk = missing.GetRange(start, Math.Min(batch, missing.Count - start));
            var vectors = encoder.Encode([.. chunk.Select(m => textOf(m.Id))]);
            entries.AddRange(chunk.Select((m, i) => new VectorEntry(m.Id, m.Hash, vectors[i])));
        }

        loaded?.Dispose();
        var index = VectorIndex.Build(encoder.Fingerprint, encoder.Dimension, entries);
        if (path is not null)
        {
            index.Save(path);
        }

        return index;
    }

    // A snapshot's route owns its indexes (it disposes them); an unchanged index is copied, not shared.
    private static VectorIndex Reuse(VectorIndex prior) =>
        VectorIndex.Build(prior.Fingerprint, prior.Dimension, prior.Entries(), prior.HnswThreshold);

    /// <summary>The event-trained encoder of an on-disk index: read from <c>semantic/wordvectors.bin</c>, or trained
    /// on the texts and written there.</summary>
    public static WordVectorEncoder EventEncoder(string? folder, Func<IReadOnlyList<string>> texts, WordVectorTrainingOptions options)
    {
        var path = folder is null ? null : Path.Combine(folder, EncoderFile);
        if (path is not null && File.Exists(path))
        {
            return WordVectorEncoder.Load(path);
        }

        var encoder = WordVectorEncoder.Train(texts(), options);
        if (path is not null)
        {
            encoder.Save(path);
        }

        return encoder;
    }

    public void Dispose()
    {
        Achievements.Dispose();
        Demands.Dispose();
    }
}
