using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// A row change sent to the target in the current piece of SQL, kept until the piece has run: where the rows it
/// matched fall short of the rows expected, the piece is rolled back and its changes applied one by one.
/// </summary>
public readonly record struct PendingChange(TargetTable Table, RowsEventKind Kind, object?[]? Before, object?[]? After, ApplyMode Mode, RowsEventFlags Flags, BinlogPosition Position);
