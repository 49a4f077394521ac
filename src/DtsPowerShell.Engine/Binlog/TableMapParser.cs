using System.Text;
using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>Parses TABLE_MAP events, including the optional metadata of binlog_row_metadata MINIMAL/FULL.</summary>
internal static class TableMapParser
{
    private enum OptionalField : byte
    {
        Signedness = 1,
        DefaultCharset = 2,
        ColumnCharset = 3,
        ColumnName = 4,
        SetValues = 5,
        EnumValues = 6,
        GeometryType = 7,
        SimplePrimaryKey = 8,
        PrimaryKeyWithPrefix = 9,
        EnumAndSetDefaultCharset = 10,
        EnumAndSetColumnCharset = 11,
    }

    public static TableMapEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body, int postHeaderLength, bool mariaDb)
    {
        var reader = new SpanReader(body);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        reader.Skip(2);
        var database = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte()));
        reader.Skip(1);
        var table = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte()));
        reader.Skip(1);
        var count = reader.ReadLengthEncodedCount();
        var types = reader.ReadBytes(count);
        // MySQL 5.1 before 5.1.18 wrote no column metadata and no NULL bitmap.
        var metadata = new SpanReader(reader.AtEnd ? [] : reader.ReadLengthEncodedBytes());
        var nullBits = reader.AtEnd ? new byte[(count + 7) / 8] : reader.ReadBytes((count + 7) / 8);
        var columns = new ColumnInfo[count];
        for (var i = 0; i < count; i++)
        {
            var (type, meta) = ReadMetadata((ColumnType)types[i], ref metadata);
            columns[i] = new ColumnInfo(type, meta, (nullBits[i / 8] & (1 << (i % 8))) != 0);
        }

        while (!reader.AtEnd)
        {
            var field = (OptionalField)reader.ReadByte();
            var value = new SpanReader(reader.ReadLengthEncodedBytes());
            ApplyOptional(field, ref value, columns, mariaDb);
        }

        return new TableMapEvent(header, tableId, database, table, columns);
    }

    private static (ColumnType Type, int Metadata) ReadMetadata(ColumnType type, ref SpanReader metadata)
    {
        if (metadata.AtEnd)
        {
            return (type, 0);
        }

        switch (type)
        {
            case ColumnType.Float or ColumnType.Double or ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob or ColumnType.BlobCompressed
                or ColumnType.Json or ColumnType.Geometry or ColumnType.Timestamp2 or ColumnType.DateTime2 or ColumnType.Time2 or ColumnType.Vector:
                return (type, metadata.ReadByte());
            case ColumnType.VarChar or ColumnType.VarString or ColumnType.VarCharCompressed:
                return (type, metadata.ReadUInt16());
            case ColumnType.NewDecimal or ColumnType.Decimal:
                var precision = metadata.ReadByte();
                return (type, (precision << 8) | metadata.ReadByte());
            case ColumnType.Bit:
                var remainderBits = metadata.ReadByte();
                return (type, (metadata.ReadByte() << 8) | remainderBits);
            case ColumnType.String or ColumnType.Enum or ColumnType.Set:
                var first = metadata.ReadByte();
                var second = metadata.ReadByte();
                // CHAR(n) with n * bytes-per-character over 255 keeps the length's high bits in the type byte.
                if ((first & 0x30) != 0x30)
                {
                    return (ColumnType.String, second | (((first & 0x30) ^ 0x30) << 4));
                }

                return ((ColumnType)first, second);
            case ColumnType.Tiny or ColumnType.Short or ColumnType.Int24 or ColumnType.Long or ColumnType.LongLong or ColumnType.Null
                or ColumnType.Timestamp or ColumnType.Date or ColumnType.Time or ColumnType.DateTime or ColumnType.Year or ColumnType.NewDate:
                return (type, 0);
            default:
                // Metadata sizes differ per type: guessing would misread every later column.
                throw new InvalidDataException($"The table map has a column of type {(byte)type}, which this decoder does not know.");
        }
    }

    private static void ApplyOptional(OptionalField field, ref SpanReader value, ColumnInfo[] columns, bool mariaDb)
    {
        bool IsCharacter(ColumnInfo column) => IsCharacterColumn(column, mariaDb);
        switch (field)
        {
            case OptionalField.Signedness:
                var numeric = columns.Where(IsNumeric).ToArray();
                var bits = value.Rest;
                for (var i = 0; i < numeric.Length && i / 8 < bits.Length; i++)
                {
                    numeric[i].Unsigned = (bits[i / 8] & (0x80 >> (i % 8))) != 0;
                }

                break;
            case OptionalField.DefaultCharset:
                ApplyDefaultCollation(ref value, columns.Where(IsCharacter).ToArray());
                break;
            case OptionalField.EnumAndSetDefaultCharset:
                ApplyDefaultCollation(ref value, columns.Where(c => c.Type is ColumnType.Enum or ColumnType.Set).ToArray());
                break;
            case OptionalField.ColumnCharset:
                foreach (var column in columns.Where(IsCharacter))
                {
                    column.Collation = (int)value.ReadLengthEncoded();
                }

                break;
            case OptionalField.EnumAndSetColumnCharset:
                foreach (var column in columns.Where(c => c.Type is ColumnType.Enum or ColumnType.Set))
                {
                    column.Collation = (int)value.ReadLengthEncoded();
                }

                break;
            case OptionalField.ColumnName:
                foreach (var column in columns)
                {
                    column.Name = Encoding.UTF8.GetString(value.ReadLengthEncodedBytes());
                }

                break;
            case OptionalField.SetValues:
                foreach (var column in columns.Where(c => c.Type == ColumnType.Set))
                {
                    column.SetValues = ReadStrings(ref value);
                }

                break;
            case OptionalField.EnumValues:
                foreach (var column in columns.Where(c => c.Type == ColumnType.Enum))
                {
                    column.EnumValues = ReadStrings(ref value);
                }

                break;
            case OptionalField.GeometryType:
                foreach (var column in columns.Where(c => c.Type == ColumnType.Geometry))
                {
                    column.GeometryType = (int)value.ReadLengthEncoded();
                }

                break;
            case OptionalField.SimplePrimaryKey:
                while (!value.AtEnd)
                {
                    Column(columns, value.ReadLengthEncoded()).IsPrimaryKey = true;
                }

                break;
            case OptionalField.PrimaryKeyWithPrefix:
                while (!value.AtEnd)
                {
                    Column(columns, value.ReadLengthEncoded()).IsPrimaryKey = true;
                    value.ReadLengthEncoded();
                }

                break;
        }
    }

    private static void ApplyDefaultCollation(ref SpanReader value, ColumnInfo[] characterColumns)
    {
        var defaultCollation = (int)value.ReadLengthEncoded();
        foreach (var column in characterColumns)
        {
            column.Collation = defaultCollation;
        }

        while (!value.AtEnd)
        {
            var index = value.ReadLengthEncoded();
            var collation = (int)value.ReadLengthEncoded();
            if (index < (ulong)characterColumns.Length)
            {
                characterColumns[index].Collation = collation;
            }
        }
    }

    private static string[] ReadStrings(ref SpanReader value)
    {
        var strings = new string[value.ReadLengthEncodedCount()];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = Encoding.UTF8.GetString(value.ReadLengthEncodedBytes());
        }

        return strings;
    }

    private static ColumnInfo Column(ColumnInfo[] columns, ulong index) => index < (ulong)columns.Length
        ? columns[index]
        : throw new InvalidDataException($"The table map's key names column {index + 1}, but the table has {columns.Length}.");

    private static bool IsNumeric(ColumnInfo column) => column.Type is ColumnType.Tiny or ColumnType.Short or ColumnType.Int24 or ColumnType.Long
        or ColumnType.LongLong or ColumnType.Float or ColumnType.Double or ColumnType.NewDecimal or ColumnType.Decimal;

    /// <summary>
    /// The columns the charset fields count. MariaDB counts GEOMETRY among them (a BLOB underneath; verified
    /// live), MySQL 9 counts VECTOR.
    /// </summary>
    private static bool IsCharacterColumn(ColumnInfo column, bool mariaDb) => column.Type switch
    {
        ColumnType.String or ColumnType.VarChar or ColumnType.VarString or ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob
            or ColumnType.BlobCompressed or ColumnType.VarCharCompressed => true,
        ColumnType.Geometry => mariaDb,
        ColumnType.Vector => !mariaDb,
        _ => false,
    };
}
