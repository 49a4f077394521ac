using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Precheck;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>
/// Starts sync jobs: each job's worker runs detached from this session (schema init, data init, then the binlog), so
/// closing PowerShell does not stop it. A job whose latest precheck failed is refused; one without a precheck is checked first.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DtsSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
[OutputType(typeof(SyncStatus))]
public sealed class StartDtsSyncCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Return once the job is Synchronizing (initial sync done) or has stopped, showing the initial sync's progress.")]
    public SwitchParameter Wait { get; set; }

    [Parameter(HelpMessage = "With -Wait: seconds to wait for Synchronizing at most; past them a SyncWaitTimedOut error says so, while the job goes on.")]
    [ValidateRange(1, 604800)]
    public int? TimeoutSec { get; set; }

    [Parameter(HelpMessage = "Copy the job's tables again from a new snapshot, replacing what the job made on the target, then follow the binlog from there. Asks first, as at ConfirmImpact High.")]
    public SwitchParameter Resync { get; set; }

    [Parameter(HelpMessage = "With -Resync: copy only these tables again (database.table, as the source names them); the others go on from the job's checkpoint.")]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    protected override void BeginProcessing()
    {
        if (TimeoutSec is not null && !Wait)
        {
            ThrowTerminatingError(InputError(new Engine.DtsInputException("-TimeoutSec bounds the wait of -Wait, and -Wait is not given.", "Add -Wait, or leave -TimeoutSec out."), "TimeoutWithoutWait", TimeoutSec));
        }

        if (Table is not null && !Resync)
        {
            ThrowTerminatingError(InputError(new Engine.DtsInputException("-Table names the tables to copy again, which only -Resync does.", "Add -Resync, or leave -Table out."), "TableWithoutResync", Table));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            if (JobControl.IsRunning(Store, job.Id) && Resync)
            {
                WriteError(InputError(new Engine.DtsInputException($"Sync job '{job.Name}' ({job.Id}) is running: it cannot copy its tables again while it syncs them.", "Stop it with Stop-DtsSync, then run Start-DtsSync -Resync again; nothing was changed."), "ResyncRefused", job));
                continue;
            }

            if (JobControl.IsRunning(Store, job.Id))
            {
                WriteWarning($"Sync job '{job.Name}' ({job.Id}) is already running; nothing was changed.");
                if (Wait)
                {
                    WriteOutcome(job, WaitUntilSynchronizing(job));
                }
                else
                {
                    WriteObject(JobControl.GetStatus(Store, job));
                }

                continue;
            }

            var target = $"sync job '{job.Name}' ({job.Id}): {job.Source} -> {job.Target}";
            if (!(Resync ? ShouldProcessHighImpact(target, ResyncAction) : ShouldProcess(target, "Start")) || !PrecheckPassed(job) || (Resync && !PrepareResync(job)))
            {
                continue;
            }

            try
            {
                if (!JobControl.StartWorker(Store, job).Started)
                {
                    WriteWarning($"Sync job '{job.Name}' ({job.Id}) was started by another command meanwhile and is running; nothing was changed.");
                }
            }
            catch (Exception e) when (e is FileNotFoundException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                Store.Status.SetState(job.Id, SyncJobState.Failed, e.Message);
                WriteError(new ErrorRecord(e, "WorkerNotStarted", ErrorCategory.NotInstalled, job)
                {
                    ErrorDetails = new ErrorDetails($"The worker of sync job '{job.Name}' did not start: {e.Message}") { RecommendedAction = "Reinstall the DtsPowerShell module (Install-PSResource DtsPowerShell -Reinstall; its bin/ folder holds the worker, dts.dll)." },
                });
                continue;
            }

            if (Wait)
            {
                WriteOutcome(job, WaitUntilSynchronizing(job));
            }
            else
            {
                WriteObject(JobControl.GetStatus(Store, job));
            }
        }
    }

    private string ResyncAction => Table is null
        ? "Resync: drop or empty every table the job made on the target and copy them again from a new snapshot"
        : $"Resync {string.Join(", ", Table)}: empty them on the target and copy them again from a new snapshot";

    /// <summary>Readies the target for the copy again; false, with the error written, when it cannot.</summary>
    private bool PrepareResync(SyncJob job)
    {
        if (StoredConnections(job, terminating: false) is not { } connections)
        {
            return false;
        }

        try
        {
            var tables = TargetResync.PrepareAsync(job, connections.Target, Table, TimeSpan.FromSeconds(30), CancellationToken).GetAwaiter().GetResult();
            WriteVerbose($"Sync job '{job.Name}': {(tables.Count == 0 ? "no tables on the target yet" : string.Join(", ", tables))} made ready to be copied again.");
            Store.Status.ResetCounters(job.Id);
            return true;
        }
        catch (Engine.DtsInputException e)
        {
            WriteError(InputError(e, "ResyncRefused", job));
        }
        catch (Exception e) when (e is MySqlConnector.MySqlException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            WriteError(new ErrorRecord(e, "ResyncTargetUnavailable", ErrorCategory.ConnectionError, job)
            {
                ErrorDetails = new ErrorDetails($"Sync job '{job.Name}' was not resynced: its target could not be made ready ({e.Message}).")
                {
                    RecommendedAction = "Make the target reachable (Test-DtsPrecheck names what fails), then run Start-DtsSync -Resync again; nothing was started.",
                },
            });
        }

        return false;
    }

    private bool PrecheckPassed(SyncJob job)
    {
        var results = Store.Prechecks.GetLast(job.Id);
        if (results.Count == 0)
        {
            WriteVerbose($"Sync job '{job.Name}' has no precheck yet; running it.");
            var (source, target) = Store.Jobs.GetConnections(job);
            var logger = new VerboseLogger();
            results = new PrecheckRunner(TimeSpan.FromSeconds(10), logger).RunAsync(job, source, target, CancellationToken).GetAwaiter().GetResult();
            logger.Drain(WriteVerbose);
            Store.Prechecks.Save(job.Id, results, DateTime.UtcNow);
        }

        var failed = results.Where(r => r.Status == PrecheckStatus.Failed).ToList();
        if (failed.Count == 0)
        {
            return true;
        }

        var message = $"Sync job '{job.Name}' ({job.Id}) did not pass its precheck: " + string.Join("; ", failed.Select(f => $"{f.Check}: {f.Message}"));
        WriteError(new ErrorRecord(new InvalidOperationException(message), "PrecheckFailed", ErrorCategory.InvalidOperation, job)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = string.Join(" ", failed.Where(f => f.Remedy is not null).Select(f => f.Remedy)) + " Then run Test-DtsPrecheck again.",
            },
        });
        return false;
    }

    /// <summary>
    /// The status the wait ended with, and, where the job did not reach Synchronizing, an error a runbook can catch
    /// (written after the status, so the status is there even under -ErrorAction Stop).
    /// </summary>
    private void WriteOutcome(SyncJob job, SyncStatus status)
    {
        WriteObject(status);
        var log = Path.Combine(Path.GetDirectoryName(Store.Path)!, "logs", job.Id + ".log");
        var (id, category, message, remedy) = status.State switch
        {
            SyncJobState.Synchronizing => (null, ErrorCategory.NotSpecified, null, null),
            SyncJobState.Failed => ("SyncJobFailed", ErrorCategory.OperationStopped,
                $"Sync job '{job.Name}' ({job.Id}) failed before its initial sync was done: {status.LastError}",
                $"Mend what the error names (the worker's log is '{log}'), then Start-DtsSync resumes from the job's last checkpoint; Start-DtsSync -Resync copies its tables again from a new snapshot."),
            SyncJobState.Stopped => ("SyncJobStopped", ErrorCategory.OperationStopped,
                $"Sync job '{job.Name}' ({job.Id}) was stopped before its initial sync was done.",
                "Start-DtsSync resumes it from its last checkpoint."),
            _ => ("SyncWaitTimedOut", ErrorCategory.OperationTimeout,
                $"Sync job '{job.Name}' ({job.Id}) is still {status.State} after {TimeoutSec} s; it goes on in the background.",
                "Wait longer (Start-DtsSync -Wait on a running job waits again, or watch Get-DtsSyncStatus), or stop it with Stop-DtsSync."),
        };
        if (id is not null)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(message), id, category, job)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = remedy },
            });
        }
    }

    private SyncStatus WaitUntilSynchronizing(SyncJob job)
    {
        var progress = new ProgressRecord(2, $"Initial sync of {job.Name}", "Starting");
        var deadline = TimeSpan.FromSeconds(TimeoutSec ?? int.MaxValue);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                var status = JobControl.GetStatus(Store, job)!;
                if (status.State is SyncJobState.Synchronizing or SyncJobState.Failed or SyncJobState.Stopped || waited.Elapsed >= deadline)
                {
                    return status;
                }

                progress.StatusDescription = status.State == SyncJobState.InitializingData
                    ? $"{status.State}: {status.RowsCopied:N0} of about {status.RowsTotal:N0} rows"
                    : status.State.ToString();
                progress.PercentComplete = (int)Math.Clamp(status.Progress, 0, 100);
                WriteProgress(progress);
                CancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
                CancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
