using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>GTID sets as text: MySQL's <c>uuid:1-5:7,uuid2:3</c> and MariaDB's <c>domain-server-sequence,...</c>.</summary>
internal static class GtidSets
{
    /// <summary>
    /// MySQL's binary GTID set (PREVIOUS_GTIDS, COM_BINLOG_DUMP_GTID): intervals with exclusive ends. From MySQL
    /// 8.3 the top byte of the count may say "tagged": the count then sits in bits 8-55 and each uuid has a tag.
    /// </summary>
    public static string MySqlFromBinary(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        var header = reader.ReadUInt64();
        var tagged = header >> 56 == 1;
        var sids = tagged ? (header >> 8) & 0xFFFFFFFFFFFF : header & 0xFFFFFFFFFFFFFF;
        var text = new StringBuilder();
        for (ulong i = 0; i < sids; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(new Guid(reader.ReadBytes(16), bigEndian: true).ToString("D"));
            if (tagged && ReadVariableLength(ref reader) is var tagLength and > 0)
            {
                text.Append(':').Append(Encoding.ASCII.GetString(reader.ReadBytes(tagLength <= (ulong)reader.Remaining ? (int)tagLength : throw new InvalidDataException($"A GTID tag of {tagLength} bytes does not fit."))));
            }

            var intervals = reader.ReadUInt64();
            for (ulong j = 0; j < intervals; j++)
            {
                var start = reader.ReadUInt64();
                var end = reader.ReadUInt64() - 1;
                text.Append(CultureInfo.InvariantCulture, $":{start}");
                if (end != start)
                {
                    text.Append(CultureInfo.InvariantCulture, $"-{end}");
                }
            }
        }

        return text.ToString();
    }

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
