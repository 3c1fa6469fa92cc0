using System.Globalization;

namespace Matching.Ingestion;

/// <summary>A part of an .xlsx package as it inflates, stopped with a clear error as soon as it passes the part size limit
/// or inflates more than the compression ratio limit allows, whatever sizes the package declares.</summary>
internal sealed class InflateLimitStream : Stream
{
    /// <summary>Parts that inflate to less than this are never refused for their ratio: tiny parts compress unevenly.</summary>
    public const long RatioGrace = 1 << 20;

    private readonly Stream _inner;
    private readonly string _path;
    private readonly string _part;
    private readonly long _compressed;
    private readonly long _maxBytes;
    private readonly long _maxRatioBytes;
    private readonly int _maxRatio;
    private long _inflated;

    public InflateLimitStream(Stream inner, string path, string part, long compressedLength, long maxBytes, int maxRatio)
    {
        _inner = inner;
        _path = path;
        _part = part;
        _compressed = compressedLength;
        _maxBytes = maxBytes;
        _maxRatio = maxRatio;
        _maxRatioBytes = Math.Max(RatioGrace, compressedLength > long.MaxValue / maxRatio ? long.MaxValue : compressedLength * maxRatio);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _inflated;
        set => throw new NotSupportedException();
    }

    /// <summary>Refuses a part by the sizes its package declares, before inflating any of it.</summary>
    public static void CheckDeclared(string path, string part, long length, long compressedLength, long maxBytes, int maxRatio)
    {
        if (length > maxBytes)
        {
            throw TooLarge(path, part, maxBytes);
        }

        if (length > RatioGrace && length / Math.Max(1, compressedLength) >= maxRatio)
        {
            throw TooCompressed(path, part, compressedLength, maxRatio);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        _inflated += read;
        if (_inflated > _maxBytes)
        {
            throw TooLarge(_path, _part, _maxBytes);
        }

        if (_inflated > _maxRatioBytes)
        {
            throw TooCompressed(_path, _part, _compressed, _maxRatio);
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static InputFormatException TooLarge(string path, string part, long maxBytes) =>
        new(path, 0, null, string.Create(CultureInfo.InvariantCulture,
            $"the workbook's part {part} inflates to more than {maxBytes:N0} bytes, the part size limit (--max-xlsx-part-bytes)"));

    private static InputFormatException TooCompressed(string path, string part, long compressed, int maxRatio) =>
        new(path, 0, null, string.Create(CultureInfo.InvariantCulture,
            $"the workbook's part {part} inflates to more than {maxRatio:N0} times its compressed size of {compressed:N0} bytes, as zip bombs do (the compression ratio limit, --max-xlsx-ratio)"));
}
