using System.Buffers.Binary;

namespace Matching.Features;

/// <summary>A growable byte buffer with LEB128 varints (the profile store's encoding).</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;

    public ByteWriter(int capacity = 4096) => _buffer = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Byte(byte value) => Take(1)[0] = value;

    public void UInt(uint value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    public void ULong(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    public void Int(int value) => UInt(checked((uint)value));

    public void Float(float value) => BinaryPrimitives.WriteSingleLittleEndian(Take(4), value);

    /// <summary>UTF-16 code units, two bytes each (Chinese text: two bytes a character instead of UTF-8's three).</summary>
    public void Chars(ReadOnlySpan<char> text)
    {
        Int(text.Length);
        var span = Take(text.Length * 2);
        for (var i = 0; i < text.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], text[i]);
        }
    }

    /// <summary>A sorted int array as its count and the differences between neighbours (unsigned, wrapping: packed
    /// bigrams of high characters are negative).</summary>
    public void Sorted(int[] values)
    {
        Int(values.Length);
        var previous = 0;
        foreach (var value in values)
        {
            UInt(unchecked((uint)(value - previous)));
            previous = value;
        }
    }

    public void Bytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));
}

/// <summary>Reads what <see cref="ByteWriter"/> wrote; throws <see cref="FormatException"/> past the end or on a
/// malformed value.</summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _data.Length;

    public byte Byte() => _position < _data.Length ? _data[_position++] : throw new FormatException("profile record cut short");

    public uint UInt()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Byte();
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("malformed varint in a profile record");
    }

    public ulong ULong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("malformed varint in a profile record");
    }

    public int Int()
    {
        var value = UInt();
        return value <= int.MaxValue ? (int)value : throw new FormatException("count out of range in a profile record");
    }

    /// <summary>A count of items that each take at least one byte: no larger than what is left.</summary>
    public int Count()
    {
        var value = Int();
        return value <= _data.Length - _position ? value : throw new FormatException("count past the end of a profile record");
    }

    public float Float()
    {
        if (_data.Length - _position < 4)
        {
            throw new FormatException("profile record cut short");
        }

        var value = BinaryPrimitives.ReadSingleLittleEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    public string String() => new(CharSpan());

    public char[] Chars() => CharSpan().ToArray();

    private ReadOnlySpan<char> CharSpan()
    {
        var length = Int();
        if (length > (_data.Length - _position) / 2)
        {
            throw new FormatException("text past the end of a profile record");
        }

        var bytes = _data.Slice(_position, length * 2);
        _position += length * 2;
        if (BitConverter.IsLittleEndian)
        {
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(bytes);
        }

        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]);
        }

        return chars;
    }

    public int[] Sorted()
    {
        var values = new int[Count()];
        var previous = 0;
        for (var i = 0; i < values.Length; i++)
        {
            previous = unchecked(previous + (int)UInt());
            values[i] = previous;
        }

        return values;
    }
}

/// <summary>The profile store's record encoding. A record is two parts: its term list (document length, then the store
/// ids of its terms in the order they first occur), read alone for corpus statistics, and its body (everything else
/// of <see cref="ProfileParts"/>).</summary>
internal static class ProfileCodec
{
    private const byte TermOnce = 0x10;
    private const byte WordAsTerm = 0x20;
    private const byte NotWord = 0x40;

    public static void WriteList(ByteWriter output, int length, ReadOnlySpan<int> storeIds)
    {
        output.Int(length);
        output.Int(storeIds.Length);
        foreach (var id in storeIds)
        {
            output.Int(id);
        }
    }

    /// <summary>Reads a term list: the document length, and the ids into <paramref name="ids"/> (resized as needed).</summary>
    public static int ReadList(ReadOnlySpan<byte> data, ref int[] ids, out int count)
    {
        var reader = new ByteReader(data);
        var length = reader.Int();
        count = reader.Count();
        if (ids.Length < count)
        {
            ids = new int[count];
        }

        for (var i = 0; i < count; i++)
        {
            ids[i] = reader.Int();
        }

        return reader.AtEnd ? length : throw new FormatException("trailing bytes after a profile term list");
    }

