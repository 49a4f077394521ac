using System.Text;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Takes the job's heartbeat rows out of the stream and measures the latency by them (the time the heartbeat was
/// written on the source to now); while none arrive, by the commit times of the source's transactions (to the second).
/// </summary>
public sealed class HeartbeatMeter(IChangeSink inner, string jobId, SyncProgress progress, TimeProvider? clock = null) : IChangeSink
{
    private static readonly TimeSpan HeartbeatsMissing = TimeSpan.FromSeconds(5);
    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly byte[] jobIdBytes = Encoding.UTF8.GetBytes(jobId);
    private long lastHeartbeat = (clock ?? TimeProvider.System).GetTimestamp();

    public ValueTask BeginAsync(BinlogPosition at, CancellationToken cancellationToken) => inner.BeginAsync(at, cancellationToken);

    public ValueTask RowsAsync(RowsEvent rows, ApplyMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if ((rows.Table.Database, rows.Table.Table) != (DtsObjects.Database, DtsObjects.HeartbeatTable))
        {
            return inner.RowsAsync(rows, mode, cancellationToken);
        }

        foreach (var row in rows.Rows)
        {
            if (row.After is [var id, long writtenAt, ..] && (id is string text ? text == jobId : id is byte[] bytes && bytes.AsSpan().SequenceEqual(jobIdBytes)))
            {
                progress.HeartbeatArrived(DateTime.UnixEpoch.AddTicks(writtenAt * 10));
                lastHeartbeat = time.GetTimestamp();
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask StatementAsync(StatementChange statement, string? skipBecause, CancellationToken cancellationToken) =>
        inner.StatementAsync(statement, skipBecause, cancellationToken);

    public ValueTask EndAsync(TransactionEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        if (time.GetElapsedTime(lastHeartbeat) > HeartbeatsMissing)
        {
            progress.Latency = time.GetUtcNow().UtcDateTime - end.CommittedAt;
        }

        return inner.EndAsync(end, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
