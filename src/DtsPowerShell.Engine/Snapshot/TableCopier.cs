using System.Text;
using System.Threading.Channels;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Protocol;
using DtsPowerShell.Engine.Schema;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Copies one table from a consistent snapshot of the source, in key order. Rows are read over our own protocol
/// client as raw fields (no conversion on either side) and streamed into the target in chunks with LOAD DATA LOCAL,
/// or as multi-row INSERTs where the target does not allow it; each chunk commits on the target together with its copy
/// state (the last key copied), so a copy cut off resumes after its last chunk. Reading the next chunk overlaps
/// writing this one. A table without a key cannot resume part-way: its copy starts again, the target table emptied first.
/// </summary>
public sealed partial class TableCopier(ConnectionSettings source, ConnectionSettings target, CheckpointStore checkpoints, SyncProgress progress, TimeSpan timeout, ILogger log)
{
    /// <summary>Rows per chunk: the unit of commit and of resumption.</summary>
    public int ChunkRows { get; init; } = 100_000;

    /// <summary>Bytes of row data per chunk at most (a chunk ends at whichever limit comes first).</summary>
    public int ChunkBytes { get; init; } = 4 << 20;

    /// <summary>Characters per INSERT statement.</summary>
    public int StatementChars { get; init; } = 1 << 20;

    /// <summary>Load chunks with LOAD DATA LOCAL (the target's local_infile is on), else with INSERT statements.</summary>
    public bool LoadData { get; init; }

    /// <summary>
    /// The table as the source shows it now must be the one the job tracks: a DDL between the job's start and this
    /// copy would leave the target's table, created before it, unlike the rows copied into it, and the tracked schema
    /// behind the copy's position.
    /// </summary>
    private static async Task RequireUnchangedAsync(ProtocolConnection connection, TableSchema schema, string expected, CancellationToken cancellationToken)
    {
        var live = await connection.QueryAsync($"SHOW CREATE TABLE {QualifiedName.Quote(schema.Database)}.{QualifiedName.Quote(schema.Name)}", cancellationToken).ConfigureAwait(false);
        if (live is not [[_, var create, ..], ..] || AutoIncrement().Replace(create ?? "", "") != AutoIncrement().Replace(expected, ""))
        {
            throw new SyncStoppedException($"The structure of {schema} changed on the source while the job was initialising (a DDL statement ran on it before its copy began). " +
                "Remove the job's tables from the target, then create the job again; run DDL on the selected objects only after the initial sync.");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" AUTO_INCREMENT=\d+")]
    private static partial System.Text.RegularExpressions.Regex AutoIncrement();

