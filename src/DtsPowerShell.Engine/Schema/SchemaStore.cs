using System.Text.Json;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// The tracked schema of a job on the target (<c>_dts.table_schema</c>): one row per selected source table as of the
/// checkpoint. Writes take the caller's transaction, so a schema change is saved with the checkpoint that passes its DDL.
/// </summary>
public sealed class SchemaStore(string jobId)
{
    private const string Table = $"`{DtsObjects.Database}`.`{DtsObjects.TableSchemaTable}`";

    public static Task CreateAsync(MySqlConnection target, CancellationToken cancellationToken) =>
        target.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS `{DtsObjects.Database}`;" +
            $"CREATE TABLE IF NOT EXISTS {Table} (job_id VARCHAR(64) NOT NULL, source_db VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, " +
            "source_table VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, create_statement LONGTEXT NOT NULL, table_schema LONGTEXT NOT NULL, " +
            "PRIMARY KEY (job_id, source_db, source_table)) ENGINE=InnoDB", cancellationToken);

    /// <summary>The tracked tables, or null when the job's schema was never captured (a job created by an earlier version).</summary>
    public async Task<IReadOnlyList<TrackedTable>?> LoadAsync(MySqlConnection target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var tables = new List<TrackedTable>();
        var captured = false;
        await target.EachRowAsync($"SELECT source_db, source_table, create_statement, table_schema FROM {Table} WHERE job_id = @job ORDER BY source_db, source_table",
            row =>
            {
                if (row.GetString(0).Length == 0)
                {
                    captured = true;
                    return;
                }

                var stored = JsonSerializer.Deserialize<StoredSchema>(row.GetString(3)) ?? throw new InvalidDataException($"The stored schema of {row.GetString(0)}.{row.GetString(1)} is empty.");
                tables.Add(new TrackedTable(new TableSchema(row.GetString(0), row.GetString(1), stored.Columns, stored.Key, 0), row.GetString(2)));
            },
            cancellationToken, ("@job", jobId)).ConfigureAwait(false);
        return captured ? tables : null;
    }

    /// <summary>Replaces the job's tracked tables with a capture of the source, marked as captured (a row with empty names).</summary>
    public async Task SaveCaptureAsync(MySqlConnection target, IEnumerable<TrackedTable> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var transaction = await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await target.ExecuteAsync($"DELETE FROM {Table} WHERE job_id = @job; INSERT INTO {Table} (job_id, source_db, source_table, create_statement, table_schema) VALUES (@job, '', '', '', '{{}}')",
            cancellationToken, transaction, ("@job", jobId)).ConfigureAwait(false);
        await SaveAsync(target, transaction, tables.ToDictionary(t => (t.Schema.Database, t.Schema.Name), t => (TrackedTable?)t), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the tables given (null: no longer tracked) in the caller's transaction.</summary>
    public async Task SaveAsync(MySqlConnection target, MySqlTransaction? transaction, IReadOnlyDictionary<(string Database, string Table), TrackedTable?> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var ((database, table), tracked) in changes)
        {
            if (tracked is null)
            {
                await target.ExecuteAsync($"DELETE FROM {Table} WHERE job_id = @job AND source_db = @db AND source_table = @table", cancellationToken, transaction,
                    ("@job", jobId), ("@db", database), ("@table", table)).ConfigureAwait(false);
            }
            else
            {
                var json = JsonSerializer.Serialize(new StoredSchema(tracked.Schema.Columns, tracked.Schema.KeyColumns));
                await target.ExecuteAsync($"REPLACE INTO {Table} (job_id, source_db, source_table, create_statement, table_schema) VALUES (@job, @db, @table, @create, @schema)",
                    cancellationToken, transaction, ("@job", jobId), ("@db", database), ("@table", table), ("@create", tracked.CreateStatement), ("@schema", json)).ConfigureAwait(false);
            }
        }
    }

    private sealed record StoredSchema(IReadOnlyList<ColumnSchema> Columns, IReadOnlyList<int> Key);
}
