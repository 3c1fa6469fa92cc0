namespace Matching.Text;

/// <summary>The words of a text as the word vectors see them: normalised (either script gives the same words), jieba's
/// precise words, without stop words, curated generic words and bare numbers.</summary>
internal static class VectorTokens
{
    /// <summary>The content words of <paramref name="text"/>, in order.</summary>
    public static List<string> Of(string text)
    {
        var words = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }

        var normalized = TextNormalizer.Default.Normalize(text);
        foreach (var token in ChineseSegmenter.Shared.Segment(normalized, SegmentMode.Precise))
        {
            var term = token.Term;
            if (term.Length == 0 || StopWords.Default.Contains(term) || GenericWords.IsCurated(term) || GenericWords.IsBareNumber(term)
                || (term.Length == 1 && !char.IsLetter(term[0])))
            {
                continue;
            }

            words.Add(term);
        }

        return words;
    }
}
