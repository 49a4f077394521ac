namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The source is alive but idle; it is at <see cref="Position"/> of <see cref="File"/>.</summary>
public sealed record HeartbeatEvent(BinlogEventHeader Header, string File, ulong Position) : BinlogEvent(Header);
