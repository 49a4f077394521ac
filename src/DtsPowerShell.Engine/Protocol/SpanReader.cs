using System.Buffers.Binary;
using System.Text;

namespace DtsPowerShell.Engine.Protocol;

/// <summary>
/// Reads little-endian integers, length-encoded values and strings from a span, as the MySQL protocol and
/// the binlog format write them. Reading past the end throws <see cref="InvalidDataException"/>.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> data;

    public SpanReader(ReadOnlySpan<byte> data)
    {
        this.data = data;
        Offset = 0;
    }

    public int Offset { get; set; }

    public readonly int Remaining => data.Length - Offset;

    public readonly bool AtEnd => Offset >= data.Length;

    public readonly ReadOnlySpan<byte> Rest => data[Offset..];

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt24()
    {
        var bytes = Take(3);
        return (uint)(bytes[0] | (bytes[1] << 8) | (bytes[2] << 16));
    }

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ulong ReadUInt48()
    {
        var bytes = Take(6);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]) << 32);
    }

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>A length-encoded integer (1, 3, 4 or 9 bytes); 0xFB (NULL) reads as null.</summary>
    public ulong? ReadLengthEncodedNullable()
    {
        var first = ReadByte();
        return first switch
        {
            < 0xFB => first,
            0xFB => null,
            0xFC => ReadUInt16(),
            0xFD => ReadUInt24(),
            0xFE => ReadUInt64(),
            _ => throw new InvalidDataException($"Invalid length-encoded integer 0xFF at offset {Offset - 1}."),
        };
    }

    public ulong ReadLengthEncoded() =>
        ReadLengthEncodedNullable() ?? throw new InvalidDataException($"Unexpected NULL length at offset {Offset - 1}.");

    public ReadOnlySpan<byte> ReadLengthEncodedBytes() => ReadBytes(ReadLengthEncodedCount());

    /// <summary>A length-encoded byte length or item count, which cannot exceed the bytes left.</summary>
    public int ReadLengthEncodedCount() => Bounded(ReadLengthEncoded(), Remaining);

    /// <summary>A 4-byte byte length or item count, which cannot exceed the bytes left.</summary>
    public int ReadCount32() => Bounded(ReadUInt32(), Remaining);

    /// <summary>A length-encoded count of bits (columns), which cannot exceed eight per byte left.</summary>
    public int ReadLengthEncodedBitCount() => Bounded(ReadLengthEncoded(), Remaining * 8L);

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    /// <summary>Bytes up to (not including) the next NUL, which is consumed; all the rest when there is none.</summary>
    public ReadOnlySpan<byte> ReadNullTerminated()
    {
        var rest = Rest;
        var end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            Offset = data.Length;
            return rest;
        }

        Offset += end + 1;
        return rest[..end];
    }

    public string ReadNullTerminatedString() => Encoding.UTF8.GetString(ReadNullTerminated());

    public string ReadString(int count) => Encoding.UTF8.GetString(ReadBytes(count));

    public void Skip(int count) => Take(count);

    private readonly int Bounded(ulong value, long limit) => value <= (ulong)limit
        ? (int)value
        : throw new InvalidDataException($"A length or count of {value} at offset {Offset} exceeds what the remaining {Remaining} bytes can hold.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > data.Length - Offset)
        {
            throw new InvalidDataException($"Data ends at offset {data.Length}; {count} more bytes were needed at offset {Offset}.");
        }

        var slice = data.Slice(Offset, count);
        Offset += count;
        return slice;
    }
}
