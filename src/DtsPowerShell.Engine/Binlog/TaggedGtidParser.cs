using System.Globalization;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// MySQL 8.3+ GTID_TAGGED_LOG_EVENT, written in MySQL's serialization format: a format version byte (not checked:
/// the fields say what they are), the message
/// size (counted from that byte), the last field id a reader must know, then fields as id and value, values as
/// variable-length integers (signed ones zig-zag), the uuid as 16 such integers, the tag as length and bytes.
/// </summary>
internal static class TaggedGtidParser
{
    private const ulong FlagsField = 0, SidField = 1, GnoField = 2, TagField = 3, LastCommittedField = 4, SequenceNumberField = 5;
    private const ulong CommitGroupTicketField = 11; // fields 6-11 are unsigned integers (timestamps, length, versions, ticket)

    public static GtidEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body)
    {
        var envelope = new SpanReader(body);
        envelope.ReadByte();
        var size = GtidSets.ReadVariableLength(ref envelope);
        var lastRequiredField = GtidSets.ReadVariableLength(ref envelope);
        if (size < (ulong)envelope.Offset || size > (ulong)body.Length)
        {
            throw new InvalidDataException($"A tagged GTID event claims {size} bytes; it has {body.Length}.");
        }

        var reader = new SpanReader(body[envelope.Offset..(int)size]);
        Guid? sid = null;
        long? gno = null;
        var tag = "";
        Span<byte> bytes = stackalloc byte[16];
        while (!reader.AtEnd)
        {
            var field = GtidSets.ReadVariableLength(ref reader);
            switch (field)
            {
                case SidField:
                    for (var i = 0; i < bytes.Length; i++)
                    {
                        var value = GtidSets.ReadVariableLength(ref reader);
                        bytes[i] = value <= byte.MaxValue ? (byte)value : throw new InvalidDataException($"Byte {i} of a tagged GTID's uuid is {value}.");
                    }

                    sid = new Guid(bytes, bigEndian: true);
                    break;
                case GnoField:
                    gno = GtidSets.ReadVariableLengthSigned(ref reader);
                    break;
                case TagField:
                    tag = MySqlGtidSet.ReadTag(ref reader, GtidSets.ReadVariableLength(ref reader));
                    break;
                case LastCommittedField or SequenceNumberField:
                    GtidSets.ReadVariableLengthSigned(ref reader);
                    break;
                case FlagsField or (> SequenceNumberField and <= CommitGroupTicketField):
                    GtidSets.ReadVariableLength(ref reader);
                    break;
                case var unknown when unknown <= lastRequiredField:
                    throw new InvalidDataException($"A tagged GTID event has field {unknown}, which a reader must understand; this reader does not know it.");
                default:
                    // A newer, ignorable field: its length is not written, so nothing after it can be read either.
                    reader.Offset = reader.Offset + reader.Remaining;
                    break;
            }
        }

        if (sid is null || gno is not (> 0 and <= (long)MySqlGtidSet.MaxNumber))
        {
            throw new InvalidDataException("A tagged GTID event lacks its uuid or transaction number.");
        }

        var gtid = tag.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"{sid:D}:{gno}") : string.Create(CultureInfo.InvariantCulture, $"{sid:D}:{tag}:{gno}");
        return new GtidEvent(header, gtid, Standalone: false, CommitId: null);
    }
}
