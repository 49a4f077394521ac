using System.Management.Automation;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>Removes sync jobs, with their stored credentials and precheck results, from the state file.</summary>
[Cmdlet(VerbsCommon.Remove, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
public sealed class RemoveDtsSyncJobCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Also remove what the job keeps on its target: its rows in the _dts database and its scratch database. The synced tables stay. Asks first, as at ConfirmImpact High.")]
    public SwitchParameter CleanTarget { get; set; }

    [Parameter(HelpMessage = "Also drop the tables the job created on the target (a job that does not create its tables drops none). Asks first, as at ConfirmImpact High.")]
    public SwitchParameter DropTargetTables { get; set; }

    [Parameter(HelpMessage = "Seconds to wait for the target when connecting, with -CleanTarget or -DropTargetTables.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            var target = $"sync job '{job.Name}' ({job.Id})";
            // Anything changed on the target asks as at ConfirmImpact High: it cannot be undone from here.
            if (RefuseWhileRunning(job, "removed") || !(DropTargetTables || CleanTarget
                ? ShouldProcessHighImpact(target, DropTargetTables
                    ? "Remove, dropping the tables it created on the target" + (CleanTarget ? " and its bookkeeping there" : "")
                    : "Remove, with its bookkeeping on the target (its checkpoint: the job cannot resume there)")
                : ShouldProcess(target, "Remove")))
            {
                continue;
            }

            if ((DropTargetTables && !Clean(job, dropTables: true)) || (CleanTarget && !Clean(job, dropTables: false)))
            {
                continue;
            }

            if (!Store.Jobs.Remove(job.Id))
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }

    /// <summary>Removes the job's tables or its bookkeeping on its target; false (with an error saying what to do instead) when it cannot.</summary>
    private bool Clean(Engine.Jobs.SyncJob job, bool dropTables)
    {
        if (StoredConnections(job, terminating: false) is not { } connections)
        {
            return false;
        }

        try
        {
            if (dropTables)
            {
                var dropped = TargetCleanup.DropTablesAsync(connections.Target, job, TimeSpan.FromSeconds(TimeoutSec), CancellationToken).GetAwaiter().GetResult();
                WriteVerbose(dropped.Count == 0 ? $"Sync job '{job.Name}' created no tables on the target (or does not create its tables): none dropped." : "Dropped " + string.Join(", ", dropped));
            }
            else
            {
                TargetCleanup.RemoveAsync(connections.Target, job.Id, TimeSpan.FromSeconds(TimeoutSec), CancellationToken).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (Exception e) when (e is MySqlConnector.MySqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException or IOException)
        {
            WriteError(new ErrorRecord(e, "TargetCleanupFailed", ErrorCategory.ConnectionError, job)
            {
                ErrorDetails = new ErrorDetails($"Job '{job.Name}' was not removed: its {(dropTables ? "tables" : "bookkeeping")} on the target could not be removed ({e.Message}).")
                {
                    RecommendedAction = dropTables
                        ? "Make the target reachable and run the command again; nothing was removed."
                        : "Make the target reachable and run the command again, or remove the job without -CleanTarget and run on the target: " + string.Join("; ", TargetCleanup.Statements(job.Id)),
                },
            });
            return false;
        }
    }
}
