using System.Management.Automation;
using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell;

/// <summary>
/// One binlog event as Get-DtsBinlogEvent shows it: where it is, when, what, and for row events the rows
/// with named column values (ENUM and SET as their names). <see cref="Event"/> holds the decoded event.
/// </summary>
public sealed class BinlogEventView
{
    private BinlogEventView(BinlogEvent binlogEvent, string file)
    {
        Event = binlogEvent;
        var header = binlogEvent.Header;
        Position = $"{file}:{header.Position}";
        NextPosition = header.NextPosition;
        Timestamp = header.Time;
        Type = header.Type.ToString();
        ServerId = header.ServerId;
    }

    /// <summary><c>file:offset</c> of the event's start: give it to -Start to read from here.</summary>
    public string Position { get; }

    public uint NextPosition { get; }

    public DateTimeOffset Timestamp { get; }

    public string Type { get; }

    public uint ServerId { get; }

    public string? Database { get; private init; }

    public string? Table { get; private init; }

    public string? Gtid { get; private init; }

    public string? Query { get; private init; }

    /// <summary>For row events: one object per row; updates have Before and After. Made on first use: a pipeline that only counts or groups events never pays for them.</summary>
    public object[]? Rows => rows ??= rowsEvent?.Rows.Select(r => Row(rowsEvent, r)).ToArray();

    private RowsEvent? rowsEvent;
    private object[]? rows;

    /// <summary>The Position of the event that began the event's transaction (its GTID or BEGIN): what ConvertTo-DtsSql groups by.</summary>
    public string? Transaction { get; private init; }

    public BinlogEvent Event { get; }

    /// <summary>For row events: the table's schema as the reader knew it (its key above all), or null.</summary>
    internal TableSchema? Schema => schema ??= rowsEvent is null ? null : schemaOf?.Invoke(rowsEvent.Table) ?? TableSchema.FromTableMap(rowsEvent.Table);

    private Func<TableMapEvent, TableSchema?>? schemaOf;
    private TableSchema? schema;

    public static BinlogEventView From(BinlogEvent binlogEvent, string file, string? transaction = null, Func<TableMapEvent, TableSchema?>? schemaOf = null) => binlogEvent switch
    {
        RowsEvent rows => new BinlogEventView(binlogEvent, file)
        {
            Database = rows.Table.Database,
            Table = rows.Table.Table,
            rowsEvent = rows,
            Transaction = transaction,
            schemaOf = schemaOf,
        },
        TableMapEvent map => new BinlogEventView(binlogEvent, file) { Database = map.Database, Table = map.Table },
        QueryEvent query => new BinlogEventView(binlogEvent, file) { Database = query.Database, Query = query.Query },
        RowsQueryEvent rowsQuery => new BinlogEventView(binlogEvent, file) { Query = rowsQuery.Query },
        GtidEvent gtid => new BinlogEventView(binlogEvent, file) { Gtid = gtid.Gtid },
        GtidSetEvent set => new BinlogEventView(binlogEvent, file) { Gtid = set.GtidSet },
        UnknownEvent unknown => new BinlogEventView(binlogEvent, file) { Query = $"(event type {(byte)unknown.Header.Type} not decoded)" },
        _ => new BinlogEventView(binlogEvent, file),
    };

    private static object Row(RowsEvent rows, RowChange change) => rows.Kind != RowsEventKind.Update
        ? Image(rows.Table, change.After ?? change.Before!)
        : new BinlogRowUpdate(Image(rows.Table, change.Before!), Image(rows.Table, change.After!));

    private static object Image(TableMapEvent table, object?[] values)
    {
        var absent = false;
        var present = new object?[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            absent |= ReferenceEquals(values[i], RowImage.Absent);
            present[i] = Present(table.Columns[i], values[i]);
        }

        return absent ? PartialImage(table, values) : RowFactories.GetValue(table, map => BinlogRow.FactoryOf(map.Database, map.Table, Names(map)))(present);
    }

    // The row class of each table map, found once per map rather than by its names for every row.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TableMapEvent, Func<object?[], BinlogRow>> RowFactories = [];

    /// <summary>A partial row image (binlog_row_image MINIMAL or NOBLOB): only the columns it holds, as note properties.</summary>
    private static PSObject PartialImage(TableMapEvent table, object?[] values)
    {
        var image = new PSObject();
        for (var i = 0; i < values.Length; i++)
        {
            if (!ReferenceEquals(values[i], RowImage.Absent))
            {
                image.Properties.Add(new PSNoteProperty(table.Columns[i].Name ?? $"@{i + 1}", Present(table.Columns[i], values[i])));
            }
        }

        return image;
    }

    private static string[] Names(TableMapEvent table)
    {
        var names = new string[table.Columns.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = table.Columns[i].Name ?? $"@{i + 1}";
        }

        return names;
    }

    private static object? Present(ColumnInfo column, object? value) => value switch
    {
        int index when column.Type == ColumnType.Enum && column.EnumValues is { } names => index > 0 && index <= names.Count ? names[index - 1] : "",
        ulong bits when column.Type == ColumnType.Set && column.SetValues is { } names => string.Join(',', names.Where((_, i) => (bits & (1UL << i)) != 0)),
        _ => value,
    };
}
