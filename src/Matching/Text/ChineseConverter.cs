using System.Text;
using Matching.Ingestion;

namespace Matching.Text;

/// <summary>Traditional → Simplified conversion with OpenCC's phrase and character tables.</summary>
/// <remarks>Phrases first, longest match; then single characters. The first candidate of each entry is taken.
/// The Taiwan-phrase tables are deliberately not used: they rewrite mainland vocabulary (核心 → 内核).</remarks>
internal sealed class ChineseConverter
{
    private readonly Dictionary<string, string> _phrases;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _phraseLookup;
    private readonly Dictionary<int, string> _characters;
    private readonly HashSet<char> _phraseStarts;
    private readonly int _maxPhraseLength;

    private ChineseConverter(Dictionary<string, string> phrases, Dictionary<int, string> characters)
    {
        _phrases = phrases;
        _phraseLookup = phrases.GetAlternateLookup<ReadOnlySpan<char>>();
        _characters = characters;
        _phraseStarts = [.. phrases.Keys.Select(k => k[0])];
        _maxPhraseLength = phrases.Count == 0 ? 0 : phrases.Keys.Max(k => k.Length);
    }

    private static readonly Lazy<ChineseConverter> s_default = new(() => Load(
        ResourceLocator.PathOf("opencc", "TSPhrases.txt"),
        ResourceLocator.PathOf("opencc", "TSCharacters.txt")));

    /// <summary>The converter over the tables shipped in <c>resources/opencc</c>.</summary>
    public static ChineseConverter Default => s_default.Value;

    /// <summary>A fingerprint of the tables, part of the analyzer version.</summary>
    public string Fingerprint => $"{_phrases.Count}p{_characters.Count}c";

    public static ChineseConverter Load(string phrasesPath, string charactersPath)
    {
        var phrases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in ReadTable(phrasesPath))
        {
            phrases.TryAdd(key, value);
        }

        var characters = new Dictionary<int, string>();
        foreach (var (key, value) in ReadTable(charactersPath))
        {
            if (key.EnumerateRunes().Count() == 1)
            {
                characters.TryAdd(char.ConvertToUtf32(key, 0), value);
            }
        }

        return new ChineseConverter(phrases, characters);
    }

    private static IEnumerable<(string Key, string Value)> ReadTable(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            if (tab <= 0 || tab == line.Length - 1)
            {
                throw new InputFormatException(path, lineNumber, null, "OpenCC table line is not 'key<TAB>value'", line);
            }

            var values = line[(tab + 1)..];
            var space = values.IndexOf(' ');
            yield return (line[..tab], space < 0 ? values : values[..space]);
        }
    }

    /// <summary>Converts <paramref name="text"/> and appends to <paramref name="output"/>, recording for every
    /// output char the offset of the input char it came from (relative to <paramref name="baseOffset"/>).</summary>
    public void Convert(ReadOnlySpan<char> text, StringBuilder output, List<int> offsets, int baseOffset)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (_phraseStarts.Contains(text[i]) && TryPhrase(text, i, out var phraseLength, out var replacement))
            {
                Append(replacement, phraseLength, baseOffset + i, output, offsets);
                i += phraseLength;
                continue;
            }

            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var codePoint = width == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (_characters.TryGetValue(codePoint, out var simplified))
            {
                Append(simplified, width, baseOffset + i, output, offsets);
            }
            else
            {
                for (var k = 0; k < width; k++)
                {
                    output.Append(text[i + k]);
                    offsets.Add(baseOffset + i + k);
                }
            }

            i += width;
        }
    }

    /// <summary>Converts a whole string (no offsets).</summary>
    public string Convert(string text)
    {
        var builder = new StringBuilder(text.Length);
        Convert(text, builder, new List<int>(text.Length), 0);
        return builder.ToString();
    }

    private bool TryPhrase(ReadOnlySpan<char> text, int start, out int length, out string replacement)
    {
        var longest = Math.Min(_maxPhraseLength, text.Length - start);
        for (length = longest; length >= 2; length--)
        {
            if (_phraseLookup.TryGetValue(text.Slice(start, length), out replacement!))
            {
                return true;
            }
        }

        replacement = "";
        return false;
    }

    private static void Append(string replacement, int sourceLength, int sourceStart, StringBuilder output, List<int> offsets)
    {
        output.Append(replacement);
        for (var k = 0; k < replacement.Length; k++)
        {
            // Same length: char k comes from source char k. Otherwise every char maps to the phrase start.
            offsets.Add(sourceStart + (replacement.Length == sourceLength ? k : 0));
        }
    }
}
