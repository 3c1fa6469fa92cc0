using System.Text;

namespace Matching.Text;

/// <summary>Text after normalisation, with the offset in the original text of every char.</summary>
/// <param name="Text">The normalised text.</param>
/// <param name="Offsets">For each char of <paramref name="Text"/>, its offset in the original; one extra
/// element at the end holds the original length, so an exclusive end offset maps too.</param>
internal sealed record NormalizedText(string Text, int[] Offsets)
{
    public int OriginalOffset(int normalizedOffset) => Offsets[Math.Clamp(normalizedOffset, 0, Offsets.Length - 1)];
}

/// <summary>Brings text from any source to one form before segmentation.</summary>
/// <remarks>In order: full-width forms → half-width (ＡＢＣ１２３，→ abc123,), ideographic space → space;
/// Latin lower-cased; Traditional → Simplified (OpenCC); runs of whitespace and control characters → one space.
/// A Traditional sentence and its Simplified original therefore segment identically.</remarks>
internal sealed class TextNormalizer
{
    private readonly ChineseConverter _converter;

    public TextNormalizer(ChineseConverter converter) => _converter = converter;

    private static readonly Lazy<TextNormalizer> s_default = new(() => new TextNormalizer(ChineseConverter.Default));

    public static TextNormalizer Default => s_default.Value;

    /// <summary>Part of the analyzer version: change it whenever the rules above change.</summary>
    public const string Version = "norm2";

    public string Normalize(string text) => NormalizeWithOffsets(text).Text;

    public NormalizedText NormalizeWithOffsets(string text)
    {
        // Pass 1, one char for one char: width and case.
        var widthFolded = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = FoldChar(source[i]);
            }
        });

        // Pass 2: Traditional → Simplified; may change lengths, so it records offsets.
        var converted = new StringBuilder(text.Length);
        var convertedOffsets = new List<int>(text.Length);
        _converter.Convert(widthFolded, converted, convertedOffsets, 0);

        // Pass 3: fold whitespace runs.
        var output = new StringBuilder(converted.Length);
        var offsets = new List<int>(converted.Length + 1);
        var inSpace = false;
        for (var i = 0; i < converted.Length; i++)
        {
            var c = converted[i];
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                if (!inSpace)
                {
                    output.Append(' ');
                    offsets.Add(convertedOffsets[i]);
                    inSpace = true;
                }

                continue;
            }

            inSpace = false;
            output.Append(c);
            offsets.Add(convertedOffsets[i]);
        }

        offsets.Add(text.Length);
        return new NormalizedText(output.ToString(), [.. offsets]);
    }

    private static char FoldChar(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0);
        }
        else if (c == '\u3000')
        {
            return ' ';
        }

        return c is >= 'A' and <= 'Z' ? (char)(c + 32) : char.IsUpper(c) ? char.ToLowerInvariant(c) : c;
    }
}
