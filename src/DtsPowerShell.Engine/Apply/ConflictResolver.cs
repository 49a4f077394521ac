using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Applies a piece of row changes one at a time, each checked against the target's row, where the piece as a whole
/// matched fewer rows than it changes or hit a key that exists: finds each conflict and deals with it by the job's
/// <see cref="ConflictPolicy"/> (stop, keep the target's row, or make it the source's).
/// </summary>
public sealed class ConflictResolver(MySqlConnection target, ConflictPolicy policy, ILogger log)
{
    /// <summary>The conflicts found and dealt with; with <see cref="ConflictPolicy.Fail"/>, the first one stops the job instead.</summary>
    public async Task<IReadOnlyList<RowConflict>> ApplyAsync(MySqlTransaction transaction, IReadOnlyList<PendingChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var sql = new RowSqlBuilder { MatchBeforeImage = true };
        sql.ForgetChecks();
        var conflicts = new List<RowConflict>();
        foreach (var change in changes)
        {
            sql.ChecksAs(change.Flags);
            if (await ApplyOneAsync(sql, transaction, change, cancellationToken).ConfigureAwait(false) is not { } conflict)
            {
                continue;
            }

            if (policy == ConflictPolicy.Fail)
            {
                throw new SyncStoppedException(conflict + " The target has diverged from the source. Compare-DtsSyncData shows how far; " +
                    "make the target's row as the source had it before this change (for an insert: remove it) and start the job again, " +
                    "or Start-DtsSync -Resync -Table <the table> copies the table again, " +
                    "or create the job with -ConflictPolicy Overwrite (the target's row becomes the source's) or Ignore (the target's row is kept).");
            }

            log.LogWarning("{Conflict} {Outcome}", conflict, policy == ConflictPolicy.Ignore ? "The target's row is kept (-ConflictPolicy Ignore)." : "The target's row is made the source's (-ConflictPolicy Overwrite).");
            conflicts.Add(conflict);
            if (policy == ConflictPolicy.Overwrite)
            {
                Overwrite(sql, change);
                await ExecuteAsync(sql, transaction, cancellationToken).ConfigureAwait(false);
            }
        }

        return conflicts;
    }

    /// <summary>Applies one change; the conflict it met, or null.</summary>
    private async Task<RowConflict?> ApplyOneAsync(RowSqlBuilder sql, MySqlTransaction transaction, PendingChange change, CancellationToken cancellationToken)
    {
        var (table, kind, before, after, mode, _, position) = change;
        switch (kind)
        {
            case RowsEventKind.Insert:
                sql.Insert(table, after!, mode);
                try
                {
                    await ExecuteAsync(sql, transaction, cancellationToken).ConfigureAwait(false);
                    return null;
                }
                catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry && mode == ApplyMode.Exact)
                {
                    return new RowConflict(table, RowConflictKind.InsertKeyExists, RowConflict.DescribeKey(table, after!), position);
                }

            case RowsEventKind.Update:
                sql.Update(table, before!, after!, mode);
                if (await ExecuteAsync(sql, transaction, cancellationToken).ConfigureAwait(false) > 0 || mode != ApplyMode.Exact)
                {
                    return null;
                }

                var exists = table.Source.HasKey && await ExistsAsync(table, before!, transaction, cancellationToken).ConfigureAwait(false);
                return new RowConflict(table, exists ? RowConflictKind.UpdateRowDiffers : RowConflictKind.UpdateRowMissing, RowConflict.DescribeKey(table, before!), position);
            default:
                sql.Delete(table, before!);
                return await ExecuteAsync(sql, transaction, cancellationToken).ConfigureAwait(false) > 0 || mode != ApplyMode.Exact
                    ? null
                    : new RowConflict(table, RowConflictKind.DeleteRowMissing, RowConflict.DescribeKey(table, before!), position);
        }
    }

    /// <summary>The target's row made the source's after image; a delete's row is gone either way.</summary>
    private static void Overwrite(RowSqlBuilder sql, PendingChange change)
    {
        switch (change.Kind)
        {
            case RowsEventKind.Insert:
                sql.Insert(change.Table, change.After!, ApplyMode.Idempotent);
                break;
            case RowsEventKind.Update when change.Table.Source.HasKey:
                // The old key's row goes where the key changed; the after image is written whether a row is there or not.
                sql.Update(change.Table, change.Before!, change.After!, ApplyMode.Idempotent);
                break;
            case RowsEventKind.Update:
                sql.Insert(change.Table, change.After!, ApplyMode.Exact);
                break;
        }
    }

    private async Task<bool> ExistsAsync(TargetTable table, object?[] row, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(RowSqlBuilder.KeyLookup(table, row), target, transaction);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<int> ExecuteAsync(RowSqlBuilder sql, MySqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (sql.IsEmpty)
        {
            return 0;
        }

        await using var command = new MySqlCommand(sql.Take(), target, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
