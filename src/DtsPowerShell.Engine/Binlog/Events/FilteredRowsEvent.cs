namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>A rows event whose rows were not decoded: its table is one the reader filters out (<see cref="BinlogEventDecoder.DecodeRowsOf"/>).</summary>
public sealed record FilteredRowsEvent(BinlogEventHeader Header, RowsEventKind Kind, TableMapEvent Table) : BinlogEvent(Header);
