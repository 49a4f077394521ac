namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// The start of a transaction and its global id: MySQL's <c>uuid:number</c> (or anonymous, with
/// <see cref="Gtid"/> null) or MariaDB's <c>domain-server-sequence</c>. <see cref="Standalone"/> is MariaDB's
/// flag for a transaction without BEGIN/COMMIT (DDL).
/// </summary>
public sealed record GtidEvent(BinlogEventHeader Header, string? Gtid, bool Standalone, ulong? CommitId) : BinlogEvent(Header);
