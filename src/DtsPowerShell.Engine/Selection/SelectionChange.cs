namespace DtsPowerShell.Engine.Selection;

/// <summary>
/// How a job's objects changed between what its target holds and what the job now names (Set-DtsSyncJob), object by
/// object: a database narrowed to some of its tables counts as the database removed and the tables added.
/// </summary>
public sealed record SelectionChange(IReadOnlyList<SelectedObject> Kept, IReadOnlyList<SelectedObject> Added, IReadOnlyList<SelectedObject> Removed)
{
    public static SelectionChange Between(IEnumerable<SelectedObject> held, ObjectSelection now)
    {
        ArgumentNullException.ThrowIfNull(now);
        var before = held.ToList();
        return new(
            now.Objects.Where(before.Contains).ToList(),
            now.Objects.Where(o => !before.Contains(o)).ToList(),
            before.Where(o => !now.Objects.Contains(o)).ToList());
    }

    public bool IsNone => Added.Count == 0 && Removed.Count == 0;

    /// <summary>Whether the job went on following the table through the change.</summary>
    public bool Keeps(string database, string table) => Selected(Kept, database, table);

    /// <summary>Whether the table comes with the change: the added objects name it and the kept ones do not.</summary>
    public bool Brings(string database, string table) => !Keeps(database, table) && Selected(Added, database, table);

    private static bool Selected(IReadOnlyList<SelectedObject> objects, string database, string table) =>
        objects.Count > 0 && new ObjectSelection(objects).FollowsTable(database, table);
}
