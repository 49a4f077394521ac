namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The RAND() seeds for the next statement.</summary>
public sealed record RandEvent(BinlogEventHeader Header, ulong Seed1, ulong Seed2) : BinlogEvent(Header);
