using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourcePrivilegesCheck : PrecheckItem
{
    public override string Name => "SourcePrivileges";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var session = context.SourceSession;
        var missing = new List<string>();
        foreach (var privilege in new[] { "REPLICATION SLAVE", "REPLICATION CLIENT" })
        {
            if (!session.Grants.HasGlobal(privilege))
            {
                missing.Add($"{privilege} ON *.*");
            }
        }

        foreach (var selected in context.Job.Selection.Objects)
        {
            var ok = selected.Table is null
                ? session.Grants.HasOnDatabase("SELECT", selected.Database)
                : session.Grants.HasOnTable("SELECT", selected.Database, selected.Table);
            if (!ok)
            {
                missing.Add(selected.Table is null ? $"SELECT ON {selected}.*" : $"SELECT ON {selected}");
            }
        }

        return Task.FromResult(missing.Count == 0
            ? Passed(context, $"{session.Account} has REPLICATION SLAVE, REPLICATION CLIENT and SELECT on the selected objects.")
            : Failed(context, $"{session.Account} lacks {List(missing)} on the source.",
                string.Join(" ", missing.Select(m => $"GRANT {m} TO {session.Account};"))));
    }
}
