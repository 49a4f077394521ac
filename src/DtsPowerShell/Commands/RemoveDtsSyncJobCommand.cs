using System.Management.Automation;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>Removes sync jobs, with their stored credentials and precheck results, from the state file.</summary>
[Cmdlet(VerbsCommon.Remove, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
public sealed class RemoveDtsSyncJobCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Also remove what the job keeps on its target: its rows in the _dts database and its scratch database. The synced tables stay.")]
    public SwitchParameter CleanTarget { get; set; }

    [Parameter(HelpMessage = "Seconds to wait for the target when connecting, with -CleanTarget.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            if (RefuseWhileRunning(job, "removed") || !ShouldProcess($"sync job '{job.Name}' ({job.Id})", CleanTarget ? "Remove, with its bookkeeping on the target" : "Remove"))
            {
                continue;
            }

            if (CleanTarget && !Clean(job))
            {
                continue;
            }

            if (!Store.Jobs.Remove(job.Id))
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }

    /// <summary>Removes the job's bookkeeping on its target; false (with an error saying what to run by hand) when it cannot.</summary>
    private bool Clean(Engine.Jobs.SyncJob job)
    {
        try
        {
            TargetCleanup.RemoveAsync(Store.Jobs.GetConnections(job).Target, job.Id, TimeSpan.FromSeconds(TimeoutSec), CancellationToken).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is MySqlConnector.MySqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException or IOException)
        {
            WriteError(new ErrorRecord(e, "TargetCleanupFailed", ErrorCategory.ConnectionError, job)
            {
                ErrorDetails = new ErrorDetails($"Job '{job.Name}' was not removed: its bookkeeping on the target could not be removed ({e.Message}).")
                {
                    RecommendedAction = "Make the target reachable and run the command again, or remove the job without -CleanTarget and run on the target: " + string.Join("; ", TargetCleanup.Statements(job.Id)),
                },
            });
            return false;
        }
    }
}
