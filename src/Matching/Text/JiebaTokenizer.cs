using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Matching.Text;

/// <summary>A Lucene tokenizer over <see cref="ChineseSegmenter"/>.</summary>
/// <remarks>jieba segments whole strings, so the field is read at <see cref="Reset"/>; fields are short
/// (and capped by <see cref="NormalizingCharFilter.MaxFieldChars"/>). Offsets go through
/// <see cref="Tokenizer.CorrectOffset"/>, so they point into the text before normalisation.</remarks>
internal sealed class JiebaTokenizer : Tokenizer
{
    private readonly ChineseSegmenter _segmenter;
    private readonly SegmentMode _mode;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _positionIncrement;
    private List<SegToken> _tokens = [];
    private int _next;
    private int _finalOffset;

    public JiebaTokenizer(TextReader input, ChineseSegmenter segmenter, SegmentMode mode) : base(input)
    {
        _segmenter = segmenter;
        _mode = mode;
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _positionIncrement = AddAttribute<IPositionIncrementAttribute>();
    }

    public override void Reset()
    {
        base.Reset();
        var text = ReadAll(m_input);
        _tokens = _segmenter.Segment(text, _mode);
        _next = 0;
        _finalOffset = CorrectOffset(text.Length);
    }

    public override bool IncrementToken()
    {
        if (_next >= _tokens.Count)
        {
            return false;
        }

        ClearAttributes();
        var token = _tokens[_next++];
        _term.SetEmpty().Append(token.Term);
        _offset.SetOffset(CorrectOffset(token.Start), CorrectOffset(token.End));
        _positionIncrement.PositionIncrement = token.PositionIncrement;
        return true;
    }

    public override void End()
    {
        base.End();
        _offset.SetOffset(_finalOffset, _finalOffset);
    }

    private static string ReadAll(TextReader reader)
    {
        var buffer = new char[4096];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}
