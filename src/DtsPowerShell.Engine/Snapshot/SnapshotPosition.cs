using System.Globalization;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Opens a consistent-snapshot transaction on a source connection and says where in the binlog it stands. MariaDB
/// tells exactly (binlog_snapshot_file/position). Elsewhere a brief FLUSH TABLES WITH READ LOCK around the start makes
/// the position exact; without the RELOAD privilege the positions read just before and after bound it, and the
/// changes between are replayed idempotently (a transaction written to the binlog but not yet committed when the
/// first position is read can then be missed: grant RELOAD, or use MariaDB).
/// </summary>
public static class SnapshotPosition
{
    public static async Task<(BinlogPosition From, BinlogPosition SafeUntil)> BeginAsync(MySqlConnection source, bool needExact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        for (var attempt = 0; ; attempt++)
        {
            await ExecuteAsync(source, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", cancellationToken).ConfigureAwait(false);
            var isMariaDb = ServerVersion.Parse(source.ServerVersion).IsMariaDb;
            if (!isMariaDb && await LockedAsync(source, cancellationToken).ConfigureAwait(false) is { } locked)
            {
                return (locked, locked);
            }

            var before = await CurrentAsync(source, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(source, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", cancellationToken).ConfigureAwait(false);
            if (isMariaDb && await ExactAsync(source, cancellationToken).ConfigureAwait(false) is { } exact)
            {
                return (exact, exact);
            }

            var after = await CurrentAsync(source, cancellationToken).ConfigureAwait(false);
            if (!needExact || before == after)
            {
                return (before, after);
            }

            await ExecuteAsync(source, "ROLLBACK", cancellationToken).ConfigureAwait(false);
            if (attempt == 20)
            {
                throw new InvalidOperationException("The source kept writing while a snapshot of a table without a key was opened, and it gives no exact snapshot position (MariaDB does). Copy it at a quieter time, or give the table a primary key.");
            }

            await Task.Delay(50 * (attempt + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The source's current binlog position.</summary>
    public static async Task<BinlogPosition> CurrentAsync(MySqlConnection source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        // MySQL 8.2 renamed SHOW MASTER STATUS (8.4 removed the old name); MariaDB keeps it.
        var version = ServerVersion.Parse(source.ServerVersion);
        var statement = !version.IsMariaDb && (version.Major > 8 || (version.Major == 8 && version.Minor >= 2)) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        await using var command = new MySqlCommand(statement, source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The source reports no binlog position (SHOW MASTER STATUS is empty): is log_bin on, and does the account have REPLICATION CLIENT (MariaDB: BINLOG MONITOR)?");
        }

        return new BinlogPosition(reader.GetString(0), Convert.ToUInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
    }

    /// <summary>The snapshot opened under a global read lock (held for an instant); null when the account may not take it.</summary>
    private static async Task<BinlogPosition?> LockedAsync(MySqlConnection source, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(source, "FLUSH TABLES WITH READ LOCK", cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException e) when (e.Number is 1045 or 1227)
        {
            return null;
        }

        try
        {
            await ExecuteAsync(source, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", cancellationToken).ConfigureAwait(false);
            return await CurrentAsync(source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ExecuteAsync(source, "UNLOCK TABLES", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<BinlogPosition?> ExactAsync(MySqlConnection source, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        string? file = null;
        ulong? position = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            switch (reader.GetString(0).ToLowerInvariant())
            {
                case "binlog_snapshot_file":
                    file = reader.GetString(1);
                    break;
                case "binlog_snapshot_position":
                    position = ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
                    break;
            }
        }

        return file is { Length: > 0 } && position is { } at ? new BinlogPosition(file, at) : null;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
