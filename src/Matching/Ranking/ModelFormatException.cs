namespace Matching.Ranking;

/// <summary>A ranking model that Matching cannot use as it is: an unsupported kind of split, a malformed
/// tree, or a feature count that does not fit the model.</summary>
/// <remarks>The message names the tree and node, e.g. <c>tree 12, node 3: categorical split; retrain
/// without categorical splits</c>.</remarks>
public sealed class ModelFormatException : MatchingException
{
    /// <summary>Creates the exception.</summary>
    public ModelFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
