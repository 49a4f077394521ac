using DtsPowerShell.Engine.Binlog.Columns;

namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>Binds a table id to a table and its column types for the row events that follow.</summary>
public sealed record TableMapEvent(BinlogEventHeader Header, ulong TableId, string Database, string Table, IReadOnlyList<ColumnInfo> Columns) : BinlogEvent(Header);
