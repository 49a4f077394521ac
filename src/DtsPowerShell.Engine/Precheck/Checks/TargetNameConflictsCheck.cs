using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using MySqlConnector;

namespace DtsPowerShell.Engine.Precheck.Checks;

/// <summary>
/// With schema initialisation, a target table that already holds rows would be mixed with the copy (failed);
/// an empty one is reused (warning). Without it, every mapped table must already exist on the target.
/// </summary>
internal sealed class TargetNameConflictsCheck : PrecheckItem
{
    public override string Name => "TargetNameConflicts";

    public override PrecheckSides Needs => PrecheckSides.Both;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        var mapped = context.Tables.Select(t => job.NameMapping.TargetTable(t.Database, t.Name)).Distinct().ToList();
        var existing = await ExistingTablesAsync(context.TargetSession, mapped.Select(m => m.Database).Distinct(), cancellationToken).ConfigureAwait(false);
        static string Display((string Database, string Table) t) => $"{QualifiedName.Display(t.Database)}.{QualifiedName.Display(t.Table)}";

        if (!job.InitialSync.HasFlag(InitialSync.Schema))
        {
            var absent = mapped.Where(m => !existing.Contains(m)).Select(Display).ToList();
            return absent.Count == 0
                ? Passed(context, $"Schema initialisation is off and all {mapped.Count} mapped tables exist on the target.")
                : Failed(context, $"Schema initialisation is off, but these tables do not exist on the target: {List(absent)}.",
                    "Create them on the target first, or create the job with -InitialSync Schema,Data.");
        }

        if (await StartedBeforeAsync(context, cancellationToken).ConfigureAwait(false))
        {
            return Passed(context, $"The job has run before: the {mapped.Count} tables on the target are its own, and it resumes from its checkpoint there.");
        }

        var withRows = new List<string>();
        var empty = new List<string>();
        foreach (var table in mapped.Where(existing.Contains))
        {
            var sql = $"SELECT 1 FROM {QualifiedName.Quote(table.Database)}.{QualifiedName.Quote(table.Table)} LIMIT 1";
            try
            {
                var hasRows = (await context.TargetSession.QueryAsync(sql, cancellationToken).ConfigureAwait(false)).Count > 0;
                (hasRows ? withRows : empty).Add(Display(table));
            }
            catch (MySqlException e)
            {
                withRows.Add($"{Display(table)} (unreadable: {e.Message})");
            }
        }

        if (withRows.Count > 0)
        {
            return Failed(context, $"Tables the schema initialisation would create already exist on the target with rows: {List(withRows)}.",
                "Empty or drop them on the target, map the source tables to other names with -Mapping, or create the job with -InitialSync None if the target already holds the data.");
        }

        return empty.Count > 0
            ? Warning(context, $"These tables already exist, empty, on the target and will be used as they are: {List(empty)}.",
                "Make sure their structure matches the source, or drop them so schema initialisation creates them.")
            : Passed(context, $"None of the {mapped.Count} tables to create exists on the target.");
    }

    /// <summary>Whether the target holds this job's checkpoint (the tables there were made by it).</summary>
    private static async Task<bool> StartedBeforeAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await context.TargetSession.QueryAsync($"SELECT 1 FROM `{DtsObjects.Database}`.`{DtsObjects.CheckpointTable}` WHERE job_id = @job",
                cancellationToken, ("@job", (object?)context.Job.Id)).ConfigureAwait(false);
            return rows.Count > 0;
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    private static async Task<HashSet<(string, string)>> ExistingTablesAsync(ServerSession target, IEnumerable<string> databases, CancellationToken cancellationToken)
    {
        var names = databases.ToArray();
        var found = new HashSet<(string, string)>();
        if (names.Length == 0)
        {
            return found;
        }

        var list = string.Join(", ", names.Select((_, i) => $"@d{i}"));
        var rows = await target.QueryAsync($"SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ({list})",
            cancellationToken, names.Select((d, i) => ($"@d{i}", (object?)d)).ToArray()).ConfigureAwait(false);
        foreach (var row in rows)
        {
            found.Add(((string)row[0]!, (string)row[1]!));
        }

        return found;
    }
}
