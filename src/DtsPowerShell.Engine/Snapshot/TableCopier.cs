using System.Text;
using System.Threading.Channels;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Connections;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// Copies one table from a consistent snapshot of the source, in key order, as chunks streamed with LOAD DATA LOCAL
/// (multi-row INSERTs where the target does not allow it); each chunk commits on the target together with its copy
/// state (the last key copied), so a copy cut off resumes after its last chunk. Reading the next chunk overlaps writing the last. A table without a key cannot resume part-way:
/// its copy starts again, the target table emptied first.
/// </summary>
public sealed class TableCopier(ConnectionSettings source, ConnectionSettings target, CheckpointStore checkpoints, SyncProgress progress, TimeSpan timeout, ILogger log)
{
    /// <summary>Rows per chunk: the unit of commit and of resumption.</summary>
    public int ChunkRows { get; init; } = 20_000;

    /// <summary>Characters per INSERT statement.</summary>
    public int StatementChars { get; init; } = 1 << 20;

    /// <summary>Load chunks with LOAD DATA LOCAL (the target's local_infile is on), else with INSERT statements.</summary>
    public bool LoadData { get; init; }

    public async Task<TableCopyState> CopyAsync(TargetTable table, TableCopyState? state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Source;
        await using var sourceConnection = await MySqlConnectionFactory.OpenForSyncAsync(source, timeout, cancellationToken).ConfigureAwait(false);
        await using var targetConnection = await MySqlConnectionFactory.OpenForSyncAsync(target, timeout, cancellationToken, loadLocalData: LoadData).ConfigureAwait(false);
        // Tables are copied in parallel, children before parents as it comes: each copy is consistent on its own.
        await ExecuteAsync(targetConnection, null, "SET SESSION foreign_key_checks = 0, SESSION unique_checks = 0", cancellationToken).ConfigureAwait(false);
        // The source waits while the target writes a chunk: it must not take that for a dead client.
        await ExecuteAsync(sourceConnection, null, "SET SESSION net_write_timeout = 86400", cancellationToken).ConfigureAwait(false);
        if (state is { Done: false } && !schema.HasKey)
        {
            await ExecuteAsync(targetConnection, null, $"DELETE FROM {table.QuotedName}", cancellationToken).ConfigureAwait(false);
            progress.AddCopied(-state.RowsCopied);
            state = null;
        }

        var (from, safeUntil) = await SnapshotPosition.BeginAsync(sourceConnection, needExact: !schema.HasKey, cancellationToken).ConfigureAwait(false);
        state = state is null
            ? new TableCopyState(schema.Database, schema.Name, from, safeUntil, null, 0, false)
            : state with { SafeUntil = safeUntil.CompareTo(state.SafeUntil) > 0 ? safeUntil : state.SafeUntil };
        log.LogInformation("Copying {Table} to {Target} from the snapshot at {Position}{Resume}.", schema, table, from,
            state.LastKey is null ? "" : " after the last chunk copied");

        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = ReadAsync(sourceConnection, table, state.LastKey, chunks.Writer, stopReading.Token);
        try
        {
            var format = new LoadDataFormat(table);
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // The chunk's rows and its mark commit together (a plain BEGIN: the bulk loader runs its own command).
                await ExecuteAsync(targetConnection, null, "BEGIN", cancellationToken).ConfigureAwait(false);
                foreach (var statement in chunk.Statements)
                {
                    await ExecuteAsync(targetConnection, null, statement, cancellationToken).ConfigureAwait(false);
                }

                if (chunk.Data is { Length: > 0 } data)
                {
                    await LoadAsync(targetConnection, table, format, data, cancellationToken).ConfigureAwait(false);
                }

                Failpoint.Hit("copy-before-mark");
                state = state with { LastKey = chunk.LastKey ?? state.LastKey, RowsCopied = state.RowsCopied + chunk.Rows, Done = chunk.Last };
                await checkpoints.WriteTableAsync(targetConnection, null, state, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(targetConnection, null, "COMMIT", cancellationToken).ConfigureAwait(false);
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

    private async Task ReadAsync(MySqlConnection connection, TargetTable table, IReadOnlyList<string>? after, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        try
        {
            var schema = table.Source;
            var select = new StringBuilder("SELECT ")
                .AppendJoin(',', schema.Columns.Select(c => SqlText.Identifier(c.Name)))
                .Append(" FROM ").Append(SqlText.Identifier(schema.Database)).Append('.').Append(SqlText.Identifier(schema.Name));
            if (schema.HasKey)
            {
                var keys = schema.KeyColumns.Select(k => SqlText.Identifier(schema.Columns[k].Name)).ToArray();
                if (after is not null)
                {
                    select.Append(" WHERE ").Append(AfterKey(keys, after));
                }

                select.Append(" ORDER BY ").AppendJoin(',', keys);
            }

            await using var command = new MySqlCommand(select.ToString(), connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var decimals = schema.Columns.Select(c => c.DataType is "decimal" or "numeric").ToArray();
            var row = new object?[schema.Columns.Count];
            var statements = new List<string>();
            var sql = new RowSqlBuilder();
            var format = new LoadDataFormat(table);
            var text = new StringBuilder();
            var rows = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : decimals[i] ? reader.GetMySqlDecimal(i) : reader.GetValue(i);
                }

                if (LoadData)
                {
                    format.AppendRow(text, row);
                }
                else
                {
                    sql.Insert(table, row, ApplyMode.Exact);
                    if (sql.Length >= StatementChars)
                    {
                        statements.Add(sql.Take());
                    }
                }

                if (++rows >= ChunkRows)
                {
                    await chunks.WriteAsync(TakeChunk(rows, KeyOf(schema, row), last: false), cancellationToken).ConfigureAwait(false);
                    rows = 0;
                }
            }

            await chunks.WriteAsync(TakeChunk(rows, rows > 0 ? KeyOf(schema, row) : null, last: true), cancellationToken).ConfigureAwait(false);
            chunks.TryComplete();

            Chunk TakeChunk(int count, string[]? lastKey, bool last)
            {
                if (!sql.IsEmpty)
                {
                    statements.Add(sql.Take());
                }

                var chunk = new Chunk(statements, LoadData ? Encoding.UTF8.GetBytes(text.ToString()) : null, count, lastKey, last);
                statements = [];
                text.Clear();
                return chunk;
            }
        }
        catch (Exception e)
        {
            chunks.TryComplete(e);
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

    private static string[]? KeyOf(Schema.TableSchema schema, object?[] row) =>
        schema.HasKey ? schema.KeyColumns.Select(k => SqlLiteral.ToSql(row[k])).ToArray() : null;

    private static async Task ExecuteAsync(MySqlConnection connection, MySqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task LoadAsync(MySqlConnection connection, TargetTable table, LoadDataFormat format, byte[] data, CancellationToken cancellationToken)
    {
        var loader = new MySqlBulkLoader(connection)
        {
            Local = true,
            SourceStream = new MemoryStream(data, writable: false),
            TableName = table.QuotedName,
            CharacterSet = "utf8mb4",
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
            FieldQuotationCharacter = '\0',
            ConflictOption = MySqlBulkLoaderConflictOption.None,
        };
        loader.Columns.AddRange(format.Columns);
        loader.Expressions.AddRange(format.Expressions);
        await loader.LoadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One chunk's rows: INSERT statements, or LOAD DATA text (UTF-8).</summary>
    private sealed record Chunk(List<string> Statements, byte[]? Data, int Rows, string[]? LastKey, bool Last);
}
