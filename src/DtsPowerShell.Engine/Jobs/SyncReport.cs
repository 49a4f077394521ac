namespace DtsPowerShell.Engine.Jobs;

/// <summary>What a running worker reports each second: the moving parts of <see cref="SyncStatus"/>.</summary>
public sealed record SyncReport(
    SyncJobState State,
    double Progress,
    long RowsCopied,
    long RowsTotal,
    string? Position,
    string? Gtid,
    TimeSpan? Latency,
    double EventsPerSecond,
    string? LastError,
    long NewConflicts = 0);
