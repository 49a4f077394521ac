using System.Globalization;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Schema;

/// <summary>Reads the selected base tables of a source, with columns and keys, from information_schema.</summary>
public static class SourceSchemaReader
{
    public static Task<IReadOnlyList<TableSchema>> ReadAsync(MySqlConnection connection, ObjectSelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return ReadAsync(connection, selection.Databases, selection.ContainsTable, cancellationToken);
    }

    /// <summary>The named base tables of one database (those that exist).</summary>
    public static Task<IReadOnlyList<TableSchema>> ReadAsync(MySqlConnection connection, string database, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return ReadAsync(connection, [database], (_, table) => tables.Contains(table, StringComparer.Ordinal), cancellationToken);
    }

    private static async Task<IReadOnlyList<TableSchema>> ReadAsync(MySqlConnection connection, IEnumerable<string> databaseNames, Func<string, string, bool> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var databases = string.Join(",", databaseNames.Select(SqlText.Quote));
        var tables = new List<(string Database, string Name, long Rows)>();
        await connection.EachRowAsync(
            $"SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(TABLE_ROWS, 0) FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME",
            row =>
            {
                if (include(row.GetString(0), row.GetString(1)))
                {
                    tables.Add((row.GetString(0), row.GetString(1), Convert.ToInt64(row.GetValue(2), CultureInfo.InvariantCulture)));
                }
            },
            cancellationToken).ConfigureAwait(false);

        var columnRows = new List<((string, string) Table, ColumnSchema Column)>();
        await connection.EachRowAsync(
            "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, LOWER(DATA_TYPE), COLUMN_TYPE, COLLATION_NAME, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS " +
            $"WHERE TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
            row =>
            {
                var extra = row.IsDBNull(7) ? "" : row.GetString(7);
                var generated = extra.Contains("GENERATED", StringComparison.OrdinalIgnoreCase) || extra.Contains("VIRTUAL", StringComparison.OrdinalIgnoreCase) || extra.Contains("PERSISTENT", StringComparison.OrdinalIgnoreCase);
                columnRows.Add(((row.GetString(0), row.GetString(1)),
                    new ColumnSchema(row.GetString(2), row.GetString(3), row.GetString(4), row.IsDBNull(5) ? null : row.GetString(5), row.GetString(6) == "YES", generated)));
            },
            cancellationToken).ConfigureAwait(false);

        var indexRows = new List<((string, string) Table, (string Index, bool Unique, string Column, bool Prefix) Part)>();
        await connection.EachRowAsync(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS " +
            $"WHERE TABLE_SCHEMA IN ({databases}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            row =>
            {
                // A functional key part (MySQL 8.0.13+) names no column: such an index cannot identify rows here.
                var column = row.IsDBNull(4) ? "" : row.GetString(4);
                indexRows.Add(((row.GetString(0), row.GetString(1)),
                    (row.GetString(2), Convert.ToInt64(row.GetValue(3), CultureInfo.InvariantCulture) == 0, column, !row.IsDBNull(5) || column.Length == 0)));
            },
            cancellationToken).ConfigureAwait(false);

        var columns = columnRows.ToLookup(r => r.Table, r => r.Column);
        var indexes = indexRows.ToLookup(r => r.Table, r => r.Part);
        return tables.Select(t =>
        {
            var tableColumns = columns[(t.Database, t.Name)].ToList();
            return new TableSchema(t.Database, t.Name, tableColumns, ChooseKey(tableColumns, indexes[(t.Database, t.Name)].ToList()), t.Rows);
        }).ToList();
    }

    /// <summary>Collation ids by name, as the source numbers them (TABLE_MAP metadata uses the ids).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadCollationIdsAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        await connection.EachRowAsync("SELECT COLLATION_NAME, ID FROM information_schema.COLLATIONS WHERE ID IS NOT NULL",
            row => ids[row.GetString(0)] = Convert.ToInt32(row.GetValue(1), CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
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
