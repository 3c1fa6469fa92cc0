using System.Buffers.Binary;
using System.Text;

namespace Matching.Tests.Ingestion;

/// <summary>Writes minimal OLE2 compound files (version 3, 512-byte sectors) with the given streams at the root, as Excel
/// writes an encrypted workbook (EncryptionInfo, EncryptedPackage) or a binary one (Workbook).</summary>
internal static class CompoundFileBuilder
{
    private const int Sector = 512;
    private const uint Free = 0xFFFFFFFF;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FatSector = 0xFFFFFFFD;

    public static byte[] Encrypted() => Build(("EncryptionInfo", 4096), ("EncryptedPackage", 8192), ("\u0006DataSpaces", 4096));

    public static byte[] BinaryWorkbook() => Build(("\u0005SummaryInformation", 4096), ("\u0005DocumentSummaryInformation", 4096), ("Workbook", 8192), ("CompObj", 4096), ("Ole", 4096));

    /// <summary>A compound file whose streams have the given names and sizes (multiples of a sector, zero bytes).</summary>
    public static byte[] Build(params (string Name, int Size)[] streams)
    {
        var dataSectors = streams.Sum(s => s.Size / Sector);
        var directorySectors = (streams.Length + 1 + 3) / 4;
        var fatSectors = 1;
        while (fatSectors * 128 < fatSectors + directorySectors + dataSectors)
        {
            fatSectors++;
        }

        var fat = Enumerable.Repeat(FatSector, fatSectors).ToList();
        var firstDirectory = (uint)fat.Count;
        Chain(fat, directorySectors);
        var starts = new List<uint>();
        foreach (var (_, size) in streams)
        {
            starts.Add((uint)fat.Count);
            Chain(fat, size / Sector);
        }

        fat.AddRange(Enumerable.Repeat(Free, (fatSectors * 128) - fat.Count));

        var file = new byte[Sector * (1 + fat.Count)];
        var header = file.AsSpan(0, Sector);
        ((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x18..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1A..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1C..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1E..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x20..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], (uint)fatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x30..], firstDirectory);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x38..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x3C..], EndOfChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x44..], EndOfChain);
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(0x4C + (4 * i))..], i < fatSectors ? (uint)i : Free);
        }

        for (var i = 0; i < fat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(Sector + (4 * i)), fat[i]);
        }

        var directory = file.AsSpan(Sector * (1 + (int)firstDirectory), Sector * directorySectors);
        Entry(directory, 0, "Root Entry", 5, EndOfChain, 0, child: 1, right: Free);
        for (var i = 0; i < streams.Length; i++)
        {
            Entry(directory, i + 1, streams[i].Name, 2, starts[i], streams[i].Size, child: Free, right: i + 1 < streams.Length ? (uint)(i + 2) : Free);
        }

        return file;
    }

    private static void Chain(List<uint> fat, int sectors)
    {
        for (var i = 0; i < sectors; i++)
        {
            fat.Add(i + 1 < sectors ? (uint)(fat.Count + 1) : EndOfChain);
        }
    }

    private static void Entry(Span<byte> directory, int index, string name, byte type, uint start, long size, uint child, uint right)
    {
        var entry = directory.Slice(index * 128, 128);
        var nameBytes = Encoding.Unicode.GetBytes(name + "\0");
        nameBytes.CopyTo(entry);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[0x40..], (ushort)nameBytes.Length);
        entry[0x42] = type;
        entry[0x43] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[0x44..], Free);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[0x48..], right);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[0x4C..], child);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[0x74..], start);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[0x78..], (ulong)size);
    }
}