    public static void WriteBody(ByteWriter output, ProfileParts parts)
    {
        output.Byte((byte)((parts.Negated ? 1 : 0) | (parts.ShortTextComplete ? 2 : 0) | (parts.HasTitle ? 4 : 0)));
        output.Int(parts.Maturity);
        output.Chars(parts.Domain);
        output.Chars(parts.Region);
        output.Int(parts.TitleLength);
        output.Int(parts.BodyStart);
        output.Int(parts.LeadEnd);
        output.Int(parts.LeadLetters);
        output.Chars(parts.Text);
        output.Int(parts.Keywords.Length);
        for (var i = 0; i < parts.Keywords.Length; i++)
        {
            output.Chars(parts.Keywords[i]);
            output.Sorted(parts.KeywordBigrams[i]);
        }

        output.Int(parts.TermCounts.Length);
        for (var i = 0; i < parts.TermCounts.Length; i++)
        {
            var tf = parts.TermCounts[i];
            var words = parts.WordCounts[i];
            var flags = (byte)(parts.Flags[i] | (tf == 1 ? TermOnce : 0) | (words == 0 ? NotWord : words == tf ? WordAsTerm : 0));
            output.Byte(flags);
            if (tf != 1)
            {
                output.Int(tf);
            }

            if (words != 0 && words != tf)
            {
                output.Int(words);
            }
        }

        output.Int(parts.PairFirst.Length);
        for (var i = 0; i < parts.PairFirst.Length; i++)
        {
            output.Int(parts.PairFirst[i]);
            output.Int(parts.PairSecond[i]);
        }

        output.Sorted(parts.Chars);
        output.Sorted(parts.Bigrams);
        output.Chars(parts.ShortText);
        output.Sorted(parts.TitleBigrams);
        output.Int(parts.Specs.Length);
        foreach (var spec in parts.Specs)
        {
            output.ULong(spec.Quantity);
            output.Byte(spec.Dimension);
            output.Byte((byte)spec.Bound);
            output.Float(spec.Low);
            output.Float(spec.High);
        }
    }

    /// <summary>The body of a record whose term list holds <paramref name="terms"/> terms.</summary>
    public static ProfileParts ReadBody(ReadOnlySpan<byte> data, int terms, int length) => ReadBody(data, terms, length, null);

    /// <summary>The body of a record; with <paramref name="into"/>, its per-term data and word pairs go into those
    /// buffers (<see cref="ReadBuffers.TermCounts"/> …, the first <paramref name="terms"/> and
    /// <see cref="ReadBuffers.Pairs"/> entries) and the parts' own arrays for them are empty.</summary>
    public static ProfileParts ReadBody(ReadOnlySpan<byte> data, int terms, int length, ReadBuffers? into)
    {
        var reader = new ByteReader(data);
        var flags = reader.Byte();
        var maturity = reader.Int();
        var domain = reader.String();
        var region = reader.String();
        var titleLength = reader.Int();
        var bodyStart = reader.Int();
        var leadEnd = reader.Int();
        var leadLetters = reader.Int();
        var text = reader.String();
        var keywords = new string[reader.Count()];
        var keywordBigrams = new int[keywords.Length][];
        for (var i = 0; i < keywords.Length; i++)
        {
            keywords[i] = reader.String();
            keywordBigrams[i] = reader.Sorted();
        }

        if (reader.Int() != terms)
        {
            throw new FormatException("a profile's body and term list disagree");
        }

        int[] termCounts, wordCounts;
        byte[] termFlags;
        if (into is null)
        {
            termCounts = new int[terms];
            wordCounts = new int[terms];
            termFlags = new byte[terms];
        }
        else
        {
            into.Reserve(terms);
            (termCounts, wordCounts, termFlags) = (into.TermCounts, into.WordCounts, into.Flags);
        }

        for (var i = 0; i < terms; i++)
        {
            var f = reader.Byte();
            termFlags[i] = (byte)(f & 0x0F);
            var tf = (f & TermOnce) != 0 ? 1 : reader.Int();
            termCounts[i] = tf;
            wordCounts[i] = (f & NotWord) != 0 ? 0 : (f & WordAsTerm) != 0 ? tf : reader.Int();
        }

        var pairCount = reader.Count();
        int[] pairFirst, pairSecond;
        if (into is null)
        {
            pairFirst = new int[pairCount];
            pairSecond = new int[pairCount];
        }
        else
        {
            into.ReservePairs(pairCount);
            (pairFirst, pairSecond) = (into.PairFirst, into.PairSecond);
        }

        for (var i = 0; i < pairCount; i++)
        {
            pairFirst[i] = reader.Int();
            pairSecond[i] = reader.Int();
            if (pairFirst[i] >= terms || pairSecond[i] >= terms)
            {
                throw new FormatException("a profile's word pair names no term of it");
            }
        }

        var chars = reader.Sorted();
        var bigrams = reader.Sorted();
        var shortText = reader.Chars();
        var titleBigrams = reader.Sorted();
        var specs = new NumericSpec[reader.Count()];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = new NumericSpec(reader.ULong(), reader.Byte(), (SpecBound)reader.Byte(), reader.Float(), reader.Float());
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("trailing bytes after a profile record");
        }

