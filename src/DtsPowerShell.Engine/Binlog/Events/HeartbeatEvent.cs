namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The source is alive but idle; it is at <see cref="File"/>, <see cref="BinlogEventHeader.NextPosition"/>.</summary>
public sealed record HeartbeatEvent(BinlogEventHeader Header, string File) : BinlogEvent(Header);
