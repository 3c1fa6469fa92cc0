namespace Matching.Retrieval;

/// <summary>A passage of one field, as alternating plain and highlighted pieces (no markup: writers escape and style).</summary>
/// <param name="Field">title, abstract or keywords.</param>
/// <param name="Pieces">The passage in order.</param>
public sealed record Snippet(string Field, IReadOnlyList<SnippetPiece> Pieces);

/// <summary>A run of snippet text.</summary>
/// <param name="Text">The text as the user wrote it.</param>
/// <param name="Highlighted">Whether it is a matched term.</param>
public sealed record SnippetPiece(string Text, bool Highlighted);
