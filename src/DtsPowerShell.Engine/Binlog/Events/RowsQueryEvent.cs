using System.Text;

namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// The statement that produced the following row events (MySQL ROWS_QUERY, MariaDB ANNOTATE_ROWS). Its text is
/// decoded when first read: a stream carries one before every statement and most readers never look.
/// </summary>
public sealed record RowsQueryEvent(BinlogEventHeader Header, ReadOnlyMemory<byte> QueryBytes) : BinlogEvent(Header)
{
    private string? query;

    public string Query => query ??= Encoding.UTF8.GetString(QueryBytes.Span);
}
