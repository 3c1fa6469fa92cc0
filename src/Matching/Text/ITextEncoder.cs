namespace Matching.Text;

/// <summary>Turns texts into fixed-length vectors for the semantic candidate route and the semantic features: word
/// vectors trained on the event's own texts, shipped general vectors, or an organisation's own ONNX sentence encoder.
/// Implementations are thread-safe and deterministic (the same text gives the same vector on every run).</summary>
public interface ITextEncoder
{
    /// <summary>Stable identity of the encoder and its weights. It is stored beside a vector index, and an index built
    /// with another fingerprint is refused.</summary>
    string Fingerprint { get; }

    /// <summary>Length of every vector <see cref="Encode"/> returns.</summary>
    int Dimension { get; }

    /// <summary>Encodes each text to a unit-length vector; a text with nothing the encoder knows gets the zero
    /// vector.</summary>
    /// <param name="texts">The texts, in either script (implementations normalise as the analyzers do).</param>
    /// <returns>One vector per text, in order.</returns>
    IReadOnlyList<float[]> Encode(IReadOnlyList<string> texts);
}
