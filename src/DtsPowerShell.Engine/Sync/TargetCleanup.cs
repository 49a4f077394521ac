using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Removes what a job keeps on its target for itself: its rows in the <c>_dts</c> tables (checkpoint, copy states,
/// tracked schema, DDL history and pending mark), its RENAME marker tables, and its scratch database; and, asked
/// separately, the tables it created there (<see cref="DropTablesAsync"/>).
/// </summary>
public static class TargetCleanup
{
    /// <summary>The job's rows about what it copied and tracks, which a resync clears; the checkpoint is written anew, the DDL history and origin marks stay.</summary>
    internal static readonly string[] CopyBookkeeping = [DtsObjects.TableCopyTable, DtsObjects.TableSchemaTable, DtsObjects.DdlPendingTable, DtsObjects.PeerStatementTable, DtsObjects.JobObjectsTable];

    private static readonly string[] JobTables = [DtsObjects.CheckpointTable, DtsObjects.DdlHistoryTable, DtsObjects.OriginTable, .. CopyBookkeeping];

    /// <returns>The statements that would do it by hand (for a message when the target cannot be reached).</returns>
    public static IReadOnlyList<string> Statements(string jobId)
    {
        var statements = new List<string>
        {
            $"DROP DATABASE IF EXISTS {QualifiedName.Quote(DtsObjects.ScratchDatabasePrefix + jobId)}",
            $"DROP DATABASE IF EXISTS {QualifiedName.Quote(ScratchDatabase.ProbeDatabase(DtsObjects.ScratchDatabasePrefix + jobId))}",
        };
        statements.AddRange(JobTables.Select(t => $"DELETE FROM {QualifiedName.Quote(DtsObjects.Database)}.{QualifiedName.Quote(t)} WHERE job_id = {SqlText.Quote(jobId)}"));
        statements.Add($"DROP TABLE IF EXISTS {Marker(jobId, renamed: false)}, {Marker(jobId, renamed: true)}");
        return statements;
    }

    public static async Task RemoveAsync(ConnectionSettings target, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        var present = new HashSet<string>(StringComparer.Ordinal);
        await connection.EachRowAsync("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @db", row => present.Add(row.GetString(0)), cancellationToken,
            ("@db", DtsObjects.Database)).ConfigureAwait(false);
        foreach (var statement in Statements(jobId).Where(s => !s.StartsWith("DELETE", StringComparison.Ordinal) || JobTables.Any(t => present.Contains(t) && s.Contains($"`{t}`", StringComparison.Ordinal))))
        {
            await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static async Task DeleteJobRowsAsync(MySqlConnection connection, MySqlTransaction transaction, string jobId, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await connection.ExecuteAsync($"DELETE FROM {QualifiedName.Quote(DtsObjects.Database)}.{QualifiedName.Quote(table)} WHERE job_id = @job", cancellationToken, transaction, ("@job", jobId)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops the target tables of a job that creates its tables (every table it follows, as its tracked schema names them);
    /// a job that does not create them drops nothing (they are the user's).
    /// </summary>
    /// <returns>The tables dropped (those that existed or not).</returns>
    public static async Task<IReadOnlyList<string>> DropTablesAsync(ConnectionSettings target, SyncJob job, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.InitialSync.HasFlag(InitialSync.Schema))
        {
            return [];
        }

        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        await SchemaStore.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
        var tracked = (await new SchemaStore(job.Id).LoadAsync(connection, cancellationToken).ConfigureAwait(false) ?? []).Select(t => (t.Schema.Database, t.Schema.Name)).ToList();
        await RemoveRowsAsync(connection, job, tracked, drop: true, cancellationToken).ConfigureAwait(false);
        return tracked.Select(t => TargetName(job, t.Database, t.Name)).ToList();
    }

    /// <summary>A source table's name on the target, as database.table (unquoted, for people to read).</summary>
    internal static string TargetName(SyncJob job, string database, string table)
    {
        var (targetDatabase, targetTable) = job.NameMapping.TargetTable(database, table);
        return $"{targetDatabase}.{targetTable}";
    }

    /// <summary>Drops or empties the target tables of source tables, foreign keys aside; one that is not there is passed over.</summary>
    internal static async Task RemoveRowsAsync(MySqlConnection connection, SyncJob job, IEnumerable<(string Database, string Table)> sourceTables, bool drop, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("SET SESSION foreign_key_checks = 0", cancellationToken).ConfigureAwait(false);
        foreach (var (database, name) in sourceTables)
        {
            var (targetDatabase, targetTable) = job.NameMapping.TargetTable(database, name);
            var table = $"{QualifiedName.Quote(targetDatabase)}.{QualifiedName.Quote(targetTable)}";
            try
            {
                await connection.ExecuteAsync(drop ? $"DROP TABLE IF EXISTS {table}" : $"TRUNCATE TABLE {table}", cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.NoSuchTable or MySqlErrorCode.UnknownDatabase)
            {
            }
        }
    }

    private static string Marker(string jobId, bool renamed) =>
        QualifiedName.Quote(DtsObjects.Database) + "." + QualifiedName.Quote(DtsObjects.RenameMarkerTable(jobId, renamed));
}
