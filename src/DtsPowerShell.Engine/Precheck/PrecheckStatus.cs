namespace DtsPowerShell.Engine.Precheck;

/// <summary>The outcome of one precheck item. Only <see cref="Failed"/> keeps a job from starting.</summary>
public enum PrecheckStatus
{
    Passed,
    Warning,
    Failed,
}
