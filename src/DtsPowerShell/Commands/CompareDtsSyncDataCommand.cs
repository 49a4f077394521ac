using System.Management.Automation;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Verify;

namespace DtsPowerShell.Commands;

/// <summary>Compares the tables a job syncs with their source, by chunked checksums, and names the rows that differ.</summary>
[Cmdlet(VerbsData.Compare, "DtsSyncData", DefaultParameterSetName = JobParameterSets.ByInputObject)]
[OutputType(typeof(TableComparison))]
public sealed class CompareDtsSyncDataCommand : JobCmdlet
{
    [Parameter(HelpMessage = "Only these tables: name or db.name as on the source, wildcards allowed.")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    [Parameter(HelpMessage = "Rows per checksummed chunk.")]
    [ValidateRange(10, 1_000_000)]
    public int ChunkRows { get; set; } = 1000;

    [Parameter(HelpMessage = "How many times a chunk that differs is checked again before its rows are compared (a running job may be behind).")]
    [ValidateRange(0, 100)]
    public int Rechecks { get; set; } = 3;

    [Parameter(HelpMessage = "Seconds between the checks of a chunk that differs.")]
    [ValidateRange(0, 3600)]
    public double RecheckDelaySec { get; set; } = 2;

    [Parameter(HelpMessage = "Seconds to wait for each server when connecting.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    protected override void ProcessRecord()
    {
        foreach (var job in SelectedJobs())
        {
            Compare(job);
        }
    }

    private void Compare(SyncJob job)
    {
        if (StoredConnections(job, terminating: false) is not { } connections)
        {
            return;
        }

        var (source, target) = connections;

        var verifier = new DataVerifier(source, target, TimeSpan.FromSeconds(TimeoutSec)) { ChunkRows = ChunkRows, Rechecks = Rechecks, RecheckDelay = TimeSpan.FromSeconds(RecheckDelaySec) };
        var progress = new ProgressRecord(2, "Compare-DtsSyncData", $"{job.Name} ({job.Id}): {job.Source} -> {job.Target}");
        try
        {
            var patterns = (Table ?? []).Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
            var tables = verifier.TablesAsync(job, CancellationToken).GetAwaiter().GetResult()
                .Where(t => patterns.Count == 0 || patterns.Any(p => p.IsMatch(t.Name) || p.IsMatch($"{t.Database}.{t.Name}"))).ToList();
            var comparisons = verifier.CompareAsync(job, tables, CancellationToken).GetAsyncEnumerator(CancellationToken);
            try
            {
                for (var done = 0; done < tables.Count; done++)
                {
                    progress.StatusDescription = $"{tables[done]} ({done + 1} of {tables.Count})";
                    progress.PercentComplete = 100 * done / tables.Count;
                    WriteProgress(progress);
                    if (!comparisons.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    WriteObject(comparisons.Current);
                }
            }
            finally
            {
                comparisons.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is MySqlConnector.MySqlException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            WriteError(new ErrorRecord(e, "CompareFailed", ErrorCategory.ConnectionError, job)
            {
                ErrorDetails = new ErrorDetails($"Comparing the tables of {job.Name} ({job.Id}) failed: {e.Message}")
                {
                    RecommendedAction = "Check that both servers can be reached with the job's accounts (Test-DtsPrecheck), and that the account on each side may read the tables.",
                },
            });
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
