using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Precheck.Checks;

/// <summary>Every selected object exists on the source, and so does every table and column the mapping names.</summary>
internal sealed class SourceObjectsCheck : PrecheckItem
{
    public override string Name => "SourceObjects";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        bool TableExists(string database, string table) => context.Tables.Any(t => t.Database == database && t.Name == table);
        var missing = context.Job.Selection.Objects
            .Where(o => o.Table is null ? !context.ExistingDatabases.Contains(o.Database) : !TableExists(o.Database, o.Table))
            .Select(o => o.ToString())
            .ToList();
        var account = context.SourceSession.Account;
        if (missing.Count > 0)
        {
            return Failed(context, $"Not found on the source (or not visible to {account}): {List(missing)}.",
                "Correct the names with a new job (names are case-sensitive), create the objects, or grant SELECT on them.");
        }

        var unmapped = new List<string>();
        foreach (var key in context.Job.Mapping.Keys.Select(k => QualifiedName.Parse(k, "Mapping key").Parts))
        {
            if (key.Count == 2 && !TableExists(key[0], key[1]))
            {
                unmapped.Add($"{QualifiedName.Display(key[0])}.{QualifiedName.Display(key[1])}");
            }
            else if (key.Count == 3 && !await ColumnExistsAsync(context.SourceSession, key, cancellationToken).ConfigureAwait(false))
            {
                unmapped.Add(string.Join('.', key.Select(QualifiedName.Display)));
            }
        }

        return unmapped.Count == 0
            ? Passed(context, $"Every selected object exists ({context.Tables.Count} tables in all).")
            : Failed(context, $"-Mapping names tables or columns that do not exist on the source: {List(unmapped)}.",
                "Correct the mapping keys (db.table or db.table.column, case-sensitive) and create the job again.");
    }

    private static async Task<bool> ColumnExistsAsync(ServerSession source, IReadOnlyList<string> key, CancellationToken cancellationToken) =>
        (await source.QueryAsync(
            "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @d AND TABLE_NAME = @t AND COLUMN_NAME = @c",
            cancellationToken, ("@d", key[0]), ("@t", key[1]), ("@c", key[2])).ConfigureAwait(false)).Count > 0;
}
