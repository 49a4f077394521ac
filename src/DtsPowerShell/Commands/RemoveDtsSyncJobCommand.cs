using System.Management.Automation;

namespace DtsPowerShell.Commands;

/// <summary>Removes sync jobs, with their stored credentials and precheck results, from the state file.</summary>
[Cmdlet(VerbsCommon.Remove, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
public sealed class RemoveDtsSyncJobCommand : JobCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            if (!RefuseWhileRunning(job, "removed") && ShouldProcess($"sync job '{job.Name}' ({job.Id})", "Remove") && !Store.Jobs.Remove(job.Id))
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }
}
