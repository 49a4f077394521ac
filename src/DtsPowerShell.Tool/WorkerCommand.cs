using DtsPowerShell.Engine.State;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Tool;

/// <summary><c>dts worker --state PATH --job ID</c>: runs one sync job until it is stopped or fails (started by Start-DtsSync).</summary>
internal static class WorkerCommand
{
    public static int Run(string statePath, string jobId)
    {
        WorkerProcess.Detach();
        var store = StateStore.Open(statePath);
        var logPath = Path.Combine(Path.GetDirectoryName(store.Path)!, "logs", $"{jobId}.log");
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(new FileLoggerProvider(logPath)));
        try
        {
            var state = JobRunner.RunAsync(store, jobId, new SyncWorkerOptions(), loggers, CancellationToken.None).GetAwaiter().GetResult();
            return state == Engine.Jobs.SyncJobState.Failed ? 1 : 0;
        }
        catch (Exception e)
        {
            loggers.CreateLogger("DtsPowerShell.Worker").LogCritical(e, "The worker could not run job {Job}.", jobId);
            try
            {
                store.Status.SetState(jobId, Engine.Jobs.SyncJobState.Failed, $"The worker could not run: {e.Message}");
                store.Status.ClearWorker(jobId);
            }
            catch (Exception)
            {
                // The state file itself is the problem; the log file says what happened.
            }

            return 1;
        }
    }
}
