namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The stream continues in <see cref="NextFile"/> at <see cref="Position"/>.</summary>
public sealed record RotateEvent(BinlogEventHeader Header, string NextFile, ulong Position) : BinlogEvent(Header);
