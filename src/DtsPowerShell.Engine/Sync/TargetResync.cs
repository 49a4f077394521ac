using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Schema;
using MySqlConnector;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Readies a stopped job's target for copying its tables again (<c>Start-DtsSync -Resync</c>); the next run does the copy.
/// With no tables named, every table the job follows is dropped (a job that creates its tables makes them again) or
/// emptied (one that does not), its bookkeeping but the DDL history is cleared, and the checkpoint says
/// <see cref="SyncPhase.Resync"/>: the run reads the schema and copies every table from a new snapshot, and follows the
/// binlog from there. With tables named, those are emptied and marked to be copied, and the run goes on from the
/// job's checkpoint once they are (their changes before their new copies are skipped, as in any copy).
/// </summary>
public static class TargetResync
{
    /// <returns>The target tables dropped or emptied.</returns>
    public static async Task<IReadOnlyList<string>> PrepareAsync(SyncJob job, ConnectionSettings target, IReadOnlyCollection<string>? tables, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        await CheckpointStore.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        await SchemaStore.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        await DdlJournal.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        await OriginMarker.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        var taken = await connection.ScalarAsync("SELECT GET_LOCK(@name, 0)", cancellationToken, ("@name", $"dts-job-{job.Id}")).ConfigureAwait(false);
        if (taken is null or DBNull || Convert.ToInt64(taken, System.Globalization.CultureInfo.InvariantCulture) != 1)
        {
            throw new DtsInputException($"A worker of sync job '{job.Name}' ({job.Id}) still runs against its target (it holds the lock dts-job-{job.Id}).", "Stop it with Stop-DtsSync, then run the command again.");
        }

        var checkpoints = new CheckpointStore(job.Id);
        var checkpoint = await checkpoints.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var tracked = await new SchemaStore(job.Id).LoadAsync(connection, cancellationToken).ConfigureAwait(false) ?? [];
        return tables is { Count: > 0 }
            ? await RecopyAsync(connection, job, checkpoints, checkpoint, tracked, tables, cancellationToken).ConfigureAwait(false)
            : await StartOverAsync(connection, job, checkpoints, tracked, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> StartOverAsync(MySqlConnection connection, SyncJob job, CheckpointStore checkpoints, IReadOnlyList<TrackedTable> tracked, CancellationToken cancellationToken)
    {
        var creates = job.InitialSync.HasFlag(InitialSync.Schema);
        await TargetCleanup.RemoveRowsAsync(connection, job, tracked.Select(t => (t.Schema.Database, t.Schema.Name)), drop: creates, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await TargetCleanup.DeleteJobRowsAsync(connection, transaction, job.Id, TargetCleanup.CopyBookkeeping, cancellationToken).ConfigureAwait(false);
        await checkpoints.WriteAsync(connection, transaction, new Checkpoint(SyncPhase.Resync, null), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return TargetNames(job, tracked);
    }

    private static IReadOnlyList<string> TargetNames(SyncJob job, IEnumerable<TrackedTable> tables) =>
        tables.Select(t => TargetCleanup.TargetName(job, t.Schema.Database, t.Schema.Name)).ToList();

    private static async Task<IReadOnlyList<string>> RecopyAsync(
        MySqlConnection connection, SyncJob job, CheckpointStore checkpoints, Checkpoint? checkpoint, IReadOnlyList<TrackedTable> tracked, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        if (checkpoint is not { Phase: SyncPhase.Data or SyncPhase.Incremental, Position: { } position } || tracked.Count == 0)
        {
            throw new DtsInputException($"Sync job '{job.Name}' has not begun its initial copy yet, so it has no tables to copy again one by one.",
                "Run Start-DtsSync -Resync without -Table to start it over, or Start-DtsSync to go on with its first copy.");
        }

        var chosen = new List<TrackedTable>();
        foreach (var name in tables)
        {
            chosen.Add(tracked.FirstOrDefault(t => string.Equals($"{t.Schema.Database}.{t.Schema.Name}", name, StringComparison.Ordinal))
                ?? throw new DtsInputException($"Sync job '{job.Name}' does not sync a table '{name}'.",
                    $"Name tables as the source calls them, database.table (case-sensitive); the job syncs {string.Join(", ", tracked.Select(t => $"{t.Schema.Database}.{t.Schema.Name}").Take(20))}."));
        }

        await TargetCleanup.RemoveRowsAsync(connection, job, chosen.Select(t => (t.Schema.Database, t.Schema.Name)), drop: false, cancellationToken).ConfigureAwait(false);
        var states = (await checkpoints.ReadTablesAsync(connection, cancellationToken).ConfigureAwait(false)).Select(s => (s.Database, s.Table)).ToHashSet();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (checkpoint.Phase == SyncPhase.Incremental)
        {
            // The other tables have been synced from the checkpoint on: the copy phase must leave them be.
            foreach (var other in tracked.Where(t => !states.Contains((t.Schema.Database, t.Schema.Name)) && !chosen.Contains(t)))
            {
                await checkpoints.WriteTableAsync(connection, transaction, TableCopyState.Copied(other.Schema.Database, other.Schema.Name, position), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var table in chosen)
        {
            await checkpoints.WriteTableAsync(connection, transaction, TableCopyState.ToCopy(table.Schema.Database, table.Schema.Name, position), cancellationToken).ConfigureAwait(false);
        }

        await checkpoints.WriteAsync(connection, transaction, new Checkpoint(SyncPhase.Data, position), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return TargetNames(job, chosen);
    }
}
