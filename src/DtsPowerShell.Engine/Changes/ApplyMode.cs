namespace DtsPowerShell.Engine.Changes;

/// <summary>How row changes are written.</summary>
public enum ApplyMode
{
    /// <summary>Each change exactly once: the target holds what the source held before it.</summary>
    Exact,

    /// <summary>The target may already hold the change (after a snapshot read while the source changed): upsert and delete-if-present.</summary>
    Idempotent,
}
