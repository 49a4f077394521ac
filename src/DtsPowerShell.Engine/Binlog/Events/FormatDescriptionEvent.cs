namespace DtsPowerShell.Engine.Binlog.Events;

public sealed record FormatDescriptionEvent(BinlogEventHeader Header, FormatDescription Format) : BinlogEvent(Header);
