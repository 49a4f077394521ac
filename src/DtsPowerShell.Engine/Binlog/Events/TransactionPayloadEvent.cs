namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>MySQL 8's compressed transaction (binlog_transaction_compression): the events it holds, decoded.</summary>
public sealed record TransactionPayloadEvent(BinlogEventHeader Header, string Compression, IReadOnlyList<BinlogEvent> Events) : BinlogEvent(Header);
