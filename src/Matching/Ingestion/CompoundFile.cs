using System.Buffers.Binary;
using System.Text;

namespace Matching.Ingestion;

/// <summary>Says what an OLE2 compound file (the container of Office 97–2003 documents, and of Office documents saved
/// with a password) is, by the names of the streams in its directory, so a reader can say it in the user's words.</summary>
/// <remarks>Only the header, the allocation table sectors on the directory's chain and the directory itself are read, each
/// sector at most once: a damaged or hostile file costs a few reads and is simply reported as an unknown compound file.</remarks>
internal static class CompoundFile
{
    /// <summary>The first eight bytes of every compound file.</summary>
    public static ReadOnlySpan<byte> Signature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private const uint LastRegularSector = 0xFFFFFFFA;
    private const int DirectoryEntrySize = 128;

    /// <summary>What a compound file holds.</summary>
    public enum Kind
    {
        /// <summary>Not readable as a compound file, or none of the below.</summary>
        Unknown,

        /// <summary>An Office Open XML document encrypted with a password: streams EncryptionInfo and EncryptedPackage.</summary>
        Encrypted,

        /// <summary>A binary Excel (BIFF) workbook, as Excel 97–2003 (.xls) and WPS (.et) write them: a Workbook or Book stream.</summary>
        BinaryWorkbook,
    }

    /// <summary>Whether <paramref name="head"/> (the first bytes of a file) starts with the compound file signature.</summary>
    public static bool IsCompoundFile(ReadOnlySpan<byte> head) => head.StartsWith(Signature);

    /// <summary>Reads the directory of the compound file <paramref name="stream"/> and says what it holds.</summary>
    public static Kind Identify(Stream stream)
    {
        try
        {
            var names = StreamNames(stream);
            if (names.Contains("EncryptedPackage"))
            {
                return Kind.Encrypted;
            }

            return names.Contains("Workbook") || names.Contains("Book") ? Kind.BinaryWorkbook : Kind.Unknown;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            return Kind.Unknown;
        }
    }

    /// <summary>The names of the directory entries (streams and storages), following the directory's sector chain.</summary>
    internal static HashSet<string> StreamNames(Stream stream)
    {
        var header = new byte[512];
        Read(stream, 0, header);
        if (!IsCompoundFile(header))
        {
            throw new InvalidDataException("no compound file signature");
        }

        var shift = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if (shift is not (9 or 12))
        {
            throw new InvalidDataException("unknown sector size");
        }

        var sectorSize = 1 << shift;
        var sectors = Math.Max(0, (stream.Length - sectorSize) / sectorSize);
        var fatSectors = FatSectors(stream, header, sectorSize, sectors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sector = new byte[sectorSize];
        var visited = new HashSet<uint>();
        var current = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30));
        while (current <= LastRegularSector && current < sectors && visited.Add(current))
        {
            Read(stream, (current + 1L) * sectorSize, sector);
            for (var offset = 0; offset + DirectoryEntrySize <= sectorSize; offset += DirectoryEntrySize)
            {
                var entry = sector.AsSpan(offset, DirectoryEntrySize);
                var nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(entry[0x40..]);
                if (entry[0x42] is 1 or 2 or 5 && nameBytes is >= 2 and <= 64 && nameBytes % 2 == 0)
                {
                    names.Add(Encoding.Unicode.GetString(entry[..(nameBytes - 2)]));
                }
            }

            current = Next(stream, fatSectors, current, sectorSize, sectors);
        }

        return names;
    }

    /// <summary>The sectors of the allocation table, from the header's 109 entries and then the DIFAT chain.</summary>
    private static List<uint> FatSectors(Stream stream, byte[] header, int sectorSize, long sectors)
    {
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x2C));
        var fat = new List<uint>();
        for (var i = 0; i < 109 && fat.Count < count; i++)
        {
            fat.Add(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + (4 * i))));
        }

        var difat = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
        var sector = new byte[sectorSize];
        var visited = new HashSet<uint>();
        while (fat.Count < count && fat.Count <= sectors && difat <= LastRegularSector && difat < sectors && visited.Add(difat))
        {
            Read(stream, (difat + 1L) * sectorSize, sector);
            for (var i = 0; i < (sectorSize / 4) - 1 && fat.Count < count; i++)
            {
                fat.Add(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(4 * i)));
            }

            difat = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(sectorSize - 4));
        }

        return fat;
    }

    private static uint Next(Stream stream, List<uint> fatSectors, uint sector, int sectorSize, long sectors)
    {
        var perSector = sectorSize / 4;
        var index = (int)(sector / perSector);
        if (index >= fatSectors.Count || fatSectors[index] >= sectors)
        {
            return uint.MaxValue;
        }

        Span<byte> entry = stackalloc byte[4];
        Read(stream, ((fatSectors[index] + 1L) * sectorSize) + (4L * (sector % perSector)), entry);
        return BinaryPrimitives.ReadUInt32LittleEndian(entry);
    }

    private static void Read(Stream stream, long offset, Span<byte> buffer)
    {
        stream.Position = offset;
        stream.ReadExactly(buffer);
    }
}