        var pooled = into is not null;
        return new ProfileParts
        {
            TermCounts = pooled ? [] : termCounts,
            WordCounts = pooled ? [] : wordCounts,
            Flags = pooled ? [] : termFlags,
            PairFirst = pooled ? [] : pairFirst,
            PairSecond = pooled ? [] : pairSecond,
            Negated = (flags & 1) != 0,
            Length = length,
            Keywords = keywords,
            KeywordBigrams = keywordBigrams,
            Text = text,
            Chars = chars,
            Bigrams = bigrams,
            Domain = domain,
            Region = region,
            Maturity = maturity,
            ShortText = shortText,
            ShortTextComplete = (flags & 2) != 0,
            TitleLength = titleLength,
            BodyStart = bodyStart,
            LeadEnd = leadEnd,
            LeadLetters = leadLetters,
            HasTitle = (flags & 4) != 0,
            TitleBigrams = titleBigrams,
            Specs = specs,
        };
    }
}

/// <summary>Buffers one thread reuses for its stored reads: the raw bytes, the term list and the parts of a body that the
/// profile does not keep (per-term counts and flags, word pairs as local indices). A read used to allocate them all.</summary>
internal sealed class ReadBuffers
{
    [ThreadStatic]
    private static ReadBuffers? t_buffers;

    /// <summary>This thread's buffers.</summary>
    public static ReadBuffers ForThread => t_buffers ??= new ReadBuffers();

    public byte[] List { get; private set; } = new byte[1024];

    public byte[] Body { get; private set; } = new byte[8192];

    /// <summary>The term list's ids (store ids when read, then whatever the reader maps them to).</summary>
    public int[] Ids = new int[256];

    public int[] TermCounts { get; private set; } = new int[256];

    public int[] WordCounts { get; private set; } = new int[256];

    public byte[] Flags { get; private set; } = new byte[256];

    public int[] PairFirst { get; private set; } = new int[256];

    public int[] PairSecond { get; private set; } = new int[256];

    /// <summary>Word pairs of the last body read.</summary>
    public int Pairs { get; private set; }

    public Span<byte> ListBytes(int size)
    {
        if (List.Length < size)
        {
            List = new byte[Math.Max(size, List.Length * 2)];
        }

        return List.AsSpan(0, size);
    }

    public Span<byte> BodyBytes(int size)
    {
        if (Body.Length < size)
        {
            Body = new byte[Math.Max(size, Body.Length * 2)];
        }

        return Body.AsSpan(0, size);
    }

    public void Reserve(int terms)
    {
        if (TermCounts.Length < terms)
        {
            var size = Math.Max(terms, TermCounts.Length * 2);
            TermCounts = new int[size];
            WordCounts = new int[size];
            Flags = new byte[size];
        }
    }

    public void ReservePairs(int pairs)
    {
        Pairs = pairs;
        if (PairFirst.Length < pairs)
        {
            var size = Math.Max(pairs, PairFirst.Length * 2);
            PairFirst = new int[size];
            PairSecond = new int[size];
        }
    }
}
