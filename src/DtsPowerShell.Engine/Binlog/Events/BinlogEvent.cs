namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>One decoded binlog event; every type of event has its own record.</summary>
public abstract record BinlogEvent(BinlogEventHeader Header);
