using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>How sync jobs stand: state, initial sync progress, position, latency, throughput, last error, worker.</summary>
[Cmdlet(VerbsCommon.Get, "DtsSyncStatus", DefaultParameterSetName = JobParameterSets.ByName)]
[OutputType(typeof(SyncStatus))]
public sealed class GetDtsSyncStatusCommand : DtsCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = JobParameterSets.ByInputObject, HelpMessage = "Jobs, e.g. from Get-DtsSyncJob.")]
    public SyncJob[] InputObject { get; set; } = [];

    [Parameter(Position = 0, ParameterSetName = JobParameterSets.ByName, HelpMessage = "Job names; wildcards allowed. Every job when omitted.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobParameterSets.ById, ValueFromPipelineByPropertyName = true, HelpMessage = "Job ids.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        var jobs = ParameterSetName == JobParameterSets.ByInputObject ? InputObject
            : Name is null && Id is null ? Store.Jobs.List()
            : JobResolver.Resolve(this, Store.Jobs, Name, Id);
        foreach (var job in jobs)
        {
            if (JobControl.GetStatus(Store, job) is { } status)
            {
                WriteObject(status);
            }
            else
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }
}
