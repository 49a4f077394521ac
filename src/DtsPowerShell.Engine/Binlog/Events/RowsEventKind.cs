namespace DtsPowerShell.Engine.Binlog.Events;

public enum RowsEventKind
{
    Insert,
    Update,
    Delete,
}
