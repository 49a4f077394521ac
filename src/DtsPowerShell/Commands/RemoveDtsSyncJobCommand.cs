using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Commands;

/// <summary>Removes sync jobs, with their stored credentials and precheck results, from the state file.</summary>
[Cmdlet(VerbsCommon.Remove, "DtsSyncJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = JobParameterSets.ByInputObject)]
public sealed class RemoveDtsSyncJobCommand : DtsCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = JobParameterSets.ByInputObject, HelpMessage = "Jobs to remove, e.g. from Get-DtsSyncJob.")]
    public SyncJob[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = JobParameterSets.ByName, HelpMessage = "Names of the jobs to remove; wildcards allowed.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobParameterSets.ById, ValueFromPipelineByPropertyName = true, HelpMessage = "Ids of the jobs to remove.")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = ParameterSetName == JobParameterSets.ByInputObject ? InputObject : JobResolver.Resolve(this, Store.Jobs, Name, Id);
        foreach (var job in jobs)
        {
            if (ShouldProcess($"sync job '{job.Name}' ({job.Id})", "Remove") && !Store.Jobs.Remove(job.Id))
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }
}
