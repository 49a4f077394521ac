using System.Diagnostics;
using System.Globalization;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;
using Microsoft.Extensions.Logging;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// The worker process's main loop: runs a job's <see cref="SyncWorker"/>, writes its status to the state file once a
/// second (on its own timer, off the apply path), and passes on a stop request left there by Stop-DtsSync.
/// </summary>
public static class JobRunner
{
    public static async Task<SyncJobState> RunAsync(StateStore store, string jobId, SyncWorkerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(loggers);
        var log = loggers.CreateLogger("DtsPowerShell.Sync");
        var job = store.Jobs.Get(jobId) ?? throw new KeyNotFoundException($"Job {jobId} is not in the state file '{store.Path}'.");
        var (source, target) = store.Jobs.GetConnections(job);
        using var self = Process.GetCurrentProcess();
        if (store.Status.GetWorker(job.Id) is { } other && other.ProcessId != self.Id && WorkerProcess.IsAlive(other.ProcessId, other.Identity))
        {
            log.LogWarning("Worker {Other} already runs job {Id}; worker {Pid} leaves it alone.", other.ProcessId, job.Id, self.Id);
            return SyncJobState.Failed;
        }

        store.Status.SetWorker(job.Id, self.Id, WorkerProcess.IdentityOf(self), newStart: false);
        log.LogInformation("Worker {Pid} runs job {Name} ({Id}): {Source} to {Target}.", self.Id, job.Name, job.Id, source, target);

        var worker = new SyncWorker(job, source, target, options, log);
        var run = worker.RunAsync(cancellationToken);
        var lastApplied = 0L;
        var lastConflicts = 0L;
        var clock = Stopwatch.StartNew();
        var stopping = false;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
            try
            {
                if (!stopping && store.Status.IsStopRequested(job.Id))
                {
                    log.LogInformation("Stop requested; stopping at the next transaction boundary.");
                    stopping = true;
                    worker.RequestStop();
                }

                var applied = worker.Progress.RowChangesApplied;
                var eventsPerSecond = (applied - lastApplied) / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                lastApplied = applied;
                clock.Restart();
                var conflicts = worker.Progress.Conflicts;
                store.Status.Report(job.Id, Report(worker, stopping ? SyncJobState.Stopping : worker.State, eventsPerSecond, conflicts - lastConflicts));
                lastConflicts = conflicts;
                ReportStatements(store, job.Id, worker);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // A busy or briefly unavailable state file must not stop the sync; the next second writes again.
                log.LogWarning("Could not write the status to the state file: {Error}", e.Message);
            }
        }

        var final = await run.ConfigureAwait(false);
        store.Status.Report(job.Id, Report(worker, final, 0, worker.Progress.Conflicts - lastConflicts));
        ReportStatements(store, job.Id, worker);
        store.Status.SetState(job.Id, final);
        store.Status.ClearWorker(job.Id);
        log.LogInformation("Worker {Pid} ends: the job is {State}.", self.Id, final);
        return final;
    }

    private static void ReportStatements(StateStore store, string jobId, SyncWorker worker)
    {
        var statements = worker.Progress.TakeStatements();
        if (statements.Count > 0)
        {
            store.Status.AddStatements(jobId, statements.Select(r => new SyncStatement(
                string.Create(CultureInfo.InvariantCulture, $"{r.Position.File}:{r.Position.Position}"), r.SourceTime, r.Outcome.ToString(), r.Statement, r.TargetStatement, r.Note)));
        }
    }

    private static SyncReport Report(SyncWorker worker, SyncJobState state, double eventsPerSecond, long newConflicts)
    {
        var progress = worker.Progress;
        var percent = worker.InitialSyncDone ? 100 : progress.RowsTotal == 0 ? 0 : Math.Min(99.9, 100.0 * progress.RowsCopied / progress.RowsTotal);
        var position = progress.Position;
        return new SyncReport(
            state,
            percent,
            progress.RowsCopied,
            Math.Max(progress.RowsTotal, progress.RowsCopied),
            position is null ? null : position.File.Length == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{position.File}:{position.Position}"),
            position?.GtidSet,
            progress.CurrentLatency,
            eventsPerSecond,
            worker.Unanswered ?? worker.LastError,
            newConflicts);
    }
}
