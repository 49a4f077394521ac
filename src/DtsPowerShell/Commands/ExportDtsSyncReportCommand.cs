using System.Management.Automation;
using System.Text;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Reports;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Commands;

/// <summary>Writes jobs' latency and events per second, minute by minute, as charts in one self-contained HTML file.</summary>
[Cmdlet(VerbsData.Export, "DtsSyncReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = JobParameterSets.ByName)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDtsSyncReportCommand : DtsCmdlet
{
    private readonly List<(SyncStatus Status, SyncJob Job, IReadOnlyList<SyncHistoryPoint> History)> jobs = [];
    private readonly DateTime now = DateTime.UtcNow;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The HTML file to write (replaced if it exists); its folder must exist.")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = JobParameterSets.ByInputObject, HelpMessage = "Jobs, e.g. from Get-DtsSyncJob.")]
    public SyncJob[] InputObject { get; set; } = [];

    [Parameter(ParameterSetName = JobParameterSets.ByName, HelpMessage = "Job names; wildcards allowed. Every job when omitted.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobParameterSets.ById, ValueFromPipelineByPropertyName = true, HelpMessage = "Job ids.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobCompleter))]
    public string[]? Id { get; set; }

    [Parameter(HelpMessage = "The first minute to chart (default: 24 hours ago, all the state file keeps).")]
    public DateTime? Since { get; set; }

    protected override void ProcessRecord()
    {
        var selected = JobResolver.ResolveOrEvery(this, Store.Jobs, ParameterSetName, InputObject, Name, Id);
        foreach (var job in selected)
        {
            if (JobControl.GetStatus(Store, job) is { } status)
            {
                jobs.Add((status, job, Store.Status.GetHistory(job, From)));
            }
            else
            {
                WriteError(JobResolver.NotInStateFile(job, Store.Path));
            }
        }
    }

    protected override void EndProcessing()
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, $"Write a sync report of {jobs.Count} job(s)"))
        {
            return;
        }

        var html = HistoryReport.Render(jobs, From, now, now);
        try
        {
            File.WriteAllText(path, html, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ReportNotWritten", ErrorCategory.WriteError, path)
            {
                ErrorDetails = new ErrorDetails($"The sync report could not be written to '{path}': {e.Message}")
                {
                    RecommendedAction = "Give a -Path in a folder that exists and that you may write to.",
                },
            });
        }

        WriteObject(new FileInfo(path));
    }

    private DateTime From => Since is { } since && since.ToUniversalTime() < now ? since.ToUniversalTime() : now - SyncHistoryPoint.Kept;
}
