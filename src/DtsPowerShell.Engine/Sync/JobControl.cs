using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// What the cmdlets do to a job's worker: start it, know whether it runs, stop it. A job whose state says it runs
/// but whose worker is gone (killed, crashed, machine restarted) is marked Failed here, with the reason the worker
/// recorded or "worker exited unexpectedly", so it is never shown as running.
/// </summary>
public static class JobControl
{
    public const string WorkerExited = "The worker exited unexpectedly. See the job's log beside the state file (logs/<id>.log); Start-DtsSync resumes from the last checkpoint.";

    private static readonly SyncJobState[] RunningStates =
        [SyncJobState.Starting, SyncJobState.InitializingSchema, SyncJobState.InitializingData, SyncJobState.Synchronizing, SyncJobState.Stopping];

    /// <summary>The job's status, with a dead worker noticed and recorded.</summary>
    public static SyncStatus? GetStatus(StateStore store, SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(store);
        var status = store.Status.Get(job);
        if (status is null || !RunningStates.Contains(status.State) || IsRunning(store, job.Id))
        {
            return status;
        }

        // Read again: a worker that just ended writes its final state before it forgets itself.
        status = store.Status.Get(job)!;
        if (RunningStates.Contains(status.State) && !IsRunning(store, job.Id))
        {
            var stopped = status.State == SyncJobState.Stopping;
            store.Status.SetState(job.Id, stopped ? SyncJobState.Stopped : SyncJobState.Failed, stopped ? null : status.LastError ?? WorkerExited);
            store.Status.ClearWorker(job.Id);
            status = store.Status.Get(job)!;
        }

        return status;
    }

    /// <summary>Whether the job has ever run (a worker started it: it may have made and filled tables on the target).</summary>
    public static bool HasRun(StateStore store, SyncJob job) =>
        GetStatus(store, job) is { } status
        && (status.Position is not null || status.RowsCopied > 0 || status.State is not (SyncJobState.Created or SyncJobState.Ready or SyncJobState.PrecheckFailed));

    public static bool IsRunning(StateStore store, string jobId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Status.GetWorker(jobId) is { } worker && WorkerProcess.IsAlive(worker.ProcessId, worker.Identity);
    }

    /// <summary>Starts the job's worker, detached, unless one runs; returns the process id of the worker that runs it.</summary>
    public static int Start(StateStore store, SyncJob job, IReadOnlyDictionary<string, string>? environment = null) =>
        StartWorker(store, job, environment).ProcessId;

    /// <summary>Starts the job's worker, detached, unless one runs (<c>Started</c> false: another start came first).</summary>
    public static (int ProcessId, bool Started) StartWorker(StateStore store, SyncJob job, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        return store.Status.StartWorker(job.Id, WorkerProcess.IsAlive, () => WorkerProcess.Start(store.Path, job.Id, environment));
    }

    /// <summary>Asks the worker to stop at a transaction boundary and waits; kills it after <paramref name="timeout"/>. True when it stopped by itself.</summary>
    public static bool Stop(StateStore store, SyncJob job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(job);
        var worker = store.Status.GetWorker(job.Id);
        store.Status.RequestStop(job.Id);
        var deadline = DateTime.UtcNow + timeout;
        while (worker is { } w && WorkerProcess.IsAlive(w.ProcessId, w.Identity))
        {
            if (DateTime.UtcNow >= deadline)
            {
                WorkerProcess.Kill(w.ProcessId, w.Identity, TimeSpan.FromSeconds(10));
                store.Status.SetState(job.Id, SyncJobState.Stopped, $"The worker did not stop within {timeout.TotalSeconds:0} s and was killed; the next start resumes from the last checkpoint.");
                store.Status.ClearWorker(job.Id);
                return false;
            }

            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            cancellationToken.ThrowIfCancellationRequested();
        }

        var status = store.Status.Get(job);
        if (status is not null && status.State is not (SyncJobState.Stopped or SyncJobState.Failed))
        {
            store.Status.SetState(job.Id, SyncJobState.Stopped);
        }

        store.Status.ClearWorker(job.Id);
        return true;
    }
}
