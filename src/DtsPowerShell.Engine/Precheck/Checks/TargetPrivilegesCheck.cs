using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class TargetPrivilegesCheck : PrecheckItem
{
    private static readonly string[] TableWork = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX"];
    private static readonly string[] DatabaseDdl = ["CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "TRIGGER", "EVENT"];
    private static readonly string[] Bookkeeping = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE"];

    public override string Name => "TargetPrivileges";

    public override PrecheckSides Needs => PrecheckSides.Target;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var session = context.TargetSession;
        var job = context.Job;
        var required = new List<(string Privilege, string Database)>();
        foreach (var selected in job.Selection.Objects)
        {
            var database = selected.Table is null ? job.NameMapping.TargetDatabase(selected.Database) : job.NameMapping.TargetTable(selected.Database, selected.Table).Database;
            required.AddRange(TableWork.Select(p => (p, database)));
        }

        required.AddRange(Bookkeeping.Select(p => (p, DtsObjects.Database)));
        var missing = required.Distinct().Where(r => !session.Grants.HasOnDatabase(r.Privilege, r.Database)).ToList();
        if (missing.Count > 0)
        {
            return Task.FromResult(Failed(context, $"{session.Account} lacks on the target: {List(missing.Select(Describe), 8)}.", Grants(missing, session.Account)));
        }

        var ddl = job.Selection.Objects.Where(o => o.IsWholeDatabase)
            .SelectMany(o => DatabaseDdl.Select(p => (Privilege: p, Database: job.NameMapping.TargetDatabase(o.Database))))
            .Where(r => !session.Grants.HasOnDatabase(r.Privilege, r.Database))
            .ToList();
        return Task.FromResult(ddl.Count == 0
            ? Passed(context, $"{session.Account} can create and write the mapped objects and the job's own {QualifiedName.Quote(DtsObjects.Database)} database.")
            : Warning(context, $"{session.Account} lacks {List(ddl.Select(Describe), 8)}; views, routines, triggers and events of the whole databases selected cannot be created on the target.",
                Grants(ddl, session.Account)));
    }

    private static string Describe((string Privilege, string Database) r) => $"{r.Privilege} ON {QualifiedName.Quote(r.Database)}.*";

    private static string Grants(IEnumerable<(string Privilege, string Database)> missing, string account) =>
        string.Join(" ", missing.GroupBy(m => m.Database).Select(g => $"GRANT {string.Join(", ", g.Select(m => m.Privilege))} ON {QualifiedName.Quote(g.Key)}.* TO {account};"));
}
