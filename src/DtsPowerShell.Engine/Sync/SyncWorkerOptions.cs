using DtsPowerShell.Engine.Apply;

namespace DtsPowerShell.Engine.Sync;

/// <summary>How a worker runs a job.</summary>
public sealed class SyncWorkerOptions
{
    /// <summary>Connecting and each setup query fail after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tables copied at once in the data initialisation.</summary>
    public int CopyParallelism { get; init; } = 4;

    /// <summary>Rows per committed chunk of a table copy (a chunk also ends at <see cref="ChunkBytes"/>).</summary>
    public int ChunkRows { get; init; } = 100_000;

    /// <summary>Bytes of row data per chunk at most.</summary>
    public int ChunkBytes { get; init; } = 4 << 20;

    public ApplierOptions Applier { get; init; } = new();

    /// <summary>Copy with LOAD DATA LOCAL where the target's local_infile allows it (else, or when false, with INSERT statements).</summary>
    public bool LoadData { get; init; } = true;

    /// <summary>Stop (as Stopped) once the initial sync is done instead of going on with the binlog: a one-off copy.</summary>
    public bool StopWhenSynchronizing { get; init; }

    /// <summary>The longest wait between retries of a transient failure.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
