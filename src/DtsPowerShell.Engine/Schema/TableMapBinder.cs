using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// Completes the TABLE_MAP events of known tables with what the binlog leaves out by default (MariaDB's
/// binlog_row_metadata=NO_LOG, MySQL 8's MINIMAL): column names, signedness, collations and ENUM/SET labels,
/// taken from the source's schema, so rows decode as the server holds them. A map that does not match the
/// schema (another column count or type) means the table changed: it is refused, never decoded with the wrong columns.
/// </summary>
public sealed class TableMapBinder
{
    private const int BinaryCollation = 63;

    // The data types whose binlog type is certain; others (TEXT, JSON, GEOMETRY, INET6…) are not checked.
    private static readonly HashSet<string> KnownTypes =
    [
        "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "float", "double", "decimal", "numeric", "year", "date", "time",
        "datetime", "timestamp", "enum", "set", "bit", "varchar", "varbinary", "char", "binary",
    ];
    private readonly Func<string, string, TableSchema?> schemaOf;
    private readonly IReadOnlyDictionary<string, int> collationIds;

    /// <param name="schemaOf">The schema of a table as of the map being bound (the tracked schema), or null for a table not followed.</param>
    /// <param name="collationIds">The source's collation ids by name.</param>
    /// <param name="onMismatch">
    /// Null: a map that does not match its schema is refused (<see cref="SchemaMismatchException"/>). Given: it is told
    /// why, and the map is left as the binlog has it (columns by position), never bound to the wrong columns.
    /// </param>
    public TableMapBinder(Func<string, string, TableSchema?> schemaOf, IReadOnlyDictionary<string, int> collationIds, Action<string>? onMismatch = null)
    {
        this.schemaOf = schemaOf;
        this.collationIds = collationIds;
        this.onMismatch = onMismatch;
    }

    private readonly Action<string>? onMismatch;

    public void Bind(TableMapEvent map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (schemaOf(map.Database, map.Table) is not { } schema)
        {
            return;
        }

        if (Mismatch(map, schema) is { } why)
        {
            if (onMismatch is null)
            {
                throw new SchemaMismatchException(why);
            }

            onMismatch(why);
            return;
        }

        for (var i = 0; i < map.Columns.Count; i++)
        {
            var column = map.Columns[i];
            var known = schema.Columns[i];

            column.Name ??= known.Name;
            column.Unsigned ??= known.Unsigned;
            if (column.Collation is null && IsCharacterType(column.Type))
            {
                column.Collation = known.Collation is { } name && collationIds.TryGetValue(name, out var id) ? id : known.Collation is null ? BinaryCollation : null;
            }

            if (known.Labels.Count > 0)
            {
                if (column.Type == ColumnType.Enum)
                {
                    column.EnumValues ??= known.Labels;
                }
                else if (column.Type == ColumnType.Set)
                {
                    column.SetValues ??= known.Labels;
                }
            }
        }
    }

    private static string? Mismatch(TableMapEvent map, TableSchema schema)
    {
        if (map.Columns.Count != schema.Columns.Count)
        {
            return $"The binlog has {map.Columns.Count} columns for {schema}, its schema {schema.Columns.Count}: the table's structure changed since the schema was read.";
        }

        for (var i = 0; i < map.Columns.Count; i++)
        {
            if (!Fits(map.Columns[i].Type, schema.Columns[i].DataType))
            {
                return $"Column {i + 1} of {schema} is {map.Columns[i].Type} in the binlog but {schema.Columns[i].ColumnType} (`{schema.Columns[i].Name}`) in its schema: the table's structure changed since the schema was read.";
            }
        }

        return null;
    }

    private static bool IsCharacterType(ColumnType type) => type is ColumnType.VarChar or ColumnType.VarString or ColumnType.String
        or ColumnType.Blob or ColumnType.TinyBlob or ColumnType.MediumBlob or ColumnType.LongBlob or ColumnType.VarCharCompressed or ColumnType.BlobCompressed;

    /// <summary>Whether a binlog column type can hold a column of this data type; types it does not know pass.</summary>
    private static bool Fits(ColumnType type, string dataType)
    {
        string[]? expected = type switch
        {
            ColumnType.Tiny => ["tinyint", "bool", "boolean"],
            ColumnType.Short => ["smallint"],
            ColumnType.Int24 => ["mediumint"],
            ColumnType.Long => ["int", "integer"],
            ColumnType.LongLong => ["bigint"],
            ColumnType.Float => ["float"],
            ColumnType.Double => ["double", "real", "double precision"],
            ColumnType.NewDecimal => ["decimal", "numeric"],
            ColumnType.Year => ["year"],
            ColumnType.Date or ColumnType.NewDate => ["date"],
            ColumnType.Time or ColumnType.Time2 => ["time"],
            ColumnType.DateTime or ColumnType.DateTime2 => ["datetime"],
            ColumnType.Timestamp or ColumnType.Timestamp2 => ["timestamp"],
            ColumnType.Enum => ["enum"],
            ColumnType.Set => ["set"],
            ColumnType.Bit => ["bit"],
            ColumnType.VarChar or ColumnType.VarString or ColumnType.VarCharCompressed => ["varchar", "varbinary"],
            ColumnType.String => ["char", "binary"],
            _ => null,
        };
        return expected is null || expected.Contains(dataType) || !KnownTypes.Contains(dataType);
    }
}
