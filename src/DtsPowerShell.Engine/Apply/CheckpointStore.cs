using System.Text.Json;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// The job's bookkeeping on the target, in the <c>_dts</c> database: the checkpoint row (phase and binlog position)
/// the per-table copy states, and the objects the job syncs as of the checkpoint. Every write takes the caller's transaction, so a change and the mark that says it
/// was made commit together: a crash at any instant loses nothing and applies nothing twice.
/// </summary>
public sealed class CheckpointStore(string jobId)
{
    private const string Database = DtsObjects.Database;
    private const string Checkpoints = $"`{Database}`.`{DtsObjects.CheckpointTable}`";
    private const string Copies = $"`{Database}`.`{DtsObjects.TableCopyTable}`";
    private const string Objects = $"`{Database}`.`{DtsObjects.JobObjectsTable}`";

    public static async Task CreateAsync(MySqlConnection target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await target.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{Database}`;" +
            $"CREATE TABLE IF NOT EXISTS {Checkpoints} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, phase VARCHAR(16) NOT NULL, " +
            "binlog_file VARCHAR(512) NULL, binlog_pos BIGINT UNSIGNED NULL, gtid_set TEXT NULL, updated_at DATETIME(6) NOT NULL) ENGINE=InnoDB;" +
            $"CREATE TABLE IF NOT EXISTS {Copies} (job_id VARCHAR(64) NOT NULL, source_db VARCHAR(64) NOT NULL, source_table VARCHAR(64) NOT NULL, " +
            "from_file VARCHAR(512) NOT NULL, from_pos BIGINT UNSIGNED NOT NULL, safe_file VARCHAR(512) NOT NULL, safe_pos BIGINT UNSIGNED NOT NULL, " +
            "last_key LONGTEXT NULL, rows_copied BIGINT NOT NULL, done TINYINT NOT NULL, PRIMARY KEY (job_id, source_db, source_table)) ENGINE=InnoDB;" +
            $"CREATE TABLE IF NOT EXISTS {Objects} (job_id VARCHAR(64) NOT NULL PRIMARY KEY, objects LONGTEXT NOT NULL) ENGINE=InnoDB;", cancellationToken, null).ConfigureAwait(false);
    }

    public async Task<Checkpoint?> ReadAsync(MySqlConnection target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var command = new MySqlCommand($"SELECT phase, binlog_file, binlog_pos, gtid_set FROM {Checkpoints} WHERE job_id = @job", target);
        command.Parameters.AddWithValue("@job", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var position = reader.IsDBNull(1) ? null : new BinlogPosition(reader.GetString(1), reader.GetUInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        return new Checkpoint(Enum.Parse<SyncPhase>(reader.GetString(0)), position);
    }

    public Task WriteAsync(MySqlConnection target, MySqlTransaction? transaction, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var position = checkpoint.Position;
        return target.ExecuteAsync($"INSERT INTO {Checkpoints} (job_id, phase, binlog_file, binlog_pos, gtid_set, updated_at) VALUES (@job, @phase, @file, @pos, @gtid, UTC_TIMESTAMP(6)) " +
            "ON DUPLICATE KEY UPDATE phase = VALUES(phase), binlog_file = VALUES(binlog_file), binlog_pos = VALUES(binlog_pos), gtid_set = VALUES(gtid_set), updated_at = VALUES(updated_at)", cancellationToken, transaction,
            ("@job", jobId), ("@phase", checkpoint.Phase.ToString()), ("@file", position?.File), ("@pos", position?.Position), ("@gtid", position?.GtidSet));
    }

    /// <summary>The objects the target holds the sync of; null for a job whose target has not recorded them (an earlier version made it).</summary>
    public async Task<IReadOnlyList<SelectedObject>?> ReadObjectsAsync(MySqlConnection target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var json = await target.ScalarAsync($"SELECT objects FROM {Objects} WHERE job_id = @job", cancellationToken, ("@job", jobId)).ConfigureAwait(false);
        return json is string text ? JsonSerializer.Deserialize<string[]>(text)!.Select(SelectedObject.Parse).ToList() : null;
    }

    public Task WriteObjectsAsync(MySqlConnection target, MySqlTransaction? transaction, ObjectSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return target.ExecuteAsync($"REPLACE INTO {Objects} (job_id, objects) VALUES (@job, @objects)", cancellationToken, transaction,
            ("@job", jobId), ("@objects", JsonSerializer.Serialize(selection.Objects.Select(o => o.ToString()))));
    }

    /// <summary>Forgets the copy state of a table the job no longer syncs.</summary>
    public Task DeleteTableAsync(MySqlConnection target, MySqlTransaction? transaction, string database, string table, CancellationToken cancellationToken) =>
        target.ExecuteAsync($"DELETE FROM {Copies} WHERE job_id = @job AND source_db = @db AND source_table = @table", cancellationToken, transaction,
            ("@job", jobId), ("@db", database), ("@table", table));

    public async Task<IReadOnlyList<TableCopyState>> ReadTablesAsync(MySqlConnection target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var command = new MySqlCommand(
            $"SELECT source_db, source_table, from_file, from_pos, safe_file, safe_pos, last_key, rows_copied, done FROM {Copies} WHERE job_id = @job", target);
        command.Parameters.AddWithValue("@job", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var states = new List<TableCopyState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states.Add(new TableCopyState(
                reader.GetString(0),
                reader.GetString(1),
                new BinlogPosition(reader.GetString(2), reader.GetUInt64(3)),
                new BinlogPosition(reader.GetString(4), reader.GetUInt64(5)),
                reader.IsDBNull(6) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(6)),
                reader.GetInt64(7),
                reader.GetInt32(8) != 0));
        }

        return states;
    }

    public Task WriteTableAsync(MySqlConnection target, MySqlTransaction? transaction, TableCopyState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return target.ExecuteAsync($"REPLACE INTO {Copies} (job_id, source_db, source_table, from_file, from_pos, safe_file, safe_pos, last_key, rows_copied, done) " +
            "VALUES (@job, @db, @table, @from_file, @from_pos, @safe_file, @safe_pos, @key, @rows, @done)", cancellationToken, transaction,
            ("@job", jobId), ("@db", state.Database), ("@table", state.Table), ("@from_file", state.From.File), ("@from_pos", state.From.Position),
            ("@safe_file", state.SafeUntil.File), ("@safe_pos", state.SafeUntil.Position),
            ("@key", state.LastKey is null ? null : JsonSerializer.Serialize(state.LastKey)), ("@rows", state.RowsCopied), ("@done", state.Done ? 1 : 0));
    }
}
