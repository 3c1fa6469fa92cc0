using System.Text;

namespace Matching.Ingestion;

/// <summary>Bytes that do not decode in the chosen encoding: where they are and what they are.</summary>
internal sealed record UndecodableBytes(int Line, string Problem);

/// <summary>How to decode a text file: the strict encoding, and how many byte-order-mark bytes to skip.</summary>
/// <remarks>When <see cref="Invalid"/> is set the file cannot be decoded; <see cref="Lenient"/> then decodes it with
/// replacement characters, so a format reader can find the field the bad bytes sit in.</remarks>
internal sealed record TextEncodingChoice(Encoding Encoding, int PreambleLength, UndecodableBytes? Invalid = null)
{
    public Encoding Lenient => Encoding.GetEncoding(Encoding.CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));
}

/// <summary>Chooses the encoding of a text input file by reading it once, in chunks, before it is parsed.</summary>
/// <remarks>Validating up front rather than while parsing is what lets an error name the line of the bad bytes:
/// a reader decodes ahead of the parser in buffer-sized blocks, so a decoding exception there knows no line.</remarks>
internal static class TextEncodings
{
    internal const int ChunkSize = 1 << 16;

    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding StrictUtf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Encoding StrictGb18030 => Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>Decides how to decode <paramref name="path"/>; <paramref name="requested"/> null means detect.</summary>
    public static TextEncodingChoice Choose(string path, Encoding? requested)
    {
        using var stream = OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..headLength];

        if (requested is not null)
        {
            var strict = Encoding.GetEncoding(requested.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            var preamble = MatchingPreamble(head, strict.CodePage);
            return Validate(stream, strict, preamble);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Validate(stream, StrictUtf8, 3);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            var codePage = head[0] == 0xFF ? 1200 : 1201;
            return Validate(stream, Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback), 2);
        }

        stream.Position = 0;
        var scan = Utf8Scan.Run(stream);
        if (scan.FirstInvalid is null)
        {
            return new TextEncodingChoice(StrictUtf8, 0);
        }

        // A GBK file read as UTF-8 is mostly invalid sequences with a few accidental valid ones (模 is C4 A3, a valid
        // two-byte UTF-8 sequence); a damaged UTF-8 file is the other way round.
        if (scan.ValidMultibyte == 0 || scan.InvalidSequences > scan.ValidMultibyte)
        {
            stream.Position = 0;
            if (FindUndecodable(stream, StrictGb18030) is null)
            {
                return new TextEncodingChoice(StrictGb18030, 0);
            }
        }

        return new TextEncodingChoice(StrictUtf8, 0, scan.FirstInvalid);
    }

    /// <summary>Opens <paramref name="path"/> as text positioned after its byte-order mark, decoding strictly.</summary>
    public static StreamReader OpenReader(string path, TextEncodingChoice choice, Encoding? encoding = null)
    {
        var stream = OpenRead(path);
        stream.Position = choice.PreambleLength;
        return new StreamReader(stream, encoding ?? choice.Encoding, detectEncodingFromByteOrderMarks: false, ChunkSize);
    }

    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, 0, null, "file not found", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, null, $"cannot read the file: {e.Message}", inner: e);
        }
    }

    private static int MatchingPreamble(ReadOnlySpan<byte> head, int codePage) => codePage switch
    {
        65001 when head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) => 3,
        1200 when head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) => 2,
        1201 when head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) => 2,
        54936 when head.StartsWith((ReadOnlySpan<byte>)[0x84, 0x31, 0x95, 0x33]) => 4,
        _ => 0,
    };

    private static TextEncodingChoice Validate(Stream stream, Encoding strict, int preambleLength)
    {
        stream.Position = preambleLength;
        UndecodableBytes? invalid;
        if (strict.CodePage == 65001)
        {
            // Our own scanner rather than the decoder: it reports the sequence as people read it in a hex dump (C3 28).
            invalid = Utf8Scan.Run(stream).FirstInvalid;
        }
        else
        {
            invalid = FindUndecodable(stream, strict);
        }

        return new TextEncodingChoice(strict, preambleLength, invalid);
    }

    /// <summary>Decodes the rest of <paramref name="stream"/> strictly; returns the first undecodable bytes, or null.</summary>
    private static UndecodableBytes? FindUndecodable(Stream stream, Encoding strict)
    {
        var decoder = strict.GetDecoder();
        var bytes = new byte[ChunkSize];
        var chars = new char[strict.GetMaxCharCount(ChunkSize)];
        var line = 1;
        while (true)
        {
            var count = stream.Read(bytes, 0, bytes.Length);
            try
            {
                var decoded = decoder.GetChars(bytes, 0, count, chars, 0, flush: count == 0);
                line += chars.AsSpan(0, decoded).Count('\n');
            }
            catch (DecoderFallbackException e)
            {
                var before = Math.Clamp(e.Index, 0, count);
                var lenient = Encoding.GetEncoding(strict.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
                line += lenient.GetString(bytes, 0, before).AsSpan().Count('\n');
                var hex = Hex(e.BytesUnknown ?? []);
                return new UndecodableBytes(line, $"invalid {strict.WebName} byte sequence {hex} (check --encoding)");
            }

            if (count == 0)
            {
                return null;
            }
        }
    }

    internal static string Hex(ReadOnlySpan<byte> bytes)
    {
        var parts = new string[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            parts[i] = $"0x{bytes[i]:X2}";
        }

        return string.Join(' ', parts);
    }
}

