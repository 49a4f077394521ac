using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Verify;

/// <summary>
/// Compares a synced table with its source. Where CHECKSUM TABLE and the row count agree on both servers, the table is
/// equal. Otherwise it is compared by chunked checksums: chunks of <see cref="ChunkRows"/> rows in key order,
/// bounded by keys read from the source, are counted and checksummed on both servers at once (the sum of each row's
/// 64-bit MD5 prefix over every written column's bytes, with NULL told apart). Chunks that differ are checked again after
/// <see cref="RecheckDelay"/> up to <see cref="Rechecks"/> times, since a running job may not have applied the latest
/// changes yet; rows of the chunks still different are then compared one by one. A table without a key is compared
/// whole, and its differing rows cannot be named.
/// </summary>
public sealed class TableComparer(MySqlConnection source, MySqlConnection target)
{
    /// <summary>Keys listed per kind of difference; the counts go on.</summary>
    public const int ListedRows = 100;

    public int ChunkRows { get; init; } = 1000;

    public int Rechecks { get; init; } = 3;

    public TimeSpan RecheckDelay { get; init; } = TimeSpan.FromSeconds(2);

    public async Task<TableComparison> CompareAsync(TargetTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var schema = table.Source;
        // A date or time key is bound back as its text: a zero or partial-zero date has no typed value that round-trips.
        var keysAsText = schema.KeyColumns.Select(i => schema.Columns[i].DataType is "date" or "datetime" or "timestamp" or "time" or "year").ToList();
        var sourceSide = new Side(source, QualifiedName.Quote(schema.Database) + "." + QualifiedName.Quote(schema.Name), table.WrittenColumns.Select(i => QualifiedName.Quote(schema.Columns[i].Name)).ToList(),
            schema.KeyColumns.Select(i => QualifiedName.Quote(schema.Columns[i].Name)).ToList(), keysAsText);
        var targetSide = new Side(target, table.QuotedName, table.WrittenColumns.Select(i => table.QuotedColumns[i]).ToList(), schema.KeyColumns.Select(i => table.QuotedColumns[i]).ToList(), keysAsText);
        var (name, targetName) = (schema.ToString(), table.ToString());
        var (sourceChecksum, targetChecksum) = await BothAsync(sourceSide.TableChecksumAsync(cancellationToken), targetSide.TableChecksumAsync(cancellationToken)).ConfigureAwait(false);
        if (sourceChecksum is not null && sourceChecksum == targetChecksum)
        {
            // The servers' own checksum of the whole table agrees (it does only where both store the table alike): equal,
            // without chunks. Where it differs, the chunks below tell.
            var (sourceCount, targetCount) = await BothAsync(sourceSide.CountAsync(cancellationToken), targetSide.CountAsync(cancellationToken)).ConfigureAwait(false);
            if (sourceCount == targetCount)
            {
                return new TableComparison(true, name, targetName, sourceCount, targetCount, 0, 0, 0, 0, [], [], [], null);
            }
        }

        var chunks = schema.HasKey ? await sourceSide.ChunksAsync(ChunkRows, cancellationToken).ConfigureAwait(false) : [new Chunk(null, null)];
        var differing = new List<Chunk>();
        long sourceRows = 0, targetRows = 0;
        foreach (var chunk in chunks)
        {
            var (s, t) = await BothAsync(sourceSide.SumAsync(chunk, cancellationToken), targetSide.SumAsync(chunk, cancellationToken)).ConfigureAwait(false);
            (sourceRows, targetRows) = (sourceRows + s.Rows, targetRows + t.Rows);
            if (s != t)
            {
                differing.Add(chunk);
            }
        }

        for (var attempt = 0; attempt < Rechecks && differing.Count > 0; attempt++)
        {
            await Task.Delay(RecheckDelay, cancellationToken).ConfigureAwait(false);
            var still = new List<Chunk>();
            foreach (var chunk in differing)
            {
                var (s, t) = await BothAsync(sourceSide.SumAsync(chunk, cancellationToken), targetSide.SumAsync(chunk, cancellationToken)).ConfigureAwait(false);
                if (s != t)
                {
                    still.Add(chunk);
                }
            }

            differing = still;
        }

        if (!schema.HasKey)
        {
            return new TableComparison(differing.Count == 0, name, targetName, sourceRows, targetRows, 1, 0, 0, 0, [], [], [],
                differing.Count == 0 ? null : "The table has no key: its checksums differ, but the rows that differ cannot be named.");
        }

        var (missing, extra, changed) = (new List<string>(), new List<string>(), new List<string>());
        long missingCount = 0, extraCount = 0, changedCount = 0;
        foreach (var chunk in differing)
        {
            var (sourceKeys, targetKeys) = await BothAsync(sourceSide.RowsAsync(chunk, cancellationToken), targetSide.RowsAsync(chunk, cancellationToken)).ConfigureAwait(false);
            foreach (var (key, row) in sourceKeys)
            {
                if (!targetKeys.TryGetValue(key, out var other))
                {
                    Note(missing, ref missingCount, row.Shown);
                }
                else if (other.Digest != row.Digest)
                {
                    Note(changed, ref changedCount, row.Shown);
                }
            }

            foreach (var (key, row) in targetKeys)
            {
                if (!sourceKeys.ContainsKey(key))
                {
                    Note(extra, ref extraCount, row.Shown);
                }
            }
        }

        return new TableComparison(missingCount + extraCount + changedCount == 0, name, targetName, sourceRows, targetRows, chunks.Count, missingCount, extraCount, changedCount, missing, extra, changed, null);
    }

