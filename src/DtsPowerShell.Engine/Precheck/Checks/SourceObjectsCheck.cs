namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceObjectsCheck : PrecheckItem
{
    public override string Name => "SourceObjects";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var missing = context.Job.Selection.Objects
            .Where(o => o.Table is null
                ? !context.ExistingDatabases.Contains(o.Database)
                : !context.Tables.Any(t => t.Database == o.Database && t.Name == o.Table))
            .Select(o => o.ToString())
            .ToList();
        return Task.FromResult(missing.Count == 0
            ? Passed(context, $"All {context.Job.Selection.Objects.Count} selected objects exist ({context.Tables.Count} tables).")
            : Failed(context, $"Not found on the source (or not visible to {context.SourceSession.Account}): {List(missing)}.",
                "Correct the names with a new job (names are case-sensitive), create the objects, or grant SELECT on them."));
    }
}
