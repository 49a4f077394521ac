namespace DtsPowerShell.Engine.Selection;

/// <summary>
/// Target names for selected objects. Keys are <c>db</c>, <c>db.table</c> or <c>db.table.column</c>;
/// values are the new database, the new table (<c>table</c> or <c>db.table</c>) or the new column name.
/// </summary>
public sealed class NameMapping
{
    private readonly Dictionary<string, string> databases = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), (string? Database, string Table)> tables = [];
    private readonly Dictionary<(string, string, string), string> columns = [];

    private NameMapping(IReadOnlyDictionary<string, string> entries) => Entries = entries;

    public static NameMapping Empty { get; } = new(new Dictionary<string, string>());

    /// <summary>The mapping as given, keys and values in their canonical spelling.</summary>
    public IReadOnlyDictionary<string, string> Entries { get; }

    /// <summary>Whether a mapping key (db, db.table or db.table.column) names something in <paramref name="selection"/>.</summary>
    public static bool KeyNames(string key, ObjectSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var p = QualifiedName.Parse(key, "Mapping key").Parts;
        return p.Count == 1 ? selection.ContainsDatabase(p[0]) : selection.ContainsTable(p[0], p[1]);
    }

    public static NameMapping Create(IEnumerable<KeyValuePair<string, string>> entries, ObjectSelection selection)
    {
        var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var mapping = new NameMapping(canonical);
        foreach (var (keyText, valueText) in entries)
        {
            var key = QualifiedName.Parse(keyText, "Mapping key");
            var value = QualifiedName.Parse(valueText ?? "", $"Mapping value for '{keyText}'");
            var p = key.Parts;
            switch (p.Count)
            {
                case 1:
                    RequireSelected(selection.ContainsDatabase(p[0]), keyText, "database");
                    RequireParts(value, 1, keyText, "a database name");
                    mapping.databases[p[0]] = value.Parts[0];
                    break;
                case 2:
                    RequireSelected(selection.ContainsTable(p[0], p[1]), keyText, "table");
                    RequireParts(value, 2, keyText, "a table name or db.table");
                    mapping.tables[(p[0], p[1])] = value.Parts.Count == 2 ? (value.Parts[0], value.Parts[1]) : (null, value.Parts[0]);
                    break;
                case 3:
                    RequireSelected(selection.ContainsTable(p[0], p[1]), keyText, "column's table");
                    RequireParts(value, 1, keyText, "a column name");
                    mapping.columns[(p[0], p[1], p[2])] = value.Parts[0];
                    break;
                default:
                    throw new DtsInputException(
                        $"Mapping key '{keyText}' has {p.Count} parts.",
                        "Keys are db, db.table or db.table.column.");
            }

            if (!canonical.TryAdd(key.ToString(), value.ToString()))
            {
                throw new DtsInputException($"Mapping key '{keyText}' is given twice.", "Give each database, table or column one target name.");
            }
        }

        return mapping;
    }

    public string TargetDatabase(string database) => databases.GetValueOrDefault(database, database);

    public (string Database, string Table) TargetTable(string database, string table) =>
        tables.TryGetValue((database, table), out var mapped)
            ? (mapped.Database ?? TargetDatabase(database), mapped.Table)
            : (TargetDatabase(database), table);

    /// <summary>The target name of a column; an online schema change tool's shadow of a table (<see cref="ShadowTables"/>) takes the table's.</summary>
    public string TargetColumn(string database, string table, string column) =>
        columns.TryGetValue((database, table, column), out var mapped) ? mapped
        : ShadowTables.Of(table) is { } shadowed ? columns.GetValueOrDefault((database, shadowed, column), column)
        : column;

    /// <summary>Whether a table or column of the database gets another name (a database's own new name aside).</summary>
    public bool RenamesWithin(string database) =>
        tables.Keys.Any(k => k.Item1 == database) || columns.Keys.Any(k => k.Item1 == database);

    /// <summary>Whether a column of the table gets another name.</summary>
    public bool RenamesColumnsOf(string database, string table) =>
        columns.Keys.Any(k => k.Item1 == database && (k.Item2 == table || k.Item2 == ShadowTables.Of(table)));

    private static void RequireSelected(bool selected, string key, string what)
    {
        if (!selected)
        {
            throw new DtsInputException(
                $"Mapping key '{key}' names a {what} that is not selected.",
                "Map only selected objects: add it to -Object, or correct the key (keys are db, db.table or db.table.column).");
        }
    }

    private static void RequireParts(QualifiedName value, int maxParts, string key, string expected)
    {
        if (value.Parts.Count > maxParts)
        {
            throw new DtsInputException($"Mapping value '{value}' for '{key}' is not {expected}.", $"Give {expected} as the value for '{key}'.");
        }
    }
}
