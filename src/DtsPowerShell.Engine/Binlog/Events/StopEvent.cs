namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>The server stopped; the file ends here.</summary>
public sealed record StopEvent(BinlogEventHeader Header) : BinlogEvent(Header);
