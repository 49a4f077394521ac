namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>An event this decoder does not interpret; its body is kept as read.</summary>
public sealed record UnknownEvent(BinlogEventHeader Header, byte[] Body) : BinlogEvent(Header);
