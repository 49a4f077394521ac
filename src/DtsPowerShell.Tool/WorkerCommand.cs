using DtsPowerShell.Engine.State;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Tool;

/// <summary>
/// <c>dts worker --state PATH --job ID [--attached] [--until-synchronizing]</c>: runs one sync job until it is stopped or
/// fails. Start-DtsSync starts it detached; <c>--attached</c> keeps it in the caller's session (a harness that stops
/// its process group), and <c>--until-synchronizing</c> ends it once the initial sync is done (a one-off copy).
/// </summary>
internal static class WorkerCommand
{
    public static int Run(string statePath, string jobId, IReadOnlyCollection<string> flags)
    {
        var unknown = flags.Except(["--attached", "--until-synchronizing"]).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"dts worker: unknown option {unknown[0]}");
            return 2;
        }

        if (!flags.Contains("--attached"))
        {
            WorkerProcess.Detach();
        }

        // Each table copy keeps a thread busy reading and formatting rows: without spare threads the pool would start
        // the other copies only after its slow thread injection (half a second each, seen on two cores).
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completions);

        var store = StateStore.Open(statePath);
        var logPath = Path.Combine(Path.GetDirectoryName(store.Path)!, "logs", $"{jobId}.log");
        using var loggers = LoggerFactory.Create(builder => builder.AddProvider(new FileLoggerProvider(logPath)));
        try
        {
            var options = new SyncWorkerOptions { StopWhenSynchronizing = flags.Contains("--until-synchronizing") };
            var state = JobRunner.RunAsync(store, jobId, options, loggers, CancellationToken.None).GetAwaiter().GetResult();
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
