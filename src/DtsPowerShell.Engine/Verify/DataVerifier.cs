using System.Runtime.CompilerServices;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Verify;

/// <summary>Compares every table a job syncs (as the source has it now) with the table on the target, one at a time.</summary>
public sealed class DataVerifier(ConnectionSettings source, ConnectionSettings target, TimeSpan timeout)
{
    public int ChunkRows { get; init; } = 1000;

    public int Rechecks { get; init; } = 3;

    public TimeSpan RecheckDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The tables the job selects, in name order, before any is compared (for progress).</summary>
    public async Task<IReadOnlyList<TableSchema>> TablesAsync(SyncJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(source, timeout, cancellationToken).ConfigureAwait(false);
        return [.. (await SourceSchemaReader.ReadAsync(connection, job.Selection, cancellationToken).ConfigureAwait(false)).OrderBy(t => t.Database, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    public async IAsyncEnumerable<TableComparison> CompareAsync(SyncJob job, IEnumerable<TableSchema> tables, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(tables);
        await using var sourceConnection = await MySqlConnectionFactory.OpenForSyncAsync(source, timeout, cancellationToken).ConfigureAwait(false);
        await using var targetConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken).ConfigureAwait(false);
        var comparer = new TableComparer(sourceConnection, targetConnection) { ChunkRows = ChunkRows, Rechecks = Rechecks, RecheckDelay = RecheckDelay };
        foreach (var table in tables)
        {
            var target = new TargetTable(table, job.NameMapping);
            TableComparison result;
            try
            {
                result = await comparer.CompareAsync(target, cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlConnector.MySqlException e) when (e.IsRefusalOn(sourceConnection) && e.IsRefusalOn(targetConnection))
            {
                // A table missing on the target, or a column the job has not added yet: this table cannot be compared, the next ones can.
                result = new TableComparison(false, table.ToString(), target.ToString(), 0, 0, 0, 0, 0, 0, [], [], [], $"Not compared: the server refused a query ({e.Number}: {e.Message}).");
            }

            yield return result;
        }
    }
}
