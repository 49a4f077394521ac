using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Commands;

/// <summary>Lists the sync jobs of the state file, by name (wildcards allowed) or id.</summary>
[Cmdlet(VerbsCommon.Get, "DtsSyncJob", DefaultParameterSetName = JobParameterSets.ByName)]
[OutputType(typeof(SyncJob))]
public sealed class GetDtsSyncJobCommand : DtsCmdlet
{
    [Parameter(Position = 0, ParameterSetName = JobParameterSets.ByName, HelpMessage = "Job name; wildcards allowed. All jobs when omitted.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobParameterSets.ById, ValueFromPipelineByPropertyName = true, HelpMessage = "Job id.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = Name is null && Id is null ? Store.Jobs.List() : JobResolver.Resolve(this, Store.Jobs, Name, Id);
        foreach (var job in jobs)
        {
            WriteObject(job);
        }
    }
}
