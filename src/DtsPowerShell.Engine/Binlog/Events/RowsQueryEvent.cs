namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The statement that produced the following row events (MySQL ROWS_QUERY, MariaDB ANNOTATE_ROWS).</summary>
public sealed record RowsQueryEvent(BinlogEventHeader Header, string Query) : BinlogEvent(Header);
