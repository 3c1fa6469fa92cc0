namespace Matching.Text;

/// <summary>How <see cref="OnnxTextEncoder"/> turns a model's per-token vectors into one vector per text.</summary>
public enum EncoderPooling
{
    /// <summary>The first token's vector (<c>[CLS]</c>), as bge models are trained.</summary>
    Cls,

    /// <summary>The mean of the real tokens' vectors (padding masked out), as text2vec and most sentence-transformers
    /// models are trained.</summary>
    Mean,

    /// <summary>The model's output is already one vector per text (<c>[batch, dim]</c>); it is used as it is.</summary>
    Model,
}
