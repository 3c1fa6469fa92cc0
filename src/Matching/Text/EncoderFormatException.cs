namespace Matching.Text;

/// <summary>An encoder directory that <see cref="OnnxTextEncoder"/> cannot use as it is: a missing <c>model.onnx</c> or
/// <c>vocab.txt</c>, a model ONNX Runtime cannot load, an input or output the settings name that the model lacks, a
/// vector length other than the one declared, or a malformed settings file.</summary>
/// <remarks>The message names the file first, e.g. <c>encoder/model.onnx: no output 'pooler_output' (the model has:
/// last_hidden_state)</c>, and for a settings file the line and field:
/// <c>encoder/matching-encoder.json:3: field 'pooling': expected "cls" or "mean" (value 'max')</c>.</remarks>
public sealed class EncoderFormatException : MatchingException
{
    /// <summary>Creates the exception for a problem in one file.</summary>
    /// <param name="path">The file (or the encoder directory, when it is missing), as the user named it.</param>
    /// <param name="problem">What is wrong, without the location.</param>
    /// <param name="line">The 1-based line in a settings file; 0 for the whole file.</param>
    /// <param name="field">The settings field, when the problem is in one field.</param>
    /// <param name="value">The offending value, when there is one.</param>
    /// <param name="inner">The underlying error.</param>
    public EncoderFormatException(string path, string problem, int line = 0, string? field = null, string? value = null, Exception? inner = null)
        : base(InputFormatException.Format(path, line, field, problem, value), inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or directory) at fault.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
