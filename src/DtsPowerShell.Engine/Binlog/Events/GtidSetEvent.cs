namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The GTIDs written before this file: MySQL's PREVIOUS_GTIDS or MariaDB's GTID_LIST, as GTID set text.</summary>
public sealed record GtidSetEvent(BinlogEventHeader Header, string GtidSet) : BinlogEvent(Header);
