namespace DtsPowerShell.Engine.Selection;

/// <summary>The databases and tables a job syncs. A table inside a wholly selected database is redundant and dropped.</summary>
public sealed class ObjectSelection
{
    public ObjectSelection(IEnumerable<SelectedObject> objects)
    {
        var all = objects.Distinct().ToList();
        var whole = all.Where(o => o.IsWholeDatabase).Select(o => o.Database).ToHashSet(StringComparer.Ordinal);
        Objects = all.Where(o => o.IsWholeDatabase || !whole.Contains(o.Database)).ToList();
        if (Objects.Count == 0)
        {
            throw new DtsInputException("No object is selected.", "Name at least one database ('shop') or table ('shop.orders') with -Object.");
        }
    }

    public IReadOnlyList<SelectedObject> Objects { get; }

    public static ObjectSelection Parse(IEnumerable<string> texts) => new(texts.Select(SelectedObject.Parse));

    /// <summary>The source databases that hold anything selected.</summary>
    public IEnumerable<string> Databases => Objects.Select(o => o.Database).Distinct(StringComparer.Ordinal);

    public bool IsWholeDatabase(string database) => Objects.Any(o => o.IsWholeDatabase && o.Database == database);

    public bool ContainsDatabase(string database) => Objects.Any(o => o.Database == database);

    /// <summary>Whether the job follows the table: it is selected, or it is an online schema change tool's shadow of a selected table (<see cref="ShadowTables"/>).</summary>
    public bool FollowsTable(string database, string table) =>
        ContainsTable(database, table) || (ShadowTables.Of(table) is { } shadowed && ContainsTable(database, shadowed));

    public bool ContainsTable(string database, string table) =>
        Objects.Any(o => o.Database == database && (o.IsWholeDatabase || o.Table == table));
}
