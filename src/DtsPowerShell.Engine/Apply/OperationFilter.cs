using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Leaves out the kinds of change a job does not apply (a job's -Operation): rows inserted, updated or
/// deleted, and schema changes, which are then not run on the target (the schema rows are read with still follows
/// them, and the history records them as skipped). What the target's tables must then look like is the user's choice:
/// a column added on the source but not on the target makes the next row that has it fail.
/// </summary>
public sealed class OperationFilter(IChangeSink inner, SyncOperations operations) : IChangeSink
{
    private const string Reason = "the job's -Operation leaves DDL out";

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken) => inner.BeginAsync(at, cancellationToken);

    public ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var kind = rows.Kind switch
        {
            RowsEventKind.Insert => SyncOperations.Insert,
            RowsEventKind.Update => SyncOperations.Update,
            _ => SyncOperations.Delete,
        };
        return operations.HasFlag(kind) ? inner.RowsAsync(rows, mode, cancellationToken) : ValueTask.CompletedTask;
    }

    public ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var ddl = statement.Decision.TargetStatement is not null;
        return inner.StatementAsync(statement, ddl && !operations.HasFlag(SyncOperations.Ddl) ? skipBecause ?? Reason : skipBecause, cancellationToken);
    }

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken) => inner.EndAsync(end, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
