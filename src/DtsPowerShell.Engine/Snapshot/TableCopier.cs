using System.Text;
using System.Threading.Channels;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog;
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
    /// Creates the target table again with the structure the source has now (its CREATE TABLE given) and returns how the
    /// copy writes it; null when the job does not create its tables, and a table changed before its copy then stops the job.
    /// </summary>
    public Func<TableSchema, string, CancellationToken, Task<TargetTable>>? RecreateTarget { get; init; }

    private const int NoSuchTable = 1146;

    /// <summary>
    /// Opens the table's snapshot and holds its metadata lock (no DDL can change it until the copy commits), and returns
    /// its structure as of the snapshot: read before the snapshot and again under the lock, and opened again while a DDL
    /// came between them. Null when the table is gone.
    /// </summary>
    private async Task<(BinlogPosition From, BinlogPosition SafeUntil, string? Create)> BeginSnapshotAsync(ProtocolConnection connection, TableSchema schema, bool needExact, CancellationToken cancellationToken)
    {
        var version = ServerVersion.Parse(connection.Handshake.ServerVersion);
        var name = $"{QualifiedName.Quote(schema.Database)}.{QualifiedName.Quote(schema.Name)}";
        while (true)
        {
            var before = await ShowCreateAsync(connection, name, cancellationToken).ConfigureAwait(false);
            var (from, safeUntil) = await SnapshotPosition.BeginAsync(connection.QueryAsync, version, needExact, cancellationToken).ConfigureAwait(false);
            if (before is null)
            {
                return (from, safeUntil, null);
            }

            await connection.QueryAsync($"SELECT 1 FROM {name} LIMIT 0", cancellationToken).ConfigureAwait(false);
            var locked = await ShowCreateAsync(connection, name, cancellationToken).ConfigureAwait(false);
            if (locked == before)
            {
                return (from, safeUntil, locked);
            }

            log.LogInformation("{Table} changed on the source while its snapshot was opened; opening another.", schema);
            await connection.QueryAsync("ROLLBACK", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SHOW CREATE TABLE without the AUTO_INCREMENT counter (every insert moves it), or null for a table that is gone.</summary>
    private static async Task<string?> ShowCreateAsync(ProtocolConnection connection, string name, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await connection.QueryAsync($"SHOW CREATE TABLE {name}", cancellationToken).ConfigureAwait(false);
            return rows is [[_, { } create, ..], ..] ? AutoIncrement().Replace(create, "") : null;
        }
        catch (MySqlServerException e) when (e.ErrorCode == NoSuchTable)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" AUTO_INCREMENT=\d+")]
    private static partial System.Text.RegularExpressions.Regex AutoIncrement();

    /// <param name="table">The table, as written on the target.</param>
    /// <param name="expectedCreate">SHOW CREATE TABLE of it as the job created it on the target: where the source's differs, the target's is created again (<see cref="RecreateTarget"/>).</param>
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
        if (state is { IsToCopy: true })
        {
            state = null;
        }

        if (state is { Done: false } && !schema.HasKey)
        {
            await targetConnection.ExecuteAsync($"DELETE FROM {table.QuotedName}", cancellationToken).ConfigureAwait(false);
            progress.AddCopied(-state.RowsCopied);
            state = null;
        }

        var (from, safeUntil, create) = await BeginSnapshotAsync(sourceConnection, schema, needExact: !schema.HasKey, cancellationToken).ConfigureAwait(false);
        if (create != AutoIncrement().Replace(expectedCreate, ""))
        {
            if (create is null || RecreateTarget is null)
            {
                throw new SyncStoppedException(create is null
                    ? $"{schema} is gone from the source (dropped or renamed before its copy began). Start-DtsSync -Resync copies the job's tables again from a new snapshot."
                    : $"The structure of {schema} changed on the source before its copy began, and the job does not create its tables (-InitialSync without Schema). " +
                        "Change the target's table to match the source's, then Start-DtsSync -Resync copies the job's tables again from a new snapshot.");
            }

            // The copy is taken with the new structure; the DDL before it in the binlog is followed by the schema only.
            log.LogWarning("{Table} changed on the source after the job read its schema (a DDL ran before its copy): its target table is created again with the new structure, and its copy starts over.", schema);
            table = await RecreateTarget(schema, create, cancellationToken).ConfigureAwait(false);
            schema = table.Source;
            if (state is not null)
            {
                progress.AddCopied(-state.RowsCopied);
                state = null;
            }
        }

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
                var range = new KeysetRange([.. schema.KeyColumns.Select(k => QualifiedName.Quote(schema.Columns[k].Name))], after);
                select.Append(range.Where).Append(range.OrderBy);
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
}
