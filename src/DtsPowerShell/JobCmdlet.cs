using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell;

/// <summary>A cmdlet that acts on jobs given by the pipeline, by name (wildcards allowed) or by id.</summary>
public abstract class JobCmdlet : DtsCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = JobParameterSets.ByInputObject, HelpMessage = "Jobs, e.g. from New-DtsSyncJob or Get-DtsSyncJob.")]
    public SyncJob[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = JobParameterSets.ByName, HelpMessage = "Names of the jobs; wildcards allowed.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobParameterSets.ById, ValueFromPipelineByPropertyName = true, HelpMessage = "Ids of the jobs (also taken from piped objects with an Id, such as Get-DtsSyncStatus's).")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Id { get; set; }

    /// <summary>The jobs this call names; names and ids that match nothing are reported as errors.</summary>
    protected IEnumerable<SyncJob> SelectedJobs() =>
        ParameterSetName == JobParameterSets.ByInputObject ? InputObject : JobResolver.Resolve(this, Store.Jobs, Name, Id);

    /// <summary>Writes an error and returns true when the job's worker runs (so <paramref name="action"/> must not touch it).</summary>
    protected bool RefuseWhileRunning(SyncJob job, string action)
    {
        if (!Engine.Sync.JobControl.IsRunning(Store, job.Id))
        {
            return false;
        }

        var message = $"Sync job '{job.Name}' ({job.Id}) is running; it cannot be {action} while its worker runs.";
        WriteError(new ErrorRecord(new InvalidOperationException(message), "JobRunning", ErrorCategory.ResourceBusy, job)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Stop it first: Stop-DtsSync -Id {job.Id}" },
        });
        return true;
    }
}
