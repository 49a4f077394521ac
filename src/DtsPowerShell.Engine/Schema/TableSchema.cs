namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// A source table: its columns in order and the key that identifies a row (the primary key, else a unique key
/// on NOT NULL columns without prefixes); <see cref="KeyColumns"/> is empty for a table without such a key.
/// </summary>
public sealed record TableSchema(string Database, string Name, IReadOnlyList<ColumnSchema> Columns, IReadOnlyList<int> KeyColumns, long EstimatedRows)
{
    public bool HasKey => KeyColumns.Count > 0;

    public override string ToString() => $"{Database}.{Name}";
}
