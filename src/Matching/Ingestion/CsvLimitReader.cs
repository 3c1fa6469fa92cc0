namespace Matching.Ingestion;

/// <summary>The limit a CSV record ran into.</summary>
internal enum CsvLimit
{
    /// <summary>A field longer than the field limit: the rest of the field was dropped.</summary>
    Field,

    /// <summary>More cells than the column limit: the rest of the record was dropped.</summary>
    Columns,

    /// <summary>A physical line longer than the line limit: the rest of the record was dropped.</summary>
    Line,
}

/// <summary>Where a record ran into a limit: <see cref="Position"/> is the offset, in the characters the parser was
/// given, where dropping began; <see cref="Column"/> is the 0-based cell.</summary>
internal sealed class CsvLimitHit(long position, int column, CsvLimit kind)
{
    public long Position { get; } = position;

    public int Column { get; } = column;

    public CsvLimit Kind { get; } = kind;

    /// <summary>Line breaks inside the dropped text, which the parser never saw and so did not count.</summary>
    public int DroppedLineBreaks { get; set; }
}

/// <summary>Sits between a CSV file's text and CsvHelper's parser and keeps every record within the read limits, so the
/// parser never buffers more than they allow, whatever the file holds.</summary>
/// <remarks>
/// <para>It follows the record structure exactly as CsvHelper's RFC 4180 mode does (a field is quoted only when it starts
/// with a quote; a quote inside a quoted field toggles, an escaped <c>""</c> toggles twice; a quote after a closed quoted
/// field or inside an unquoted one is bad data and toggles nothing; CR, LF and CRLF end records). Text within the limits
/// passes through unchanged, character for character. When a field grows past the field limit, the rest of that field is
/// dropped; when a record has more cells than the column limit, or a physical line grows past the line limit, the rest of
/// that record is dropped. A closing quote is added where the dropped text would have closed one, so the parser sees a
/// well-formed shorter record; an unclosed quote at the end of the file stays unclosed, so it is still reported.</para>
/// <para>Every such cut is recorded as a <see cref="CsvLimitHit"/>, which the row source turns into an error, a skipped
/// row or a truncation warning.</para>
/// </remarks>
internal sealed class CsvLimitReader : TextReader
{
    private const int BlockSize = 1 << 16;

    private readonly TextReader _inner;
    private readonly char _delimiter;
    private readonly long _maxFieldChars;
    private readonly int _maxColumns;
    private readonly long _maxLineChars;
    private readonly char[] _block = new char[BlockSize];
    private readonly Queue<CsvLimitHit> _hits = new();
    private int _blockLength;
    private int _blockPosition;
    private bool _innerDone;

    // The record structure as CsvHelper sees it in the whole text.
    private bool _fieldStart = true;
    private bool _quoted;
    private bool _inQuotes;
    private bool _badData;
    private char _previous;
    private bool _afterCarriageReturn;
    private int _column;
    private long _fieldChars;
    private long _lineChars;

    // Dropping, and what the parser has seen so far.
    private CsvLimitHit? _dropping;
    private bool _droppingRecord;
    private bool _emittedInQuotes;
    private long _emitted;

    // What one input character turns into for the parser: nothing, itself, or a closing quote and itself.
    private readonly char[] _out = new char[2];
    private int _outStart;
    private int _outCount;

    public CsvLimitReader(TextReader inner, char delimiter, long maxFieldChars, int maxColumns, long maxLineChars)
    {
        _inner = inner;
        _delimiter = delimiter;
        _maxFieldChars = maxFieldChars;
        _maxColumns = maxColumns;
        _maxLineChars = maxLineChars;
    }

    /// <summary>Takes the limit hits that began before <paramref name="position"/> (in parser characters), in order.</summary>
    public List<CsvLimitHit>? TakeHitsBefore(long position)
    {
        List<CsvLimitHit>? taken = null;
        while (_hits.TryPeek(out var hit) && hit.Position < position)
        {
            (taken ??= []).Add(_hits.Dequeue());
        }

        return taken;
    }

    public override int Read() => throw new NotSupportedException("read CSV text in blocks");

