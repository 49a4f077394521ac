using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>Reads the selected base tables of a source, with columns and keys, from information_schema.</summary>
public static class SourceSchemaReader
{
    public static async Task<IReadOnlyList<TableSchema>> ReadAsync(MySqlConnection connection, ObjectSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(selection);
        var databases = string.Join(",", selection.Databases.Select(SqlText.Quote));
        var tables = new List<(string Database, string Name, long Rows)>();
        await using (var command = new MySqlCommand(
            $"SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (selection.ContainsTable(reader.GetString(0), reader.GetString(1)))
                {
                    tables.Add((reader.GetString(0), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        var columns = new Dictionary<(string, string), List<ColumnSchema>>();
        await using (var command = new MySqlCommand(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, COLLATION_NAME, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS " +
            $"WHERE TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!columns.TryGetValue(key, out var list))
                {
                    columns[key] = list = [];
                }

                var extra = reader.IsDBNull(7) ? "" : reader.GetString(7);
                list.Add(new ColumnSchema(
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6) == "YES",
                    extra.Contains("GENERATED", StringComparison.OrdinalIgnoreCase) || extra.Contains("VIRTUAL", StringComparison.OrdinalIgnoreCase) || extra.Contains("PERSISTENT", StringComparison.OrdinalIgnoreCase)));
            }
        }

        var indexes = new Dictionary<(string, string), List<(string Index, bool Unique, string Column, bool Prefix)>>();
        await using (var command = new MySqlCommand(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS " +
            $"WHERE TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!indexes.TryGetValue(key, out var list))
                {
                    indexes[key] = list = [];
                }

                // A functional key part (MySQL 8.0.13+) names no column: such an index cannot identify rows here.
                var column = reader.IsDBNull(4) ? "" : reader.GetString(4);
                list.Add((reader.GetString(2), Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture) == 0, column, !reader.IsDBNull(5) || column.Length == 0));
            }
        }

        return tables.Select(t =>
        {
            var tableColumns = columns.GetValueOrDefault((t.Database, t.Name)) ?? [];
            return new TableSchema(t.Database, t.Name, tableColumns, ChooseKey(tableColumns, indexes.GetValueOrDefault((t.Database, t.Name)) ?? []), t.Rows);
        }).ToList();
    }

    /// <summary>Collation ids by name, as the source numbers them (TABLE_MAP metadata uses the ids).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadCollationIdsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        await using var command = new MySqlCommand("SELECT COLLATION_NAME, ID FROM information_schema.COLLATIONS WHERE ID IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }

    /// <summary>The primary key, else the first unique key whose columns are all NOT NULL and whole (no prefix).</summary>
    private static int[] ChooseKey(List<ColumnSchema> columns, List<(string Index, bool Unique, string Column, bool Prefix)> indexes)
    {
        var candidates = indexes.Where(i => i.Unique).GroupBy(i => i.Index, StringComparer.Ordinal)
            .OrderBy(g => g.Key == "PRIMARY" ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var index in candidates)
        {
            var positions = index.Select(i => columns.FindIndex(c => string.Equals(c.Name, i.Column, StringComparison.OrdinalIgnoreCase))).ToArray();
            if (index.All(i => !i.Prefix) && positions.All(p => p >= 0 && !columns[p].Nullable))
            {
                return positions;
            }
        }

        return [];
    }
}
