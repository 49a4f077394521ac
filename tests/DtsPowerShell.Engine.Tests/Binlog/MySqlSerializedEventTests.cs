using System.Buffers.Binary;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// Events MySQL writes in its newer encodings, built here byte by byte from the format's description:
/// HEARTBEAT_V2 (type-length-value fields) and GTID_TAGGED (MySQL's serialization format).
/// </summary>
public class MySqlSerializedEventTests
{
    private const string Sid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    [Fact]
    public void A_v2_heartbeat_carries_a_position_beyond_4_gib()
    {
        var body = new List<byte> { 1, 16 };
        body.AddRange("mysql-bin.000042"u8.ToArray());
        body.AddRange([2, 9, 0xFE]);
        body.AddRange(LittleEndian(5_000_000_000UL));
        body.Add(0);
        var heartbeat = Assert.IsType<HeartbeatEvent>(new BinlogEventDecoder().Decode(HandBuiltEvents.Event(41, [.. body])));
        Assert.Equal("mysql-bin.000042", heartbeat.File);
        Assert.Equal(5_000_000_000UL, heartbeat.Position);
    }

    [Fact]
    public void A_tagged_gtid_reads_as_uuid_tag_number_whatever_its_other_fields()
    {
        var fields = new List<byte>();
        Field(fields, 0, Unsigned(1));
        Field(fields, 1, [.. Guid.Parse(Sid).ToByteArray(bigEndian: true).SelectMany(b => Unsigned(b))]);
        Field(fields, 2, Signed(1_000_000));
        Field(fields, 3, [.. Unsigned(7), .. "Batch_1"u8.ToArray()]);
        Field(fields, 4, Signed(5));
        Field(fields, 5, Signed(6));
        Field(fields, 6, Unsigned(1_732_500_000_000_000));
        Field(fields, 8, Unsigned(300));
        Field(fields, 9, Unsigned(90600));
        Field(fields, 20, [0x55, 0x66]); // a newer field, ignorable (past the last required one)
        var gtid = Assert.IsType<GtidEvent>(new BinlogEventDecoder().Decode(HandBuiltEvents.Event(42, Message(lastRequiredField: 11, fields))));
        Assert.Equal($"{Sid}:batch_1:1000000", gtid.Gtid);
    }

    [Fact]
    public void A_tagged_gtid_with_a_required_field_this_reader_does_not_know_is_refused()
    {
        var fields = new List<byte>();
        Field(fields, 1, [.. Guid.Parse(Sid).ToByteArray(bigEndian: true).SelectMany(b => Unsigned(b))]);
        Field(fields, 2, Signed(3));
        Field(fields, 12, Unsigned(1));
        var error = Assert.Throws<InvalidDataException>(() => new BinlogEventDecoder().Decode(HandBuiltEvents.Event(42, Message(lastRequiredField: 12, fields))));
        Assert.Contains("field 12", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("size beyond the event", "claims")]
    [InlineData("uuid byte over 255", "uuid is 300")]
    [InlineData("tag longer than the event", "does not fit")]
    [InlineData("tag with a colon", "not a GTID tag")]
    [InlineData("no transaction number", "lacks its uuid or transaction number")]
    public void A_malformed_tagged_gtid_is_refused_as_invalid_data(string damage, string reason)
    {
        var uuid = Guid.Parse(Sid).ToByteArray(bigEndian: true).SelectMany(b => Unsigned(b)).ToList();
        if (damage == "uuid byte over 255")
        {
            uuid = [.. Unsigned(300), .. uuid.Skip(1)];
        }

        var fields = new List<byte>();
        Field(fields, 1, [.. uuid]);
        if (damage != "no transaction number")
        {
            Field(fields, 2, Signed(3));
        }

        var tag = damage == "tag with a colon" ? "a:b"u8.ToArray() : "ok"u8.ToArray();
        Field(fields, 3, [.. Unsigned(damage == "tag longer than the event" ? 200UL : (ulong)tag.Length), .. tag]);
        var message = Message(lastRequiredField: 3, fields);
        if (damage == "size beyond the event")
        {
            message[1] = 0xFE; // size 127
        }

        var error = Assert.Throws<InvalidDataException>(() => new BinlogEventDecoder().Decode(HandBuiltEvents.Event(42, message)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(65535UL)]
    [InlineData((1UL << 56) - 1)]
    [InlineData(1UL << 56)]
    [InlineData(ulong.MaxValue)]
    public void Variable_length_integers_round_trip(ulong value)
    {
        var bytes = Unsigned(value);
        var reader = new Engine.Protocol.SpanReader(bytes);
        Assert.Equal(value, GtidSets.ReadVariableLength(ref reader));
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void Variable_length_integers_match_the_format_description()
    {
        // MySQL's serialization readme: 65535 is "00000111 11111111 11111011" (big-endian bytes), i.e. FB FF 07.
        Assert.Equal([0xFB, 0xFF, 0x07], Unsigned(65535));
        Assert.Equal([0xF3, 0xFF, 0x0F], Signed(65535));
        Assert.Equal([0xEB, 0xFF, 0x0F], Signed(-65535));
        Assert.Equal([0xFB, 0xFF, 0x0F], Signed(-65536));
    }

    private static byte[] Unsigned(ulong value)
    {
        var bytes = new byte[9];
        return bytes[..GtidSets.WriteVariableLength(bytes, value)];
    }

    private static byte[] Signed(long value) => Unsigned(value >= 0 ? (ulong)value << 1 : ((ulong)(-(value + 1)) << 1) | 1);

    private static void Field(List<byte> fields, ulong id, byte[] value)
    {
        fields.AddRange(Unsigned(id));
        fields.AddRange(value);
    }

    /// <summary>Version byte, size (counted from the version byte, itself included), last required field id, fields.</summary>
    private static byte[] Message(ulong lastRequiredField, List<byte> fields)
    {
        var last = Unsigned(lastRequiredField);
        var size = (ulong)(1 + last.Length + fields.Count + 1);
        while ((ulong)(1 + Unsigned(size).Length + last.Length + fields.Count) != size)
        {
            size = (ulong)(1 + Unsigned(size).Length + last.Length + fields.Count);
        }

        return [2, .. Unsigned(size), .. last, .. fields];
    }

    private static byte[] LittleEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return bytes;
    }
}
