using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>
/// The other half of a two-way pair: a job from a job's target back to its source, for the same objects under the
/// target's names, with the mapping turned round, and no initial sync (both sides hold the data once the first job
/// synchronizes). Loops between the two are avoided by their origin marks (OriginMarker).
/// </summary>
public static class ReverseJob
{
    /// <param name="forward">The job to reverse.</param>
    /// <param name="forwardSource">The forward job's source connection: the reverse job's target.</param>
    /// <param name="forwardTarget">The forward job's target connection: the reverse job's source.</param>
    /// <param name="name">The reverse job's name, or null for a generated one.</param>
    public static SyncJobDefinition Of(SyncJob forward, ConnectionSettings forwardSource, ConnectionSettings forwardTarget, string? name)
    {
        ArgumentNullException.ThrowIfNull(forward);
        var mapping = forward.NameMapping;
        var objects = forward.Selection.Objects
            .Select(o => o.IsWholeDatabase ? Name(mapping.TargetDatabase(o.Database)) : Name(mapping.TargetTable(o.Database, o.Table!)))
            .ToList();
        if (objects.Distinct(StringComparer.Ordinal).Count() != objects.Count)
        {
            throw new DtsInputException($"Job {forward.Name} maps several objects to one name on its target, so no job can sync them back.",
                "A many-to-one job has no reverse; create the jobs from the target by hand, one per source.");
        }

        var entries = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in mapping.Entries)
        {
            var parts = QualifiedName.Parse(key, "Mapping key").Parts;
            switch (parts.Count)
            {
                case 1:
                    entries.Add(new(value, Name(parts[0])));
                    break;
                case 2 when forward.Selection.IsWholeDatabase(parts[0]) && mapping.TargetTable(parts[0], parts[1]).Database != mapping.TargetDatabase(parts[0]):
                    throw new DtsInputException($"Job {forward.Name} moves {key} into another database of its whole-database selection, which a reverse job of the same objects cannot select.",
                        "Create the reverse job by hand with New-DtsSyncJob -InitialSync None, selecting that table too.");
                case 2:
                    entries.Add(new(Name(mapping.TargetTable(parts[0], parts[1])), Name((parts[0], parts[1]))));
                    break;
                default:
                    var (database, table) = mapping.TargetTable(parts[0], parts[1]);
                    // The value is in display form (back-quoted where the name needs it): its name, not its spelling.
                    entries.Add(new(new QualifiedName([database, table, QualifiedName.Parse(value, "Mapping value").Parts[0]]).ToString(), Name(parts[2])));
                    break;
            }
        }

        var selection = ObjectSelection.Parse(objects);
        return new SyncJobDefinition(name, forwardTarget, forwardSource, selection, NameMapping.Create(entries, selection), InitialSync.None, ConflictPolicy: forward.ConflictPolicy, Operations: forward.Operations);
    }

    private static string Name(string database) => new QualifiedName([database]).ToString();

    private static string Name((string Database, string Table) table) => new QualifiedName([table.Database, table.Table]).ToString();
}
