namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// A statement: DDL, BEGIN/COMMIT, or DML in statement format. <see cref="Database"/> is the default
/// database it ran in; <see cref="CharsetClient"/>/<see cref="CollationConnection"/>/<see cref="CollationServer"/>
/// and <see cref="SqlMode"/> come from the status variables when present.
/// </summary>
public sealed record QueryEvent(
    BinlogEventHeader Header,
    uint ThreadId,
    uint ExecutionSeconds,
    ushort ErrorCode,
    string Database,
    string Query,
    ulong? SqlMode,
    ushort? CharsetClient,
    ushort? CollationConnection,
    ushort? CollationServer,
    string? TimeZone) : BinlogEvent(Header);
