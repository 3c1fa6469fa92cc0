using System.Text;

namespace Matching.Ingestion;

/// <summary>Reads lines as <see cref="TextReader.ReadLine"/> does (CR, LF and CRLF end a line), but never holds more than
/// <c>maxLength</c> characters of one: the rest of a longer line is read past, and <see cref="LastLineTooLong"/> says so.</summary>
internal sealed class BoundedLineReader(TextReader inner, int maxLength) : IDisposable
{
    private readonly char[] _buffer = new char[TextEncodings.ChunkSize];
    private readonly StringBuilder _line = new();
    private int _length;
    private int _position;
    private bool _skipLineFeed;

    /// <summary>Whether the line <see cref="ReadLine"/> returned last was longer than the limit; it then returned "".</summary>
    public bool LastLineTooLong { get; private set; }

    /// <summary>The next line without its line break, "" for a line over the limit, null at the end of the text.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        LastLineTooLong = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = inner.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    return any ? Finish() : null;
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            any = true;
            var rest = _buffer.AsSpan(_position, _length - _position);
            var end = rest.IndexOfAny('\r', '\n');
            var piece = end < 0 ? rest : rest[..end];
            Append(piece);
            if (end < 0)
            {
                _position = _length;
                continue;
            }

            _position += end + 1;
            _skipLineFeed = rest[end] == '\r';
            return Finish();
        }
    }

    public void Dispose() => inner.Dispose();

    private void Append(ReadOnlySpan<char> piece)
    {
        if (LastLineTooLong)
        {
            return;
        }

        if (_line.Length + piece.Length > maxLength)
        {
            LastLineTooLong = true;
            _line.Clear();
            return;
        }

        _line.Append(piece);
    }

    private string Finish() => LastLineTooLong ? "" : _line.ToString();
}
