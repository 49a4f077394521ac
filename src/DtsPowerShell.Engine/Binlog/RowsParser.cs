using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>Parses WRITE/UPDATE/DELETE rows events of every version (v0 pre-GA, v1, v2) into typed row images.</summary>
internal static class RowsParser
{
    public static RowsEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body, int postHeaderLength, RowsEventKind kind, bool version2, IReadOnlyDictionary<ulong, TableMapEvent> tables, bool compressed = false)
    {
        var reader = new SpanReader(body);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        reader.Skip(2);
        if (version2)
        {
            var extra = reader.ReadUInt16();
            reader.Skip(Math.Max(0, extra - 2));
        }

        if (!tables.TryGetValue(tableId, out var table))
        {
            throw new InvalidDataException($"A rows event refers to table id {tableId}, which no TABLE_MAP event before it defined.");
        }

        var width = reader.ReadLengthEncodedBitCount();
        if (width > table.Columns.Count)
        {
            throw new InvalidDataException($"A rows event for {table.Database}.{table.Table} has {width} columns; its TABLE_MAP has {table.Columns.Count}.");
        }

        var before = reader.ReadBytes((width + 7) / 8).ToArray();
        var after = kind == RowsEventKind.Update ? reader.ReadBytes((width + 7) / 8).ToArray() : before;
        if (compressed)
        {
            // MariaDB compresses only the row data, after the column bitmaps.
            reader = new SpanReader(MariaDbCompression.Decompress(reader.Rest));
        }

        var rows = new List<RowChange>();
        while (!reader.AtEnd)
        {
            var rowStart = reader.Offset;
            var first = ReadImage(ref reader, table, width, before);
            rows.Add(kind switch
            {
                RowsEventKind.Insert => new RowChange(null, first),
                RowsEventKind.Delete => new RowChange(first, null),
                _ => new RowChange(first, ReadImage(ref reader, table, width, after)),
            });
            if (reader.Offset == rowStart)
            {
                throw new InvalidDataException($"A rows event for {table.Database}.{table.Table} holds a row of no bytes (no column is present).");
            }
        }

        return new RowsEvent(header, kind, table, rows);
    }

    private static object?[] ReadImage(ref SpanReader reader, TableMapEvent table, int width, byte[] present)
    {
        var presentCount = 0;
        for (var i = 0; i < width; i++)
        {
            presentCount += IsSet(present, i) ? 1 : 0;
        }

        var nulls = reader.ReadBytes((presentCount + 7) / 8).ToArray();
        var image = new object?[table.Columns.Count];
        var nullIndex = 0;
        for (var i = 0; i < image.Length; i++)
        {
            if (i >= width || !IsSet(present, i))
            {
                image[i] = RowImage.Absent;
                continue;
            }

            var column = table.Columns[i];
            try
            {
                image[i] = IsSet(nulls, nullIndex++) ? null : ColumnValueReader.Read(ref reader, column);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"Column {i + 1} ({column.Name ?? column.Type.ToString()}) of {table.Database}.{table.Table}: {e.Message}", e);
            }
        }

        return image;
    }

    private static bool IsSet(byte[] bitmap, int index) => (bitmap[index / 8] & (1 << (index % 8))) != 0;
}