/// <summary>One pass of UTF-8 validation that counts valid multi-byte and invalid sequences and remembers the
/// first invalid one with its line.</summary>
internal sealed class Utf8Scan
{
    public long ValidMultibyte { get; private set; }

    public long InvalidSequences { get; private set; }

    public UndecodableBytes? FirstInvalid { get; private set; }

    /// <summary>Scans the rest of <paramref name="stream"/>; a small <paramref name="chunkSize"/> lets tests split sequences.</summary>
    public static Utf8Scan Run(Stream stream, int chunkSize = TextEncodings.ChunkSize)
    {
        var scan = new Utf8Scan();
        var buffer = new byte[chunkSize];
        Span<byte> sequence = stackalloc byte[4];
        var sequenceLength = 0;
        var sequenceLine = 0;
        var needed = 0;
        byte low = 0x80, high = 0xBF;
        var line = 1;
        int count;
        while ((count = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var chunk = buffer.AsSpan(0, count);
            var i = 0;
            while (i < count)
            {
                if (needed == 0)
                {
                    var rest = chunk[i..];
                    var ascii = rest.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
                    if (ascii < 0)
                    {
                        line += rest.Count((byte)'\n');
                        break;
                    }

                    line += rest[..ascii].Count((byte)'\n');
                    i += ascii;
                    var lead = chunk[i];
                    (needed, low, high) = lead switch
                    {
                        >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
                        0xE0 => (2, (byte)0xA0, (byte)0xBF),
                        0xED => (2, (byte)0x80, (byte)0x9F),
                        >= 0xE1 and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
                        0xF0 => (3, (byte)0x90, (byte)0xBF),
                        >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
                        0xF4 => (3, (byte)0x80, (byte)0x8F),
                        _ => (0, (byte)0, (byte)0),
                    };
                    i++;
                    if (needed == 0)
                    {
                        scan.Invalid([lead], line, "");
                        continue;
                    }

                    sequence[0] = lead;
                    sequenceLength = 1;
                    sequenceLine = line;
                }
                else
                {
                    var next = chunk[i];
                    if (next >= low && next <= high)
                    {
                        sequence[sequenceLength++] = next;
                        (low, high) = ((byte)0x80, (byte)0xBF);
                        i++;
                        if (--needed == 0)
                        {
                            scan.ValidMultibyte++;
                        }
                    }
                    else
                    {
                        // Show the byte that broke the sequence too, but read it again: it may start the next one.
                        sequence[sequenceLength] = next;
                        scan.Invalid(sequence[..(sequenceLength + 1)], sequenceLine, "");
                        needed = 0;
                    }
                }
            }
        }

        if (needed > 0)
        {
            scan.Invalid(sequence[..sequenceLength], sequenceLine, " at the end of the file");
        }

        return scan;
    }

    private void Invalid(ReadOnlySpan<byte> bytes, int line, string where)
    {
        InvalidSequences++;
        FirstInvalid ??= new UndecodableBytes(line, $"invalid UTF-8 byte sequence {TextEncodings.Hex(bytes)}{where} (set --encoding if the file is not UTF-8)");
    }
}
