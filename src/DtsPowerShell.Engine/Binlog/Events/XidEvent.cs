namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The commit of a transaction on a transactional engine.</summary>
public sealed record XidEvent(BinlogEventHeader Header, ulong Xid) : BinlogEvent(Header);
