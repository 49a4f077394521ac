using System.Globalization;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>GTID sets as text: MySQL's <c>uuid:1-5:7,uuid2:3</c> and MariaDB's <c>domain-server-sequence,...</c>.</summary>
internal static class GtidSets
{
    /// <summary>MySQL's binary GTID set (PREVIOUS_GTIDS, COM_BINLOG_DUMP_GTID) as text, tags included.</summary>
    public static string MySqlFromBinary(ReadOnlySpan<byte> data) => MySqlGtidSet.Decode(data).ToString();

    /// <summary>
    /// MySQL's serialization format for unsigned integers: the count of trailing one bits in the first byte is the
    /// number of bytes that follow; the value is the little-endian whole shifted right past those bits.
    /// </summary>
    internal static ulong ReadVariableLength(ref SpanReader reader)
    {
        var first = reader.ReadByte();
        var extra = System.Numerics.BitOperations.TrailingZeroCount(~(uint)first);
        if (extra >= 8)
        {
            return reader.ReadUInt64();
        }

        ulong value = first;
        for (var i = 1; i <= extra; i++)
        {
            value |= (ulong)reader.ReadByte() << (8 * i);
        }

        return value >> (extra + 1);
    }

    /// <summary>A signed integer in the serialization format: zig-zag, the sign in the lowest bit.</summary>
    internal static long ReadVariableLengthSigned(ref SpanReader reader)
    {
        var value = ReadVariableLength(ref reader);
        return (value & 1) == 0 ? (long)(value >> 1) : -(long)(value >> 1) - 1;
    }

    /// <summary>Writes <paramref name="value"/> in the serialization format; returns the bytes used (1-9).</summary>
    internal static int WriteVariableLength(Span<byte> destination, ulong value)
    {
        var bytes = 1;
        while (bytes < 9 && value >> (7 * bytes) != 0)
        {
            bytes++;
        }

        if (bytes == 9)
        {
            destination[0] = 0xFF;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], value);
            return 9;
        }

        var encoded = (value << bytes) | ((1UL << (bytes - 1)) - 1);
        for (var i = 0; i < bytes; i++)
        {
            destination[i] = (byte)(encoded >> (8 * i));
        }

        return bytes;
    }

    /// <summary>MariaDB's GTID_LIST event: a count (low 28 bits) and domain, server, sequence triples.</summary>
    public static string MariaDbFromList(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        var count = reader.ReadUInt32() & 0x0FFFFFFF;
        var gtids = new List<string>();
        for (uint i = 0; i < count; i++)
        {
            var domain = reader.ReadUInt32();
            var server = reader.ReadUInt32();
            var sequence = reader.ReadUInt64();
            gtids.Add(string.Create(CultureInfo.InvariantCulture, $"{domain}-{server}-{sequence}"));
        }

        return string.Join(',', gtids);
    }
}
