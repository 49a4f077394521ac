namespace DtsPowerShell.Engine.Selection;

/// <summary>A whole database (<see cref="Table"/> is null) or one table chosen for sync.</summary>
public sealed record SelectedObject(string Database, string? Table)
{
    public bool IsWholeDatabase => Table is null;

    /// <summary>The server's own databases, and ours (DtsObjects.Database): never synced.</summary>
    private static readonly HashSet<string> Unsyncable = new(["information_schema", "performance_schema", "mysql", "sys", "_dts"], StringComparer.OrdinalIgnoreCase);

    public static SelectedObject Parse(string text)
    {
        var name = QualifiedName.Parse(text, "Object");
        if (name.Parts.Count > 0 && Unsyncable.Contains(name.Parts[0]))
        {
            throw new DtsInputException(
                $"Object '{text}' is in '{name.Parts[0]}', a database the server or DtsPowerShell keeps for itself; it is not synced.",
                "Select your own databases and tables with -Object; accounts and grants are created on the target by hand.");
        }

        return name.Parts.Count switch
        {
            1 => new SelectedObject(name.Parts[0], null),
            2 => new SelectedObject(name.Parts[0], name.Parts[1]),
            _ => throw new DtsInputException(
                $"Object '{text}' has {name.Parts.Count} parts; an object is a database or a table.",
                "Give 'db' for a whole database or 'db.table' for one table; columns are renamed with -Mapping."),
        };
    }

    public override string ToString() => Table is null
        ? QualifiedName.Display(Database)
        : $"{QualifiedName.Display(Database)}.{QualifiedName.Display(Table)}";
}
