namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>A user variable the next statement uses; <see cref="Value"/> is null for NULL.</summary>
public sealed record UserVarEvent(BinlogEventHeader Header, string Name, byte ValueType, uint Charset, byte[]? Value) : BinlogEvent(Header);
