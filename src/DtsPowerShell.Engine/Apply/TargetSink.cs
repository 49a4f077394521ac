using System.Diagnostics;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Writes a change stream on the target MySQL. Consecutive source transactions share one target transaction, which
/// starts with the job's origin mark and commits with the checkpoint row (and the <see cref="ICheckpointPart"/>s) when
/// it is large or old enough, or as soon as the stream is idle; a large source transaction is sent in pieces inside it,
/// never held whole. Each piece is checked for conflicts (<see cref="ConflictResolver"/>); statements go through
/// <see cref="DdlApplier"/> as barriers.
/// </summary>
public sealed class TargetSink : IChangeSink, IAsyncDisposable
{
    private readonly MySqlConnection target;
    private readonly CheckpointStore checkpoints;
    private readonly IReadOnlyDictionary<(string Database, string Table), TargetTable> tables;
    private readonly DdlApplier ddl;
    private readonly SyncProgress progress;
    private readonly ApplierOptions options;
    private readonly OriginMarker origin;
    private readonly ILogger log;
    private readonly RowSqlBuilder sql = new() { MatchBeforeImage = true };
    private readonly ConflictResolver conflicts;
    private readonly List<ICheckpointPart> parts = [];

    // The row changes in the SQL not yet sent, and whether each must match one row (exact, not replayed idempotently).
    private readonly List<PendingChange> pending = [];
    private bool pendingAllExact = true;
    private MySqlTransaction? transaction;
    private readonly Stopwatch batchAge = new();
    private readonly Stopwatch sinceCheckpoint = Stopwatch.StartNew();
    private long batchRows;
    private BinlogPosition transactionStart;
    private BinlogPosition applied;
    private BinlogPosition written;

    /// <param name="target">The connection it writes on.</param>
    /// <param name="checkpoints">The job's checkpoint row.</param>
    /// <param name="tables">The followed tables by source name, as the target has them (the <see cref="DdlApplier"/> moves them on).</param>
    /// <param name="ddl">Runs statements.</param>
    /// <param name="start">The position the stream starts at (the checkpoint).</param>
    /// <param name="progress">Counters the job reports.</param>
    /// <param name="options">Batch bounds and the conflict policy.</param>
    /// <param name="origin">The mark that starts each target transaction.</param>
    /// <param name="log">Where it logs.</param>
    public TargetSink(
        MySqlConnection target,
        CheckpointStore checkpoints,
        IReadOnlyDictionary<(string Database, string Table), TargetTable> tables,
        DdlApplier ddl,
        BinlogPosition start,
        SyncProgress progress,
        ApplierOptions options,
        OriginMarker origin,
        ILogger log)
    {
        (this.target, this.checkpoints, this.tables, this.ddl, this.progress, this.options, this.origin, this.log) = (target, checkpoints, tables, ddl, progress, options, origin, log);
        conflicts = new ConflictResolver(target, options.ConflictPolicy, log);
        transactionStart = applied = written = start;
    }

