using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Apply;

/// <summary>A source table as it is written on the target: mapped names, the columns written (generated ones are not), its key.</summary>
public sealed class TargetTable
{
    public TargetTable(TableSchema source, NameMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mapping);
        Source = source;
        var (database, table) = mapping.TargetTable(source.Database, source.Name);
        Database = database;
        Name = table;
        QuotedName = QualifiedName.Quote(database) + "." + QualifiedName.Quote(table);
        QuotedColumns = source.Columns.Select(c => QualifiedName.Quote(mapping.TargetColumn(source.Database, source.Name, c.Name))).ToArray();
        WrittenColumns = Enumerable.Range(0, source.Columns.Count).Where(i => !source.Columns[i].Generated).ToArray();
        WrittenNonKeyColumns = WrittenColumns.Where(i => !source.KeyColumns.Contains(i)).ToArray();
        ColumnList = "(" + string.Join(",", WrittenColumns.Select(i => QuotedColumns[i])) + ")";
        UpsertClause = " ON DUPLICATE KEY UPDATE " + string.Join(",", WrittenColumns.Select(i => $"{QuotedColumns[i]}=VALUES({QuotedColumns[i]})"));
        CharacterSets = source.Columns.Select(c => c.Collation is { } collation && c.DataType is not ("enum" or "set") && collation.IndexOf('_', StringComparison.Ordinal) is > 0 and var end
            ? collation[..end] : null).ToArray();
    }

    public TableSchema Source { get; }

    public string Database { get; }

    public string Name { get; }

    /// <summary><c>`db`.`table`</c> on the target.</summary>
    public string QuotedName { get; }

    /// <summary>The target name of each source column, back-quoted, by source position.</summary>
    public IReadOnlyList<string> QuotedColumns { get; }

    /// <summary>Positions of the columns an insert writes.</summary>
    public IReadOnlyList<int> WrittenColumns { get; }

    /// <summary>The written columns outside the key: what an exact update matches beside the key.</summary>
    public IReadOnlyList<int> WrittenNonKeyColumns { get; }

    /// <summary><c>(`a`,`b`)</c>: the written columns.</summary>
    public string ColumnList { get; }

    /// <summary><c> ON DUPLICATE KEY UPDATE `a`=VALUES(`a`),…</c>: an insert that overwrites the row the target may already hold.</summary>
    public string UpsertClause { get; }

    /// <summary>
    /// Per column, the character set of a character column (null for others): a whole-row match compares such a
    /// column in that set's binary collation, so 'a' never matches 'A' under a case-insensitive one.
    /// </summary>
    public IReadOnlyList<string?> CharacterSets { get; }

    public override string ToString() => $"{Database}.{Name}";
}
