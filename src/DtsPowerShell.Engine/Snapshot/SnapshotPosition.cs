using System.Globalization;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>Runs a text query on a source session and returns its rows as text (none for a statement).</summary>
public delegate Task<List<string?[]>> SourceQuery(string sql, CancellationToken cancellationToken);

/// <summary>
/// Opens a consistent-snapshot transaction on a source session and says where in the binlog it stands. MariaDB
/// tells exactly (binlog_snapshot_file/position). Elsewhere a brief FLUSH TABLES WITH READ LOCK around the start makes
/// the position exact; without the RELOAD privilege the positions read just before and after bound it, and the
/// changes between are replayed idempotently (a transaction written to the binlog but not yet committed when the
/// first position is read can then be missed: grant RELOAD, or use MariaDB).
/// </summary>
public static class SnapshotPosition
{
    public static async Task<(BinlogPosition From, BinlogPosition SafeUntil)> BeginAsync(SourceQuery query, ServerVersion version, bool needExact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(version);
        for (var attempt = 0; ; attempt++)
        {
            await query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ", cancellationToken).ConfigureAwait(false);
            if (!version.IsMariaDb && await LockedAsync(query, version, cancellationToken).ConfigureAwait(false) is { } locked)
            {
                return (locked, locked);
            }

            var before = await CurrentAsync(query, version, cancellationToken).ConfigureAwait(false);
            await query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", cancellationToken).ConfigureAwait(false);
            if (version.IsMariaDb && await ExactAsync(query, cancellationToken).ConfigureAwait(false) is { } exact)
            {
                return (exact, exact);
            }

            var after = await CurrentAsync(query, version, cancellationToken).ConfigureAwait(false);
            if (!needExact || before == after)
            {
                return (before, after);
            }

            await query("ROLLBACK", cancellationToken).ConfigureAwait(false);
            if (attempt == 20)
            {
                throw new InvalidOperationException("The source kept writing while a snapshot of a table without a key was opened, and it gives no exact snapshot position (MariaDB does). Copy it at a quieter time, or give the table a primary key.");
            }

            await Task.Delay(50 * (attempt + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The source's current binlog position.</summary>
    public static Task<BinlogPosition> CurrentAsync(MySqlConnection source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return CurrentAsync((sql, token) => RowsAsync(source, sql, token), ServerVersion.Parse(source.ServerVersion), cancellationToken);
    }

    public static async Task<BinlogPosition> CurrentAsync(SourceQuery query, ServerVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(version);
        // MySQL 8.2 renamed SHOW MASTER STATUS (8.4 removed the old name); MariaDB keeps it.
        var statement = !version.IsMariaDb && (version.Major > 8 || (version.Major == 8 && version.Minor >= 2)) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        var rows = await query(statement, cancellationToken).ConfigureAwait(false);
        return rows is [[{ } file, { } position, ..], ..]
            ? new BinlogPosition(file, ulong.Parse(position, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException("The source reports no binlog position (SHOW MASTER STATUS is empty): is log_bin on, and does the account have REPLICATION CLIENT (MariaDB: BINLOG MONITOR)?");
    }

    /// <summary>The snapshot opened under a global read lock (held for an instant); null when the account may not take it.</summary>
    private static async Task<BinlogPosition?> LockedAsync(SourceQuery query, ServerVersion version, CancellationToken cancellationToken)
    {
        try
        {
            await query("FLUSH TABLES WITH READ LOCK", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MySqlException { Number: 1045 or 1227 } or Protocol.MySqlServerException { ErrorCode: 1045 or 1227 })
        {
            return null;
        }

        try
        {
            await query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", cancellationToken).ConfigureAwait(false);
            return await CurrentAsync(query, version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await query("UNLOCK TABLES", CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<BinlogPosition?> ExactAsync(SourceQuery query, CancellationToken cancellationToken)
    {
        string? file = null;
        ulong? position = null;
        foreach (var row in await query("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'", cancellationToken).ConfigureAwait(false))
        {
            switch (row[0]?.ToLowerInvariant())
            {
                case "binlog_snapshot_file":
                    file = row[1];
                    break;
                case "binlog_snapshot_position":
                    position = ulong.Parse(row[1]!, CultureInfo.InvariantCulture);
                    break;
            }
        }

        return file is { Length: > 0 } && position is { } at ? new BinlogPosition(file, at) : null;
    }

    private static async Task<List<string?[]>> RowsAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
