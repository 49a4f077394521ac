namespace DtsPowerShell.Engine.Jobs;

/// <summary>One precheck item's outcome for one job, with what to do about it when it did not pass.</summary>
public sealed record PrecheckResult(string JobId, string Check, PrecheckStatus Status, string Message, string? Remedy)
{
    public static PrecheckResult Passed(string jobId, string check, string message) => new(jobId, check, PrecheckStatus.Passed, message, null);

    public static PrecheckResult Warning(string jobId, string check, string message, string remedy) => new(jobId, check, PrecheckStatus.Warning, message, remedy);

    public static PrecheckResult Failed(string jobId, string check, string message, string remedy) => new(jobId, check, PrecheckStatus.Failed, message, remedy);
}