    public override int Peek() => -1;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_outCount > 0)
            {
                buffer[written++] = _out[_outStart++];
                _outCount--;
                _emitted++;
                continue;
            }

            _outStart = 0;
            if (_blockPosition == _blockLength)
            {
                if (written > 0 || !Fill())
                {
                    break;
                }

                continue;
            }

            Take(_block[_blockPosition++]);
        }

        return written;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool Fill()
    {
        if (_innerDone)
        {
            return false;
        }

        _blockLength = _inner.Read(_block, 0, _block.Length);
        _blockPosition = 0;
        if (_blockLength > 0)
        {
            return true;
        }

        _innerDone = true;
        if (_dropping is not null && _emittedInQuotes && !_inQuotes)
        {
            // The dropped text closed the quote the parser saw open.
            _dropping = null;
            _emittedInQuotes = false;
            Emit('"');
            return true;
        }

        return false;
    }

    private void Emit(char c) => _out[_outStart + _outCount++] = c;

    /// <summary>Advances the record structure by <paramref name="c"/> and queues what the parser gets for it.</summary>
    private void Take(char c)
    {
        if (_afterCarriageReturn)
        {
            _afterCarriageReturn = false;
            if (c == '\n')
            {
                // The second half of a CRLF that ended a record: it goes with the CR.
                _previous = c;
                Emit(c);
                return;
            }
        }

        var first = _fieldStart;
        if (first)
        {
            _fieldStart = false;
            _quoted = c == '"';
            _fieldChars = 0;
            _badData = false;
        }

        if (_quoted && c == '"')
        {
            if (!_inQuotes && !first && _previous != '"')
            {
                _badData = true;
            }
            else if (!_badData)
            {
                _inQuotes = !_inQuotes;
            }
        }

        var lineBreak = c == '\r' || (c == '\n' && _previous != '\r');
        _previous = c;
        if (!_inQuotes && c == _delimiter)
        {
            EndField(c);
            return;
        }

        if (!_inQuotes && (c == '\r' || c == '\n'))
        {
            EndRecord(c);
            return;
        }

        // Content of the current field (a line break inside quotes too).
        _fieldChars++;
        if (_dropping is not null)
        {
            if (lineBreak)
            {
                _dropping.DroppedLineBreaks++;
            }

            return;
        }

        if (_fieldChars > _maxFieldChars)
        {
            StartDropping(CsvLimit.Field, record: false);
            _dropping!.DroppedLineBreaks += lineBreak ? 1 : 0;
            return;
        }

        if (!lineBreak && ++_lineChars > _maxLineChars)
        {
            StartDropping(CsvLimit.Line, record: true);
            return;
        }

        _lineChars = lineBreak ? 0 : _lineChars;
        _emittedInQuotes = _inQuotes;
        Emit(c);
    }

    private void EndField(char c)
    {
        _fieldStart = true;
        if (_dropping is not null)
        {
            if (_droppingRecord)
            {
                return;
            }

            Resume();
        }

        if (++_column >= _maxColumns)
        {
            StartDropping(CsvLimit.Columns, record: true);
            return;
        }

        if (++_lineChars > _maxLineChars)
        {
            StartDropping(CsvLimit.Line, record: true);
            return;
        }

        Emit(c);
    }

    private void EndRecord(char c)
    {
        if (_dropping is not null)
        {
            Resume();
        }

        _fieldStart = true;
        _column = 0;
        _lineChars = 0;
        _afterCarriageReturn = c == '\r';
        Emit(c);
    }

    private void StartDropping(CsvLimit kind, bool record)
    {
        // Nothing of this character is queued yet, so the parser has seen exactly _emitted characters.
        _dropping = new CsvLimitHit(_emitted + _outCount, _column, kind);
        _droppingRecord = record;
        _hits.Enqueue(_dropping);
    }

    /// <summary>Ends a drop at a field or record boundary, closing the quote the parser saw open.</summary>
    private void Resume()
    {
        _dropping = null;
        _droppingRecord = false;
        if (_emittedInQuotes)
        {
            _emittedInQuotes = false;
            Emit('"');
        }
    }
}
