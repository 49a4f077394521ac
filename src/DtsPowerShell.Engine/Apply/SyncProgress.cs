using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Apply;

/// <summary>Counters the copy and the applier update as they go and the status reporter reads (from another thread).</summary>
public sealed class SyncProgress
{
    private long rowsCopied;
    private long rowsTotal;
    private long rowChangesApplied;

    public long RowsCopied => Interlocked.Read(ref rowsCopied);

    public long RowsTotal => Interlocked.Read(ref rowsTotal);

    /// <summary>Row changes applied by the incremental sync since the worker started.</summary>
    public long RowChangesApplied => Interlocked.Read(ref rowChangesApplied);

    /// <summary>The binlog position the target has committed.</summary>
    public BinlogPosition? Position { get; set; }

    /// <summary>The latest measured latency (from the heartbeat, else from event times).</summary>
    public TimeSpan? Latency { get; set; }

    // When the newest heartbeat that arrived was written (UTC ticks; 0 before the first).
    private long heartbeatWrittenTicks;

    /// <summary>A heartbeat written at <paramref name="writtenAt"/> (UTC) has arrived applied: the latency is measured.</summary>
    public void HeartbeatArrived(DateTime writtenAt)
    {
        Latency = DateTime.UtcNow - writtenAt;
        Interlocked.Exchange(ref heartbeatWrittenTicks, writtenAt.Ticks);
    }

    /// <summary>
    /// The latency to show now: the last measured one, or, while heartbeats (written once a second) stop arriving, the
    /// time since the newest that did, so it grows while nothing arrives instead of showing the last healthy value.
    /// </summary>
    public TimeSpan? CurrentLatency
    {
        get
        {
            var ticks = Interlocked.Read(ref heartbeatWrittenTicks);
            var measured = Latency;
            if (ticks == 0 || measured is null)
            {
                return measured;
            }

            var waiting = DateTime.UtcNow - new DateTime(ticks, DateTimeKind.Utc) - TimeSpan.FromSeconds(2);
            return waiting > measured ? waiting : measured;
        }
    }

    public void AddCopied(long rows) => Interlocked.Add(ref rowsCopied, rows);

    public void SetCopied(long rows) => Interlocked.Exchange(ref rowsCopied, rows);

    public void SetTotal(long rows) => Interlocked.Exchange(ref rowsTotal, rows);

    public void AddApplied(long rows) => Interlocked.Add(ref rowChangesApplied, rows);

    private long conflicts;

    /// <summary>Conflicts found (and, by the job's policy, dealt with) since the worker started.</summary>
    public long Conflicts => Interlocked.Read(ref conflicts);

    public void AddConflicts(long count) => Interlocked.Add(ref conflicts, count);

    private readonly System.Collections.Concurrent.ConcurrentQueue<DdlRecord> statements = new();

    /// <summary>A statement the applier handled and committed, for the status to report.</summary>
    public void AddStatement(DdlRecord record) => statements.Enqueue(record);

    /// <summary>The statements handled since the last call, oldest first.</summary>
    public IReadOnlyList<DdlRecord> TakeStatements()
    {
        var taken = new List<DdlRecord>();
        while (statements.TryDequeue(out var record))
        {
            taken.Add(record);
        }

        return taken;
    }
}
