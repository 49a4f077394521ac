using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Precheck;

namespace DtsPowerShell.Commands;

/// <summary>Runs every precheck item of sync jobs against their servers and stores the outcome with each job.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DtsPrecheck", DefaultParameterSetName = JobParameterSets.ByInputObject)]
[OutputType(typeof(PrecheckResult), typeof(bool))]
public sealed class TestDtsPrecheckCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Return only $true (no item failed) or $false for each job.")]
    public SwitchParameter Quiet { get; set; }

    [Parameter(HelpMessage = "Seconds each connection and each check may take before it counts as failed.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 10;

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            Check(job);
        }
    }

    private void Check(SyncJob job)
    {
        if (RefuseWhileRunning(job, "prechecked (a precheck would overwrite the state of a running job)"))
        {
            return;
        }

        var progress = new ProgressRecord(1, "Precheck", $"Checking {job.Name} ({job.Id}): {job.Source} -> {job.Target}");
        WriteProgress(progress);
        if (StoredConnections(job, terminating: false) is not { } connections)
        {
            return;
        }

        var (source, target) = connections;

        var logger = new VerboseLogger();
        var runner = new PrecheckRunner(TimeSpan.FromSeconds(TimeoutSec), logger);
        IReadOnlyList<PrecheckResult> results;
        try
        {
            results = runner.RunAsync(job, source, target, CancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            logger.Drain(WriteVerbose);
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        try
        {
            Store.Prechecks.Save(job.Id, results, DateTime.UtcNow);
        }
        catch (InvalidOperationException e)
        {
            WriteError(new ErrorRecord(e, "JobRemoved", ErrorCategory.ObjectNotFound, job) { ErrorDetails = new ErrorDetails(e.Message) });
        }

        if (Quiet)
        {
            WriteObject(results.All(r => r.Status != PrecheckStatus.Failed));
            return;
        }

        foreach (var result in results)
        {
            WriteObject(result);
        }
    }
}
