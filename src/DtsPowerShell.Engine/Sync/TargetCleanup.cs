using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Sync;

/// <summary>
/// Removes what a job keeps on its target for itself: its rows in the <c>_dts</c> tables (checkpoint, copy states,
/// tracked schema, DDL history and pending mark), its RENAME marker tables, and its scratch database. The synced
/// databases and tables stay.
/// </summary>
public static class TargetCleanup
{
    private static readonly string[] JobTables =
        [DtsObjects.CheckpointTable, DtsObjects.TableCopyTable, DtsObjects.TableSchemaTable, DtsObjects.DdlPendingTable, DtsObjects.DdlHistoryTable, DtsObjects.OriginTable, DtsObjects.PeerStatementTable];

    /// <returns>The statements that would do it by hand (for a message when the target cannot be reached).</returns>
    public static IReadOnlyList<string> Statements(string jobId)
    {
        var statements = new List<string> { $"DROP DATABASE IF EXISTS {QualifiedName.Quote(DtsObjects.ScratchDatabasePrefix + jobId)}" };
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

    private static string Marker(string jobId, bool renamed) =>
        QualifiedName.Quote(DtsObjects.Database) + "." + QualifiedName.Quote(DtsObjects.RenameMarkerTable(jobId, renamed));
}
