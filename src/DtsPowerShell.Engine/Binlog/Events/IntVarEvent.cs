namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>LAST_INSERT_ID (kind 1) or INSERT_ID (kind 2) for the next statement.</summary>
public sealed record IntVarEvent(BinlogEventHeader Header, byte Kind, ulong Value) : BinlogEvent(Header);
