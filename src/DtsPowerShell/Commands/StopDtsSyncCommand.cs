using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>Stops sync jobs at a transaction boundary (killing a worker that does not stop in time); a later Start-DtsSync resumes where each stopped.</summary>
[Cmdlet(VerbsLifecycle.Stop, "DtsSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
[OutputType(typeof(SyncStatus))]
public sealed class StopDtsSyncCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Seconds to wait for the worker to stop by itself before it is killed (nothing is lost either way).")]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 60;

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            if (!JobControl.IsRunning(Store, job.Id))
            {
                WriteWarning($"Sync job '{job.Name}' ({job.Id}) is not running; nothing was changed.");
            }
            else if (!ShouldProcess($"sync job '{job.Name}' ({job.Id})", "Stop"))
            {
                continue;
            }
            else if (!JobControl.Stop(Store, job, TimeSpan.FromSeconds(TimeoutSec), CancellationToken))
            {
                // The status first: under -ErrorAction Stop the error ends the command.
                WriteObject(JobControl.GetStatus(Store, job));
                var message = $"Sync job '{job.Name}' ({job.Id}) did not stop by itself within {TimeoutSec} s; its worker was killed. Nothing is lost: the next start resumes from the last checkpoint.";
                WriteError(new ErrorRecord(new TimeoutException(message), "SyncStopTimedOut", ErrorCategory.OperationTimeout, job)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Give the worker longer with -TimeoutSec (a large transaction or a slow target takes time to reach a boundary), or look in its log for what held it." },
                });
                continue;
            }

            WriteObject(JobControl.GetStatus(Store, job));
        }
    }
}
