namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>MariaDB: crash recovery needs binlog files from <see cref="File"/> on.</summary>
public sealed record BinlogCheckpointEvent(BinlogEventHeader Header, string File) : BinlogEvent(Header);