    /// <summary>The same query on both servers at once.</summary>
    private static async Task<(T Source, T Target)> BothAsync<T>(Task<T> source, Task<T> target)
    {
        await Task.WhenAll(source, target).ConfigureAwait(false);
        return (await source.ConfigureAwait(false), await target.ConfigureAwait(false));
    }

    private static void Note(List<string> keys, ref long count, string key)
    {
        count++;
        if (keys.Count < ListedRows)
        {
            keys.Add(key);
        }
    }

    /// <summary>Rows after <see cref="After"/> up to and including <see cref="Through"/> in key order (null: no bound).</summary>
    private sealed record Chunk(object?[]? After, object?[]? Through);

    private sealed record Row(string Shown, string Digest);

    /// <summary>One server's copy of the table: its name and columns there, and the queries on it.</summary>
    private sealed class Side(MySqlConnection connection, string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys, IReadOnlyList<bool> keysAsText)
    {
        // Each column's bytes (in the session's UTC), which columns are NULL (so NULL and '' differ), and each value's
        // length (so no value runs into the next across the separator), hashed to 64 bits by MD5. A chunk's rows are
        // summed, not XORed, and the hash is not linear: changes cannot cancel out, duplicate rows count twice.
        private readonly string digest = "CAST(CONV(LEFT(MD5(CONCAT_WS('|'," + string.Join(",", columns.Select(c => $"CAST({c} AS BINARY)")) +
            ",CONCAT(" + string.Join(",", columns.Select(c => $"ISNULL({c})")) + "),CONCAT_WS(','," + string.Join(",", columns.Select(c => $"LENGTH({c})")) + "))), 16), 16, 10) AS UNSIGNED)";

        private readonly KeysetRange range = new(keys);
        private readonly string[] afterParameters = [.. keys.Select((_, i) => $"@a{i}")];
        private readonly string[] throughParameters = [.. keys.Select((_, i) => $"@t{i}")];

        /// <summary>The chunks' bounds: every <paramref name="rows"/>-th key of the table, read in key order.</summary>
        public async Task<List<Chunk>> ChunksAsync(int rows, CancellationToken cancellationToken)
        {
            var chunks = new List<Chunk>();
            object?[]? after = null;
            while (true)
            {
                var bounds = string.Join(",", keys.Select((k, i) => keysAsText[i] ? $"CAST({k} AS CHAR)" : k));
                var rest = new Chunk(after, null);
                await using var command = Command($"SELECT {bounds} FROM {table}{Where(rest)}{range.OrderBy} LIMIT 1 OFFSET {rows - 1}", rest);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var through = new object?[keys.Count];
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || (reader.GetValues(through!) > 0 && after is not null && through.SequenceEqual(after)))
                {
                    // The end, or (should a bound not move on) the rest of the table as one chunk rather than a loop.
                    chunks.Add(new Chunk(after, null));
                    return chunks;
                }

                chunks.Add(new Chunk(after, through));
                after = through;
            }
        }

        /// <summary>CHECKSUM TABLE: the server's own checksum of the stored rows (null when it gives none).</summary>
        public async Task<long?> TableChecksumAsync(CancellationToken cancellationToken)
        {
            await using var command = new MySqlCommand($"CHECKSUM TABLE {table}", connection) { CommandTimeout = 0 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(1) ? Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture) : null;
        }

        public async Task<long> CountAsync(CancellationToken cancellationToken)
        {
            await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table}", connection) { CommandTimeout = 0 };
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<(long Rows, decimal Sum)> SumAsync(Chunk chunk, CancellationToken cancellationToken)
        {
            await using var command = Command($"SELECT COUNT(*), IFNULL(SUM({digest}), 0) FROM {table}{Where(chunk)}", chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }

        /// <summary>Each row of the chunk by its key's bytes: the key as shown, and the row's digest.</summary>
        public async Task<Dictionary<string, Row>> RowsAsync(Chunk chunk, CancellationToken cancellationToken)
        {
            var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
            var identity = "HEX(CONCAT_WS(0x00," + string.Join(",", keys.Select(k => $"CAST({k} AS BINARY)")) + "))";
            var shown = "CONCAT_WS(', '," + string.Join(",", keys.Select(k => $"CAST({k} AS CHAR CHARACTER SET utf8mb4)")) + ")";
            await using var command = Command($"SELECT {identity}, {shown}, {digest} FROM {table}{Where(chunk)}", chunk);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows[reader.GetString(0)] = new Row(reader.GetString(1), Convert.ToString(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)!);
            }

            return rows;
        }

        private string Where(Chunk chunk) => range.Between(chunk.After is null ? null : afterParameters, chunk.Through is null ? null : throughParameters).Where;

        private MySqlCommand Command(string sql, Chunk chunk)
        {
            var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
            for (var i = 0; i < keys.Count; i++)
            {
                if (chunk.After is not null)
                {
                    command.Parameters.AddWithValue($"@a{i}", chunk.After[i]);
                }

                if (chunk.Through is not null)
                {
                    command.Parameters.AddWithValue($"@t{i}", chunk.Through[i]);
                }
            }

            return command;
        }
    }
}
