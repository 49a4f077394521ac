namespace DtsPowerShell.Engine.Jobs;

/// <summary>Where a job is in its lifecycle.</summary>
public enum SyncJobState
{
    /// <summary>Created; no precheck has run yet.</summary>
    Created,

    /// <summary>The last precheck had a failed item.</summary>
    PrecheckFailed,

    /// <summary>The last precheck passed; the job may start.</summary>
    Ready,
}
