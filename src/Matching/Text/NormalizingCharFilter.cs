using Lucene.Net.Analysis;

namespace Matching.Text;

/// <summary>A Lucene char filter that applies <see cref="TextNormalizer"/> and maps offsets back to the
/// original text, so highlighting and offsets always refer to what the user wrote.</summary>
internal sealed class NormalizingCharFilter : CharFilter
{
    /// <summary>Fields longer than this are cut: no real abstract comes near it, and it bounds memory.</summary>
    public const int MaxFieldChars = 1 << 20;

    private readonly TextNormalizer _normalizer;
    private NormalizedText? _normalized;
    private int _position;

    public NormalizingCharFilter(TextReader input, TextNormalizer normalizer) : base(input) => _normalizer = normalizer;

    public override int Read(char[] buffer, int index, int count)
    {
        var normalized = _normalized ??= Load();
        var available = normalized.Text.Length - _position;
        if (available <= 0)
        {
            return 0;
        }

        var n = Math.Min(count, available);
        normalized.Text.CopyTo(_position, buffer, index, n);
        _position += n;
        return n;
    }

    protected override int Correct(int currentOff) => (_normalized ??= Load()).OriginalOffset(currentOff);

    private NormalizedText Load()
    {
        var buffer = new char[8192];
        var text = new System.Text.StringBuilder();
        int read;
        while (text.Length < MaxFieldChars && (read = m_input.Read(buffer, 0, Math.Min(buffer.Length, MaxFieldChars - text.Length))) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return _normalizer.NormalizeWithOffsets(text.ToString());
    }
}
