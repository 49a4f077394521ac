using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>How sync jobs stand: state, initial sync progress, position, latency, throughput, last error, worker; with -History, latency and events/s minute by minute.</summary>
[Cmdlet(VerbsCommon.Get, "DtsSyncStatus", DefaultParameterSetName = JobParameterSets.ByName)]
[OutputType(typeof(SyncStatus), typeof(SyncHistoryPoint))]
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

    [Parameter(HelpMessage = "Minute-by-minute latency and events per second instead of the status (the state file keeps the last 24 hours).")]
    public SwitchParameter History { get; set; }

    [Parameter(HelpMessage = "With -History: the first minute to show (default: 24 hours ago).")]
    public DateTime? Since { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Since is not null && !History)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Since applies only with -History."), "SinceWithoutHistory", ErrorCategory.InvalidArgument, Since)
            {
                ErrorDetails = new ErrorDetails("-Since applies only with -History.") { RecommendedAction = "Add -History to see the minutes since then, or leave -Since out." },
            });
        }
    }

    protected override void ProcessRecord()
    {
        var jobs = JobResolver.ResolveOrEvery(this, Store.Jobs, ParameterSetName, InputObject, Name, Id);
        foreach (var job in jobs)
        {
            if (JobControl.GetStatus(Store, job) is not { } status)
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
            else if (History)
            {
                var since = Since?.ToUniversalTime() ?? DateTime.UtcNow - SyncHistoryPoint.Kept;
                WriteObject(Store.Status.GetHistory(job, since), enumerateCollection: true);
            }
            else
            {
                WriteObject(status);
            }
        }
    }
}
