using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Precheck.Checks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace DtsPowerShell.Engine.Precheck;

/// <summary>
/// Runs every precheck item of a job against its source and target. Nothing here throws for a server
/// problem: unreachable hosts, refused logins and timeouts become Failed results, and no item runs longer
/// than the timeout.
/// </summary>
public sealed class PrecheckRunner(TimeSpan timeout, ILogger? logger = null)
{
    public const string SourceConnectionCheck = "SourceConnection";
    public const string TargetConnectionCheck = "TargetConnection";

    private static readonly PrecheckItem[] SourceItems =
    [
        new SourceVersionCheck(),
        new SourceBinlogCheck(),
        new SourceBinlogFormatCheck(),
        new SourceBinlogRowImageCheck(),
        new SourceServerIdCheck(),
        new SourcePrivilegesCheck(),
        new SourceObjectsCheck(),
        new SourceBinlogRetentionCheck(),
        new SourcePrimaryKeysCheck(),
        new SourceTriggersCheck(),
        new SourceHeartbeatCheck(),
    ];

    private static readonly PrecheckItem[] TargetItems =
    [
        new TargetPrivilegesCheck(),
        new TargetNameConflictsCheck(),
        new CharsetsCheck(),
        new MaxAllowedPacketCheck(),
        new TargetLocalInfileCheck(),
        new LowerCaseTableNamesCheck(),
        new StorageEnginesCheck(),
        new ConnectionLimitsCheck(),
    ];

    private readonly ILogger log = logger ?? NullLogger.Instance;

    /// <summary>The names of all items, in the order they are reported.</summary>
    public static IReadOnlyList<string> CheckNames { get; } =
        [SourceConnectionCheck, .. SourceItems.Select(i => i.Name), TargetConnectionCheck, .. TargetItems.Select(i => i.Name)];

    public async Task<IReadOnlyList<PrecheckResult>> RunAsync(SyncJob job, ConnectionSettings source, ConnectionSettings target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var context = new PrecheckContext(job);
        var results = new List<PrecheckResult>();
        var sourceOpen = OpenAsync(job, source, "source", SourceConnectionCheck, cancellationToken);
        var targetOpen = OpenAsync(job, target, "target", TargetConnectionCheck, cancellationToken);
        await Task.WhenAll(sourceOpen, targetOpen).ConfigureAwait(false);
        (context.Source, var sourceResult) = sourceOpen.Result;
        (context.Target, var targetResult) = targetOpen.Result;
        try
        {
            if (context.Source is not null)
            {
                sourceResult = await BoundedAsync(job, SourceConnectionCheck, async ct =>
                {
                    await LoadSelectedObjectsAsync(context, ct).ConfigureAwait(false);
                    return sourceResult;
                }, cancellationToken).ConfigureAwait(false);
                if (sourceResult.Status == PrecheckStatus.Failed)
                {
                    await DisposeAsync(context.Source).ConfigureAwait(false);
                    context.Source = null;
                }
            }

            results.Add(sourceResult);
            await RunItemsAsync(SourceItems, context, results, cancellationToken).ConfigureAwait(false);
            results.Add(targetResult);
            await RunItemsAsync(TargetItems, context, results, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync(context.Source).ConfigureAwait(false);
            await DisposeAsync(context.Target).ConfigureAwait(false);
        }

        return results;
    }

    private async Task RunItemsAsync(IEnumerable<PrecheckItem> items, PrecheckContext context, List<PrecheckResult> results, CancellationToken cancellationToken)
    {
        var connected = (context.Source is null ? 0 : PrecheckSides.Source) | (context.Target is null ? 0 : PrecheckSides.Target);
        foreach (var item in items.Where(i => (i.Needs & connected) == i.Needs))
        {
            var result = await BoundedAsync(context.Job, item.Name, ct => item.RunAsync(context, ct), cancellationToken).ConfigureAwait(false);
            log.LogDebug("Precheck {Check} for job {JobId}: {Status}", item.Name, context.Job.Id, result.Status);
            results.Add(result);
        }
    }

    private async Task<(ServerSession? Session, PrecheckResult Result)> OpenAsync(SyncJob job, ConnectionSettings settings, string side, string check, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var session = await ServerSession.OpenAsync(settings, timeout, deadline.Token).WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return (session, PrecheckResult.Passed(job.Id, check, $"Connected to {session.Version} at {settings.Endpoint} as {session.Account} ({(session.Cipher.Length > 0 ? $"TLS, {session.Cipher}" : "unencrypted")})."));
        }
        catch (Exception e) when (e is MySqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("Cannot connect to the {Side} {Endpoint}: {Error}", side, settings.Endpoint, e.Message);
            var (message, remedy) = ConnectionFailure.Describe(e, settings, side, timeout);
            return (null, PrecheckResult.Failed(job.Id, check, message, remedy));
        }
    }

    private async Task<PrecheckResult> BoundedAsync(SyncJob job, string check, Func<CancellationToken, Task<PrecheckResult>> run, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await run(deadline.Token).WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return PrecheckResult.Failed(job.Id, check, $"The check did not finish within {timeout.TotalSeconds:0} s.", "Check the server's load and the network, or raise -TimeoutSec.");
        }
        catch (MySqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("Precheck {Check} for job {JobId} failed: {Error}", check, job.Id, e.Message);
            return PrecheckResult.Failed(job.Id, check, $"The check could not read what it needs: {e.Message}", "Grant the account read access to information_schema and the selected objects, or see the server's error log.");
        }
    }

    private static async Task LoadSelectedObjectsAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var (list, parameters) = context.DatabaseParameters();
        var session = context.SourceSession;
        context.ExistingDatabases = (await session.QueryAsync($"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN {list}", cancellationToken, parameters).ConfigureAwait(false))
            .Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        // information_schema.STATISTICS, unlike TABLE_CONSTRAINTS, shows keys to an account with only SELECT.
        var keyed = (await session.QueryAsync(
                $"SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 AND TABLE_SCHEMA IN {list}", cancellationToken, parameters).ConfigureAwait(false))
            .Select(r => ((string)r[0]!, (string)r[1]!)).ToHashSet();
        var rows = await session.QueryAsync(
            $"SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(ENGINE, ''), TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN {list} ORDER BY TABLE_SCHEMA, TABLE_NAME",
            cancellationToken, parameters).ConfigureAwait(false);
        context.Tables = rows
            .Select(r => new SourceTable((string)r[0]!, (string)r[1]!, (string)r[2]!, r[3] as string, keyed.Contains(((string)r[0]!, (string)r[1]!))))
            .Where(t => context.Job.Selection.ContainsTable(t.Database, t.Name))
            .ToList();
    }

    private static async Task DisposeAsync(ServerSession? session)
    {
        if (session is not null)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
