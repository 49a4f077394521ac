using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Ddl;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// The binlog's overlap with the initial copies: by the transaction's start, a table's changes before its copy's
/// position are left out (the copy holds them), those before the position from which it is safe are written
/// idempotently (the copy may hold them), later ones exactly. A statement on tables all copied after it passes as
/// already on the target (the copies have its effect). A renamed table keeps its copy's positions under its new name.
/// </summary>
/// <param name="inner">Where the rest goes.</param>
/// <param name="copies">The copy states by source table; this decorator alone changes them.</param>
/// <param name="isSelected">Whether a table is selected by name (a statement on others is not judged by copies).</param>
/// <param name="start">Where the stream starts: the transaction start until the first one is seen.</param>
public sealed class CopyOverlap(IChangeSink inner, Dictionary<(string Database, string Table), TableCopyState> copies, Func<string, string, bool> isSelected, BinlogPosition start) : IChangeSink
{
    private const string Reason = "its effect is in the initial copy, taken after it";
    private BinlogPosition transactionStart = start;

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken)
    {
        transactionStart = at;
        return inner.BeginAsync(at, cancellationToken);
    }

    public ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (copies.TryGetValue((rows.Table.Database, rows.Table.Table), out var copy))
        {
            if (transactionStart.CompareTo(copy.From) < 0)
            {
                return ValueTask.CompletedTask;
            }

            if (transactionStart.CompareTo(copy.SafeUntil) < 0)
            {
                mode = ApplyMode.Idempotent;
            }
        }

        return inner.RowsAsync(rows, mode, cancellationToken);
    }

    public async ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Decision.Outcome != DdlOutcome.Ignored && CoveredByCopies(statement.Statement))
        {
            // Rows before the copies are still decoded with the columns of their time: the schema follows it.
            if (statement.Decision.TargetStatement is not null)
            {
                await inner.StatementAsync(statement, Reason, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await inner.StatementAsync(statement, skipBecause, cancellationToken).ConfigureAwait(false);
        TableStates.Follow(copies, statement.SchemaChanges, (copy, name) => copy with { Database = name.Database, Table = name.Table });
    }

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        transactionStart = end.Position;
        return inner.EndAsync(end, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <summary>Whether every selected table the statement names was copied after it.</summary>
    private bool CoveredByCopies(DdlStatement statement)
    {
        var tables = statement.Objects.Where(o => o.Name.Length > 0 && isSelected(o.Database, o.Name)).ToList();
        return tables.Count > 0
            && tables.All(o => copies.TryGetValue((o.Database, o.Name), out var copy) && transactionStart.CompareTo(copy.From) < 0);
    }
}
