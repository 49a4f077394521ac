using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// A source table: its columns in order and the key that identifies a row (the primary key, else a unique key
/// on NOT NULL columns without prefixes); <see cref="KeyColumns"/> is empty for a table without such a key.
/// </summary>
public sealed record TableSchema(string Database, string Name, IReadOnlyList<ColumnSchema> Columns, IReadOnlyList<int> KeyColumns, long EstimatedRows)
{
    public bool HasKey => KeyColumns.Count > 0;

    /// <summary>
    /// The table as a table map with full metadata describes it (names, the primary key), or null when it names no
    /// columns. It knows less than information_schema: no generated columns, no unique keys, no collation names.
    /// </summary>
    public static TableSchema? FromTableMap(TableMapEvent map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Columns.Any(c => c.Name is null))
        {
            return null;
        }

        var columns = map.Columns.Select(c => new ColumnSchema(c.Name!, DataTypeOf(c.Type), "", null, c.Nullable, Generated: false)).ToList();
        var key = Enumerable.Range(0, map.Columns.Count).Where(i => map.Columns[i].IsPrimaryKey).ToArray();
        return new TableSchema(map.Database, map.Table, columns, key, 0);
    }

    private static string DataTypeOf(ColumnType type) => type switch
    {
        ColumnType.Float => "float",
        ColumnType.Double => "double",
        ColumnType.Json => "json",
        ColumnType.Enum => "enum",
        ColumnType.Set => "set",
        ColumnType.NewDecimal or ColumnType.Decimal => "decimal",
        _ => type.ToString().ToLowerInvariant(),
    };

    public override string ToString() => $"{Database}.{Name}";
}
