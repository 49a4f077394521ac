using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Applies a change stream to the target. Consecutive source transactions share one target transaction, which
/// commits with the checkpoint row when it is large or old enough, or as soon as the stream is idle; a large source
/// transaction is sent in pieces inside it, never held whole. Changes to a table still covered by its copy are
/// skipped (already in the copy) or replayed idempotently (may be in the copy), as its copy state says. Each target
/// transaction starts with the job's origin mark; a source transaction that starts with the mark of a job whose changes
/// come from this job's target (the other half of a two-way pair) is left out, and so is a statement that job ran.
/// </summary>
public sealed class ChangeApplier(
    MySqlConnection target,
    CheckpointStore checkpoints,
    IReadOnlyDictionary<(string Database, string Table), TargetTable> tables,
    IReadOnlyDictionary<(string Database, string Table), TableCopyState> copies,
    DdlApplier ddl,
    string jobId,
    SyncProgress progress,
    ApplierOptions options,
    OriginMarker origin,
    string targetServer,
    ILogger log)
{
    private readonly RowSqlBuilder sql = new() { MatchBeforeImage = true };
    private readonly ConflictResolver conflicts = new(target, options.ConflictPolicy, log);

    // The row changes in the SQL not yet sent, and whether each must match one row (exact, not replayed idempotently).
    private readonly List<PendingChange> pending = [];
    private bool pendingAllExact = true;
    private readonly byte[] jobIdBytes = Encoding.UTF8.GetBytes(jobId);
    private MySqlTransaction? transaction;
    private readonly Stopwatch batchAge = new();
    private readonly Stopwatch sinceCheckpoint = Stopwatch.StartNew();
    private readonly Stopwatch sinceHeartbeat = Stopwatch.StartNew();
    private long batchRows;
    private BinlogPosition? applied;
    private BinlogPosition? written;

    // The source transaction being read was written by a job whose changes come from this job's target (the other half
    // of a pair), in this session.
    private bool fromTarget;
    private ulong markSession;

    // The sessions in which such jobs are about to run a statement (their DDL journal's pending mark), by job: a
    // statement of one of these sessions is theirs. Saved with the checkpoint.
    private Dictionary<string, ulong> peerSessions = [];
    private bool peerSessionsChanged;

    /// <summary>
    /// Applies changes until <paramref name="stopRequested"/> says stop (at a transaction boundary) or the stream fails;
    /// with <paramref name="stopBefore"/> (a transaction boundary), also once every transaction that begins before it is
    /// applied: the next one begins at or after it, or the stream waits with none pending at it.
    /// </summary>
    public async Task RunAsync(ChannelReader<Change> changes, BinlogPosition start, Func<bool> stopRequested, CancellationToken cancellationToken, BinlogPosition? stopBefore = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(stopRequested);
        applied = written = start;
        peerSessions = await OriginMarker.PeerSessionsAsync(target, jobId, cancellationToken).ConfigureAwait(false);
        var transactionStart = start;
        var atBoundary = true;
        try
        {
            while (true)
            {
                if (!changes.TryRead(out var change))
                {
                    if (atBoundary)
                    {
                        await CommitAsync(cancellationToken).ConfigureAwait(false);
                        if (stopRequested() || (stopBefore is not null && applied.CompareTo(stopBefore) >= 0))
                        {
                            return;
                        }
                    }

                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(TimeSpan.FromMilliseconds(250));
                    try
                    {
                        if (!await changes.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                        {
                            await changes.Completion.ConfigureAwait(false);
                            // The source ended the dump without an error (it shut down): reconnect like after any drop.
                            throw new IOException("The source ended the binlog stream.");
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                    }

                    continue;
                }

                switch (change)
                {
                    case TransactionStart begin when stopBefore is not null && begin.Position.CompareTo(stopBefore) >= 0:
                        await CommitAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    case TransactionStart begin:
                        transactionStart = begin.Position;
                        fromTarget = false;
                        break;
                    case RowChanges rows when OriginMarker.FromServer(rows.Rows, targetServer) is { } mark:
                        fromTarget = true;
                        markSession = mark.Session;
                        break;
                    case RowChanges rows when fromTarget:
                        NoteTargetJournal(rows.Rows);
                        break;
                    case RowChanges rows:
                        atBoundary = false;
                        await ApplyAsync(rows.Rows, transactionStart, cancellationToken).ConfigureAwait(false);
                        break;
                    case StatementChange statement:
                        atBoundary = false;
                        if (ddl.Prepare(statement, transactionStart) is { } prepared)
                        {
                            if (prepared.IsBarrier)
                            {
                                // A DDL commits on its own on the source: the rows before it belong to transactions already complete.
                                await CommitAsync(cancellationToken).ConfigureAwait(false);
                            }

                            // The other half of a two-way pair ran it on this job's source, in the session of its pending mark:
                            // the schema follows it, the target already has it. The rest of its transaction is that job's too.
                            var peers = peerSessions.Values.Any(session => (uint)session == statement.Query.ThreadId);
                            fromTarget |= peers;
                            await ddl.ApplyAsync(prepared, cancellationToken, onTarget: !peers).ConfigureAwait(false);
                        }

                        break;
                    case UnsupportedChange unsupported:
                        throw new SyncStoppedException($"The source's binlog at {applied} holds {unsupported.Reason}, which the sync cannot apply. Start-DtsSync -Resync copies the job's tables again from a new snapshot, past it.");
                    case TransactionEnd end:
                        atBoundary = true;
                        applied = transactionStart = end.Position;
                        if (ddl.HasHandled)
                        {
                            // The statement's schema and history commit with the checkpoint past it (and rows of its transaction).
                            await BeginAsync(cancellationToken).ConfigureAwait(false);
                            var records = await ddl.SaveAsync(transaction!, cancellationToken).ConfigureAwait(false);
                            await CommitAsync(cancellationToken).ConfigureAwait(false);
                            foreach (var record in records)
                            {
                                progress.AddStatement(record);
                            }
                        }

                        if (sinceHeartbeat.Elapsed > TimeSpan.FromSeconds(5))
                        {
                            // Without a heartbeat table, the event times are the measure (to the second).
                            progress.Latency = DateTime.UtcNow - end.CommittedAt;
                        }

                        if (transaction is not null && (batchRows >= options.MaxBatchRows || batchAge.Elapsed >= options.MaxBatchDelay))
                        {
                            await CommitAsync(cancellationToken).ConfigureAwait(false);
                        }

                        if (stopRequested())
                        {
                            await CommitAsync(cancellationToken).ConfigureAwait(false);
                            return;
                        }

                        break;
                }
            }
        }
        finally
        {
            if (transaction is not null)
            {
                // A failure mid-batch: nothing of it stays, the stream restarts from the last checkpoint.
                await transaction.DisposeAsync().ConfigureAwait(false);
                transaction = null;
                sql.Take();
                pending.Clear();
            }
        }
    }

    /// <summary>The other half's DDL journal: its pending mark names the session that runs the statement; its removal ends it.</summary>
    private void NoteTargetJournal(RowsEvent rows)
    {
        if ((rows.Table.Database, rows.Table.Table) != (DtsObjects.Database, DtsObjects.DdlPendingTable))
        {
            return;
        }

        foreach (var row in rows.Rows)
        {
            if (rows.Kind == RowsEventKind.Delete)
            {
                peerSessionsChanged |= OriginMarker.JobOf(row.Before) is { } job && peerSessions.Remove(job);
            }
            else if (OriginMarker.JobOf(row.After) is { } job)
            {
                peerSessions[job] = markSession;
                peerSessionsChanged = true;
            }
        }
    }

    private async Task ApplyAsync(RowsEvent rows, BinlogPosition transactionStart, CancellationToken cancellationToken)
    {
        var key = (rows.Table.Database, rows.Table.Table);
        if (key == (DtsObjects.Database, DtsObjects.HeartbeatTable))
        {
            MeasureHeartbeat(rows);
            return;
        }

        if (!tables.TryGetValue(key, out var table))
        {
            return;
        }

        var mode = ApplyMode.Exact;
        if (copies.TryGetValue(key, out var copy))
        {
            if (transactionStart.CompareTo(copy.From) < 0)
            {
                return;
            }

            mode = transactionStart.CompareTo(copy.SafeUntil) < 0 ? ApplyMode.Idempotent : ApplyMode.Exact;
        }

        await BeginAsync(cancellationToken).ConfigureAwait(false);
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

    private async Task BeginAsync(CancellationToken cancellationToken)
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

    /// <summary>Sends what is pending and commits it with the checkpoint; with nothing pending, moves the checkpoint now and then.</summary>
    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (transaction is null)
        {
            if (applied is not null && applied != written && sinceCheckpoint.Elapsed >= options.IdleCheckpointInterval)
            {
                if (peerSessionsChanged)
                {
                    // The peer sessions hold at this checkpoint: they commit with it.
                    await using var bookkeeping = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await OriginMarker.SavePeerSessionsAsync(target, bookkeeping, jobId, peerSessions, cancellationToken).ConfigureAwait(false);
                    await checkpoints.WriteAsync(target, bookkeeping, new Checkpoint(SyncPhase.Incremental, applied), cancellationToken).ConfigureAwait(false);
                    await bookkeeping.CommitAsync(cancellationToken).ConfigureAwait(false);
                    peerSessionsChanged = false;
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
        if (peerSessionsChanged)
        {
            await OriginMarker.SavePeerSessionsAsync(target, transaction, jobId, peerSessions, cancellationToken).ConfigureAwait(false);
            peerSessionsChanged = false;
        }

        await checkpoints.WriteAsync(target, transaction, new Checkpoint(SyncPhase.Incremental, applied), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Failpoint.Hit("apply-after-commit");
        await transaction.DisposeAsync().ConfigureAwait(false);
        transaction = null;
        progress.AddApplied(batchRows);
        log.LogDebug("Committed {Rows} row changes up to {Position}.", batchRows, applied);
        batchRows = 0;
        Written();
    }

    private void Written()
    {
        written = applied;
        progress.Position = applied;
        sinceCheckpoint.Restart();
    }

    private void MeasureHeartbeat(RowsEvent rows)
    {
        foreach (var row in rows.Rows)
        {
            if (row.After is [var id, long writtenAt, ..] && (id is string text ? text == jobId : id is byte[] bytes && bytes.AsSpan().SequenceEqual(jobIdBytes)))
            {
                progress.HeartbeatArrived(DateTime.UnixEpoch.AddTicks(writtenAt * 10));
                sinceHeartbeat.Restart();
            }
        }
    }
}
