using System.Buffers.Binary;

namespace Matching.Ingestion;

/// <summary>Counts the entries of a zip package by walking its central directory, before <see cref="System.IO.Compression.ZipArchive"/>
/// reads that directory into memory (a million tiny parts cost it half a gigabyte and ten seconds).</summary>
internal static class ZipParts
{
    private const uint EndSignature = 0x06054B50;
    private const uint Zip64LocatorSignature = 0x07064B50;
    private const uint Zip64EndSignature = 0x06064B50;
    private const uint EntrySignature = 0x02014B50;
    private const int EndLength = 22;
    private const int EntryLength = 46;

    /// <summary>The number of entries in the central directory of <paramref name="stream"/> (a buffered, seekable file),
    /// counting no further than <paramref name="stopAfter"/> + 1; null when the directory cannot be found or walked (the
    /// zip reader then says why).</summary>
    public static long? Count(Stream stream, long stopAfter)
    {
        try
        {
            var (offset, size) = Directory(stream);
            if (offset < 0 || size < 0 || offset + size > stream.Length)
            {
                return null;
            }

            stream.Position = offset;
            var end = offset + size;
            Span<byte> entry = stackalloc byte[EntryLength];
            long count = 0;
            var position = offset;
            while (position + EntryLength <= end && count <= stopAfter)
            {
                stream.ReadExactly(entry);
                if (BinaryPrimitives.ReadUInt32LittleEndian(entry) != EntrySignature)
                {
                    break;
                }

                count++;
                long variable = BinaryPrimitives.ReadUInt16LittleEndian(entry[28..]) + BinaryPrimitives.ReadUInt16LittleEndian(entry[30..])
                    + BinaryPrimitives.ReadUInt16LittleEndian(entry[32..]);
                position += EntryLength + variable;
                stream.Seek(variable, SeekOrigin.Current);
            }

            return count;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The offset and size of the central directory, from the end record (or its zip64 form).</summary>
    private static (long Offset, long Size) Directory(Stream stream)
    {
        var tailLength = (int)Math.Min(stream.Length, EndLength + ushort.MaxValue);
        if (tailLength < EndLength)
        {
            return (-1, -1);
        }

        var tail = new byte[tailLength];
        stream.Position = stream.Length - tailLength;
        stream.ReadExactly(tail);
        for (var at = tailLength - EndLength; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
            if (size != uint.MaxValue && offset != uint.MaxValue)
            {
                return (offset, size);
            }

            // Zip64: a locator right before the end record points to the zip64 end record.
            var locator = stream.Length - tailLength + at - 20;
            if (locator < 0)
            {
                return (-1, -1);
            }

            Span<byte> bytes = stackalloc byte[56];
            stream.Position = locator;
            stream.ReadExactly(bytes[..20]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Zip64LocatorSignature)
            {
                return (-1, -1);
            }

            var record = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
            if (record < 0 || record + 56 > stream.Length)
            {
                return (-1, -1);
            }

            stream.Position = record;
            stream.ReadExactly(bytes);
            return BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Zip64EndSignature
                ? (-1, -1)
                : ((long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[48..]), (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes[40..]));
        }

        return (-1, -1);
    }
}
