namespace DtsPowerShell.Engine.Jobs;

/// <summary>One minute of a job's sync, from the reports its worker wrote in it (about one a second while it ran).</summary>
public sealed record SyncHistoryPoint(
    string Id,
    string Name,
    DateTime Minute,
    TimeSpan? Latency,
    TimeSpan? MaxLatency,
    double EventsPerSecond,
    int Samples)
{
    /// <summary>How long minute-by-minute history is kept in the state file.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(24);
}