    /// <param name="table">The table, as written on the target.</param>
    /// <param name="expectedCreate">SHOW CREATE TABLE of it as the job tracks it: the copy stops when the source's differs.</param>
    /// <param name="state">Where an earlier copy of it stopped, or null.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public async Task<TableCopyState> CopyAsync(TargetTable table, string expectedCreate, TableCopyState? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Source;
        await using var sourceConnection = await ProtocolConnection.OpenAsync(source, timeout, cancellationToken).ConfigureAwait(false);
        await using var targetConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken, loadLocalData: LoadData).ConfigureAwait(false);
        // Tables are copied in parallel, children before parents as it comes: each copy is consistent on its own.
        await targetConnection.ExecuteAsync("SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0", cancellationToken).ConfigureAwait(false);
        // Raw bytes out (no character set conversion), UTC, and no timeout while the target writes a chunk.
        await sourceConnection.QueryAsync(MySqlConnectionFactory.SyncSessionSql + ", SESSION character_set_results = NULL, SESSION net_write_timeout = 86400", cancellationToken).ConfigureAwait(false);
        if (state is { Done: false } && !schema.HasKey)
        {
            await targetConnection.ExecuteAsync($"DELETE FROM {table.QuotedName}", cancellationToken).ConfigureAwait(false);
            progress.AddCopied(-state.RowsCopied);
            state = null;
        }

        var version = ServerVersion.Parse(sourceConnection.Handshake.ServerVersion);
        var (from, safeUntil) = await SnapshotPosition.BeginAsync(sourceConnection.QueryAsync, version, needExact: !schema.HasKey, cancellationToken).ConfigureAwait(false);
        await RequireUnchangedAsync(sourceConnection, schema, expectedCreate, cancellationToken).ConfigureAwait(false);
        state = state is null
            ? new TableCopyState(schema.Database, schema.Name, from, safeUntil, null, 0, false)
            : state with { SafeUntil = safeUntil.CompareTo(state.SafeUntil) > 0 ? safeUntil : state.SafeUntil };
        log.LogInformation("Copying {Table} to {Target} from the snapshot at {Position}{Resume}.", schema, table, from,
            state.LastKey is null ? "" : " after the last chunk copied");

        var format = new RawFieldFormat(table);
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadAsync(sourceConnection, table, format, state.LastKey, chunks.Writer, stopReading.Token);
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // The chunk's rows and its mark commit together (a plain BEGIN: the bulk loader runs its own command).
                await targetConnection.ExecuteAsync("BEGIN", cancellationToken).ConfigureAwait(false);
                if (chunk.Rows > 0)
                {
                    await WriteAsync(targetConnection, table, format, chunk, cancellationToken).ConfigureAwait(false);
                }

                chunk.Release();
                Failpoint.Hit("copy-before-mark");
                state = state with { LastKey = chunk.LastKey ?? state.LastKey, RowsCopied = state.RowsCopied + chunk.Rows, Done = chunk.Last };
                await checkpoints.WriteTableAsync(targetConnection, null, state, cancellationToken).ConfigureAwait(false);
                await targetConnection.ExecuteAsync("COMMIT", cancellationToken).ConfigureAwait(false);
                progress.AddCopied(chunk.Rows);
            }
        }
        finally
        {
            // A failed write must not leave the reader waiting for room in the queue.
            await stopReading.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }

        log.LogInformation("Copied {Table}: {Rows} rows.", schema, state.RowsCopied);
        return state;
    }

    private async Task ReadAsync(ProtocolConnection connection, TargetTable table, RawFieldFormat format, IReadOnlyList<string>? after, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        try
        {
            var schema = table.Source;
            var select = new StringBuilder("SELECT ").Append(format.SelectList)
                .Append(" FROM ").Append(QualifiedName.Quote(schema.Database)).Append('.').Append(QualifiedName.Quote(schema.Name));
            if (schema.HasKey)
            {
                var keys = schema.KeyColumns.Select(k => QualifiedName.Quote(schema.Columns[k].Name)).ToArray();
                if (after is not null)
                {
                    select.Append(" WHERE ").Append(AfterKey(keys, after));
                }

                select.Append(" ORDER BY ").AppendJoin(',', keys);
            }

            var rows = new ChunkBuilder(table, format, LoadData, StatementChars);
            Chunk? full = null;
            await connection.QueryRowsAsync(select.ToString(), (row, _) =>
            {
                rows.Add(row);
                if (rows.Count >= ChunkRows || rows.Bytes >= ChunkBytes)
                {
                    full = rows.Take(last: false);
                }
            }, async () =>
            {
                if (full is { } chunk)
                {
                    full = null;
                    await chunks.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);
            await chunks.WriteAsync(rows.Take(last: true), cancellationToken).ConfigureAwait(false);
            chunks.TryComplete();
        }
        catch (Exception e)
        {
            chunks.TryComplete(e);
        }
    }

    private static async Task WriteAsync(MySqlConnection connection, TargetTable table, RawFieldFormat format, Chunk chunk, CancellationToken cancellationToken)
    {
        foreach (var statement in chunk.Statements)
        {
            await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }

        if (chunk.Data is { Length: > 0 } data)
        {
            var loader = new MySqlBulkLoader(connection)
            {
                Local = true,
                SourceStream = data.AsStream(),
                TableName = table.QuotedName,
                CharacterSet = "binary",
                FieldTerminator = "\t",
                LineTerminator = "\n",
                EscapeCharacter = '\\',
                ConflictOption = MySqlBulkLoaderConflictOption.None,
            };
            loader.Columns.AddRange(format.LoadColumns);
            loader.Expressions.AddRange(format.LoadExpressions);
            await loader.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>(a &gt; x) OR (a = x AND b &gt; y)</c>: rows after the given key, in a form every server's range optimizer uses.</summary>
    private static string AfterKey(string[] keys, IReadOnlyList<string> values)
    {
        var terms = new List<string>();
        for (var k = 0; k < keys.Length; k++)
        {
            var equal = Enumerable.Range(0, k).Select(j => $"{keys[j]} = {values[j]}");
            terms.Add("(" + string.Join(" AND ", equal.Append($"{keys[k]} > {values[k]}")) + ")");
        }

        return string.Join(" OR ", terms);
    }
}
