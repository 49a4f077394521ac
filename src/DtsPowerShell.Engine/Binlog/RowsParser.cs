using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Parses WRITE/UPDATE/DELETE rows events (v1, v2, MariaDB's compressed ones and MySQL's PARTIAL_UPDATE_ROWS)
/// into typed row images.
/// </summary>
internal static class RowsParser
{
    private const ulong PartialJsonUpdates = 1;

    public static RowsEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body, int postHeaderLength, RowsEventFormat format, IReadOnlyDictionary<ulong, TableMapEvent> tables)
    {
        var kind = format.Kind;
        var reader = new SpanReader(body);
        var tableId = postHeaderLength == 6 ? reader.ReadUInt32() : reader.ReadUInt48();
        var flags = (RowsEventFlags)reader.ReadUInt16();
        if (format.Version2)
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

        var before = reader.ReadBytes((width + 7) / 8);
        var after = kind == RowsEventKind.Update ? reader.ReadBytes((width + 7) / 8) : before;
        if (format.Compressed)
        {
            // MariaDB compresses only the row data, after the column bitmaps.
            reader = new SpanReader(MariaDbCompression.DecompressEvent(reader.Rest));
        }

        var columns = table.Columns as ColumnInfo[] ?? [.. table.Columns];
        var beforeCount = CountSet(before, width);
        var afterCount = CountSet(after, width);
        var jsonColumns = format.PartialJson ? columns.Count(c => c.Type == ColumnType.Json) : 0;
        var rows = new List<RowChange>();
        while (!reader.AtEnd)
        {
            var rowStart = reader.Offset;
            var first = ReadImage(ref reader, table, columns, width, before, beforeCount, default);
            rows.Add(kind switch
            {
                RowsEventKind.Insert => new RowChange(null, first),
                RowsEventKind.Delete => new RowChange(first, null),
                _ => new RowChange(first, ReadImage(ref reader, table, columns, width, after, afterCount, format.PartialJson ? ReadPartialJsonBits(ref reader, jsonColumns) : default)),
            });
            if (reader.Offset == rowStart)
            {
                throw new InvalidDataException($"A rows event for {table.Database}.{table.Table} holds a row of no bytes (no column is present).");
            }
        }

        return new RowsEvent(header, kind, table, rows) { Flags = flags };
    }

    /// <summary>
    /// The after image of a PARTIAL_UPDATE_ROWS event starts with value options and, when they say so, one bit per
    /// JSON column of the table (present in the image or not): set where the value is a list of changes.
    /// </summary>
    private static ReadOnlySpan<byte> ReadPartialJsonBits(scoped ref SpanReader reader, int jsonColumns)
    {
        var options = reader.ReadLengthEncoded();
        return (options & PartialJsonUpdates) == 0 ? default : reader.ReadBytes((jsonColumns + 7) / 8);
    }

    private static object?[] ReadImage(ref SpanReader reader, TableMapEvent table, ColumnInfo[] columns, int width, ReadOnlySpan<byte> present, int presentCount, ReadOnlySpan<byte> partialJson)
    {
        var nulls = reader.ReadBytes((presentCount + 7) / 8);
        var image = new object?[columns.Length];
        var nullIndex = 0;
        var jsonIndex = 0;
        var i = 0;
        try
        {
            for (; i < image.Length; i++)
            {
                var partial = !partialJson.IsEmpty && columns[i].Type == ColumnType.Json && IsSet(partialJson, jsonIndex++);
                if (i >= width || !IsSet(present, i))
                {
                    image[i] = RowImage.Absent;
                }
                else if (IsSet(nulls, nullIndex++))
                {
                    image[i] = null;
                }
                else
                {
                    image[i] = partial ? ColumnValueReader.ReadJsonDiffs(ref reader, columns[i]) : ColumnValueReader.Read(ref reader, columns[i]);
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Column {i + 1} ({columns[i].Name ?? columns[i].Type.ToString()}) of {table.Database}.{table.Table}: {e.Message}", e);
        }

        return image;
    }

    private static int CountSet(ReadOnlySpan<byte> bitmap, int width)
    {
        var count = 0;
        for (var i = 0; i < width; i++)
        {
            count += IsSet(bitmap, i) ? 1 : 0;
        }

        return count;
    }

    private static bool IsSet(ReadOnlySpan<byte> bitmap, int index) => (bitmap[index >> 3] & (1 << (index & 7))) != 0;
}
