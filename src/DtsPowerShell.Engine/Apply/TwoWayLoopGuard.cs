using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Leaves out what the other half of a two-way pair wrote on this job's source: a transaction that starts with the
/// origin mark of a job whose changes come from this job's target (<see cref="OriginMarker"/>), and a statement run in
/// the session that job's DDL journal named (the target ran it first: it passes as already there, so only the schema
/// follows it). The sessions are saved with the checkpoint (<see cref="ICheckpointPart"/>), so a restart knows them.
/// </summary>
/// <param name="inner">Where the rest goes.</param>
/// <param name="jobId">This job.</param>
/// <param name="targetServer">This job's target, as marks name servers.</param>
/// <param name="peerSessions">The sessions as the checkpoint last saved them, by the job that runs a statement in each.</param>
public sealed class TwoWayLoopGuard(IChangeSink inner, string jobId, string targetServer, Dictionary<string, ulong> peerSessions) : IChangeSink, ICheckpointPart
{
    private const string Reason = "run on this job's target first: the job that syncs the other way brought it here";
    private bool fromTarget;
    private ulong markSession;

    public bool Changed { get; private set; }

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken)
    {
        fromTarget = false;
        return inner.BeginAsync(at, cancellationToken);
    }

    public ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (OriginMarker.FromServer(rows, targetServer) is { } mark)
        {
            fromTarget = true;
            markSession = mark.Session;
            return ValueTask.CompletedTask;
        }

        if (fromTarget)
        {
            NoteJournal(rows);
            return ValueTask.CompletedTask;
        }

        return inner.RowsAsync(rows, mode, cancellationToken);
    }

    public ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        // The rest of the statement's transaction is that job's too.
        var peers = statement.Decision.Outcome != Ddl.DdlOutcome.Ignored && peerSessions.Values.Any(session => (uint)session == statement.Query.ThreadId);
        fromTarget |= peers;
        return inner.StatementAsync(statement, skipBecause ?? (peers ? Reason : null), cancellationToken);
    }

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken) => inner.EndAsync(end, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public async Task SaveAsync(MySqlConnection target, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        await OriginMarker.SavePeerSessionsAsync(target, transaction, jobId, peerSessions, cancellationToken).ConfigureAwait(false);
        Changed = false;
    }

    /// <summary>The other half's DDL journal: its pending mark names the session that runs the statement; its removal ends it.</summary>
    private void NoteJournal(RowsEvent rows)
    {
        if ((rows.Table.Database, rows.Table.Table) != (DtsObjects.Database, DtsObjects.DdlPendingTable))
        {
            return;
        }

        foreach (var row in rows.Rows)
        {
            if (rows.Kind == RowsEventKind.Delete)
            {
                Changed |= OriginMarker.JobOf(row.Before) is { } job && peerSessions.Remove(job);
            }
            else if (OriginMarker.JobOf(row.After) is { } job)
            {
                peerSessions[job] = markSession;
                Changed = true;
            }
        }
    }
}
