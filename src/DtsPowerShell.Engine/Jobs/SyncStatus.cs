namespace DtsPowerShell.Engine.Jobs;

/// <summary>How a job's sync stands, as its worker last wrote it (at least once a second while it runs).</summary>
public sealed class SyncStatus
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public SyncJobState State { get; init; }

    /// <summary>Percent of the initial sync done (100 once it is finished or when there is none).</summary>
    public double Progress { get; init; }

    public long RowsCopied { get; init; }

    /// <summary>Rows the initial sync expects to copy (the source's estimate until the copy ends).</summary>
    public long RowsTotal { get; init; }

    /// <summary>The source binlog position (file:offset) applied to the target so far.</summary>
    public string? Position { get; init; }

    /// <summary>The source GTID state applied so far, where known.</summary>
    public string? Gtid { get; init; }

    /// <summary>How far the target is behind the source.</summary>
    public TimeSpan? Latency { get; init; }

    public double EventsPerSecond { get; init; }

    /// <summary>Changes that found the target's row not as the source had it, over the job's life (dealt with by its ConflictPolicy; the worker's log names each key).</summary>
    public long Conflicts { get; init; }

    /// <summary>What stopped the job, or what it is retrying after.</summary>
    public string? LastError { get; init; }

    public int? WorkerProcessId { get; init; }

    /// <summary>The latest statements from the source's binlog the job handled (DDL applied or skipped), newest first.</summary>
    public IReadOnlyList<SyncStatement> RecentStatements { get; init; } = [];

    /// <summary>When the worker last wrote this status, in UTC.</summary>
    public DateTime? UpdatedAt { get; init; }

    public override string ToString() => $"{Name} ({Id}): {State}";
}
