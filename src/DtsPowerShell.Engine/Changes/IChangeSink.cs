using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Changes;

/// <summary>
/// What a change stream is handed to, one source transaction after another (as go-mysql's canal hands events to its
/// EventHandler). Decorators leave out, mark or measure what passes them; the last sink writes the target.
/// </summary>
public interface IChangeSink
{
    /// <summary>A source transaction begins at <paramref name="at"/>, where its first event is.</summary>
    ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken);

    /// <summary>Rows of one table in the open transaction, and how they are to be written.</summary>
    ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken);

    /// <summary>
    /// A statement. With <paramref name="skipBecause"/>, it is not run on the target (that says why: the target has its
    /// effect already, or the job leaves DDL out): only the schema follows it, and the history records it as skipped.
    /// </summary>
    ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken);

    /// <summary>The transaction is complete; <see cref="TransactionEnd.Position"/> is where to resume after it.</summary>
    ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken);

    /// <summary>At a transaction boundary with nothing waiting: what is held is written now.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
