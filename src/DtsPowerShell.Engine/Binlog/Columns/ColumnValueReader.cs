using System.Buffers.Binary;
using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// Reads one column value of a row image. Integers come out signed or unsigned as the column says (signed
/// when the binlog does not say), DECIMAL exact, character data as strings in the column's character set
/// (bytes when that is binary or not known), ENUM as its 1-based index, SET and BIT as bit masks, JSON as text.
/// </summary>
internal static class ColumnValueReader
{
    private const int BinaryCollation = 63;

    public static object Read(ref SpanReader reader, ColumnInfo column)
    {
        var meta = column.Metadata;
        var unsigned = column.Unsigned == true;
        switch (column.Type)
        {
            case ColumnType.Tiny:
                var tiny = reader.ReadByte();
                return unsigned ? tiny : (sbyte)tiny;
            case ColumnType.Short:
                var small = reader.ReadUInt16();
                return unsigned ? small : (short)small;
            case ColumnType.Int24:
                var medium = reader.ReadUInt24();
                return unsigned ? medium : (int)(medium << 8) >> 8;
            case ColumnType.Long:
                var integer = reader.ReadUInt32();
                return unsigned ? integer : (int)integer;
            case ColumnType.LongLong:
                var big = reader.ReadUInt64();
                return unsigned ? big : (long)big;
            case ColumnType.Float:
                return BinaryPrimitives.ReadSingleLittleEndian(reader.ReadBytes(4));
            case ColumnType.Double:
                return BinaryPrimitives.ReadDoubleLittleEndian(reader.ReadBytes(8));
            case ColumnType.NewDecimal:
                var (precision, scale) = (meta >> 8, meta & 0xFF);
                return PackedDecimal.ToValue(reader.ReadBytes(PackedDecimal.Size(precision, scale)), precision, scale);
            case ColumnType.Year:
                var year = reader.ReadByte();
                return year == 0 ? 0 : 1900 + year;
            case ColumnType.Date or ColumnType.NewDate:
                return TemporalValues.Date(reader.ReadUInt24());
            case ColumnType.Time:
                return TemporalValues.Time((int)(reader.ReadUInt24() << 8) >> 8);
            case ColumnType.DateTime:
                return TemporalValues.DateTime(reader.ReadUInt64());
            case ColumnType.Timestamp:
                return TemporalValues.Timestamp(reader.ReadUInt32(), 0);
            case ColumnType.Timestamp2:
                return TemporalValues.Timestamp2(reader.ReadBytes(4 + TemporalValues.FractionBytes(meta)), meta);
            case ColumnType.DateTime2:
                return TemporalValues.DateTime2(reader.ReadBytes(5 + TemporalValues.FractionBytes(meta)), meta);
            case ColumnType.Time2:
                return TemporalValues.Time2(reader.ReadBytes(3 + TemporalValues.FractionBytes(meta)), meta);
            case ColumnType.VarChar or ColumnType.VarString:
                return Text(reader.ReadBytes(meta < 256 ? reader.ReadByte() : reader.ReadUInt16()), column);
            case ColumnType.String:
                var fixedLength = reader.ReadBytes(meta < 256 ? reader.ReadByte() : reader.ReadUInt16());
                // BINARY(n) is logged without its trailing zero bytes; the column's value has them.
                return column.Collation == BinaryCollation && fixedLength.Length < meta ? Padded(fixedLength, meta) : Text(fixedLength, column);
            case ColumnType.Enum:
                return meta == 1 ? (int)reader.ReadByte() : (int)reader.ReadUInt16();
            case ColumnType.Set:
                return LittleEndian(reader.ReadBytes(meta));
            case ColumnType.Bit:
                var bits = ((meta >> 8) * 8) + (meta & 0xFF);
                return BigEndian.Read(reader.ReadBytes((bits + 7) / 8));
            case ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob:
                return Text(reader.ReadBytes(LengthPrefix(ref reader, meta)), column);
            case ColumnType.VarCharCompressed:
                return Text(MariaDbCompression.DecompressColumn(reader.ReadBytes(meta < 256 ? reader.ReadByte() : reader.ReadUInt16())), column);
            case ColumnType.BlobCompressed:
                return Text(MariaDbCompression.DecompressColumn(reader.ReadBytes(LengthPrefix(ref reader, meta))), column);
            case ColumnType.Json:
                return JsonBinaryDecoder.Decode(reader.ReadBytes(LengthPrefix(ref reader, meta)));
            case ColumnType.Geometry or ColumnType.Vector:
                return reader.ReadBytes(LengthPrefix(ref reader, meta)).ToArray();
            default:
                throw new InvalidDataException($"Column type {column.Type} ({(byte)column.Type}) cannot be decoded from a row image.");
        }
    }

    /// <summary>A JSON column's value in a partial after image: a list of changes to the before image's document.</summary>
    public static JsonPartialUpdate ReadJsonDiffs(ref SpanReader reader, ColumnInfo column)
    {
        var diffs = new SpanReader(reader.ReadBytes(LengthPrefix(ref reader, column.Metadata)));
        var list = new List<JsonDiff>();
        while (!diffs.AtEnd)
        {
            var operation = diffs.ReadByte();
            if (operation > (byte)JsonDiffOperation.Remove)
            {
                throw new InvalidDataException($"A partial JSON update has the unknown operation {operation}.");
            }

            var path = Encoding.UTF8.GetString(diffs.ReadLengthEncodedBytes());
            var value = operation == (byte)JsonDiffOperation.Remove ? null : JsonBinaryDecoder.Decode(diffs.ReadLengthEncodedBytes());
            list.Add(new JsonDiff((JsonDiffOperation)operation, path, value));
        }

        return new JsonPartialUpdate(list);
    }

    private static byte[] Padded(ReadOnlySpan<byte> bytes, int length)
    {
        var padded = new byte[length];
        bytes.CopyTo(padded);
        return padded;
    }

    private static int LengthPrefix(ref SpanReader reader, int lengthBytes) => lengthBytes switch
    {
        1 => reader.ReadByte(),
        2 => reader.ReadUInt16(),
        3 => (int)reader.ReadUInt24(),
        4 => reader.ReadCount32(),
        _ => throw new InvalidDataException($"A BLOB length of {lengthBytes} bytes is not valid."),
    };

    private static object Text(ReadOnlySpan<byte> bytes, ColumnInfo column) =>
        column.TextEncoding is { } encoding ? encoding.GetString(bytes) : bytes.ToArray();

    private static ulong LittleEndian(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        return value;
    }

}