    /// <summary>Adds state that commits with every checkpoint.</summary>
    public void SaveWithCheckpoint(ICheckpointPart part) => parts.Add(part);

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken)
    {
        transactionStart = at;
        return ValueTask.CompletedTask;
    }

    public async ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!tables.TryGetValue((rows.Table.Database, rows.Table.Table), out var table))
        {
            return;
        }

        await BeginTargetAsync(cancellationToken).ConfigureAwait(false);
        sql.ChecksAs(rows.Flags);
        pendingAllExact &= mode == ApplyMode.Exact;
        foreach (var row in rows.Rows)
        {
            pending.Add(new PendingChange(table, rows.Kind, row.Before, row.After, mode, rows.Flags, transactionStart));
            switch (rows.Kind)
            {
                case RowsEventKind.Insert:
                    sql.Insert(table, row.After!, mode);
                    break;
                case RowsEventKind.Update:
                    sql.Update(table, row.Before!, row.After!, mode);
                    break;
                case RowsEventKind.Delete:
                    sql.Delete(table, row.Before!);
                    break;
            }
        }

        batchRows += rows.Rows.Count;
        if (sql.Length >= options.MaxStatementChars)
        {
            await SendAsync(cancellationToken).ConfigureAwait(false);
            Failpoint.Hit("apply-large-transaction");
        }
    }

    public async ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken)
    {
        if (ddl.Prepare(statement, transactionStart, skipBecause) is not { } prepared)
        {
            return;
        }

        if (prepared.IsBarrier)
        {
            // A DDL commits on its own on the source: the rows before it belong to transactions already complete.
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await ddl.ApplyAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        applied = transactionStart = end.Position;
        if (ddl.HasHandled)
        {
            // The statement's schema and history commit with the checkpoint past it (and rows of its transaction).
            await BeginTargetAsync(cancellationToken).ConfigureAwait(false);
            var records = await ddl.SaveAsync(transaction!, cancellationToken).ConfigureAwait(false);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            foreach (var record in records)
            {
                progress.AddStatement(record);
            }
        }

        if (transaction is not null && (batchRows >= options.MaxBatchRows || batchAge.Elapsed >= options.MaxBatchDelay))
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends what is pending and commits it with the checkpoint; with nothing pending, moves the checkpoint now and then.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            if (applied != written && sinceCheckpoint.Elapsed >= options.IdleCheckpointInterval)
            {
                if (parts.Any(p => p.Changed))
                {
                    await using var bookkeeping = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await SaveCheckpointAsync(bookkeeping, cancellationToken).ConfigureAwait(false);
                    await bookkeeping.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await checkpoints.WriteAsync(target, null, new Checkpoint(SyncPhase.Incremental, applied), cancellationToken).ConfigureAwait(false);
                }

                Written();
            }

            return;
        }

        await SendAsync(cancellationToken).ConfigureAwait(false);
        Failpoint.Hit("apply-mid-batch");
        await SaveCheckpointAsync(transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Failpoint.Hit("apply-after-commit");
        await transaction.DisposeAsync().ConfigureAwait(false);
        transaction = null;
        progress.AddApplied(batchRows);
        log.LogDebug("Committed {Rows} row changes up to {Position}.", batchRows, applied);
        batchRows = 0;
        Written();
    }

    /// <summary>A failure mid-batch: nothing of it stays, the stream restarts from the last checkpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            transaction = null;
            sql.Take();
            pending.Clear();
        }
    }

    private async Task SaveCheckpointAsync(MySqlTransaction open, CancellationToken cancellationToken)
    {
        foreach (var part in parts.Where(p => p.Changed))
        {
            await part.SaveAsync(target, open, cancellationToken).ConfigureAwait(false);
        }

        await checkpoints.WriteAsync(target, open, new Checkpoint(SyncPhase.Incremental, applied), cancellationToken).ConfigureAwait(false);
    }

    private async Task BeginTargetAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            transaction = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await origin.WriteAsync(target, transaction, cancellationToken).ConfigureAwait(false);
            batchAge.Restart();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (sql.IsEmpty)
        {
            return;
        }

        // Each exact change matches one row (inserts: writes one): fewer, or a key that exists, is a conflict somewhere in
        // the piece. It is then undone back to its savepoint and applied change by change, which finds each one.
        var expected = pending.Count;
        var conflicted = false;
        await using (var command = new MySqlCommand("SAVEPOINT dts_piece;" + sql.Take(), target, transaction))
        {
            try
            {
                conflicted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) < expected && pendingAllExact;
            }
            catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry && pendingAllExact)
            {
                conflicted = true;
            }
        }

        if (conflicted)
        {
            await using (var undo = new MySqlCommand("ROLLBACK TO SAVEPOINT dts_piece", target, transaction))
            {
                await undo.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var found = await conflicts.ApplyAsync(transaction!, pending, cancellationToken).ConfigureAwait(false);
            progress.AddConflicts(found.Count);
        }

        pending.Clear();
        pendingAllExact = true;
    }

    private void Written()
    {
        written = applied;
        progress.Position = applied;
        sinceCheckpoint.Restart();
    }
}
