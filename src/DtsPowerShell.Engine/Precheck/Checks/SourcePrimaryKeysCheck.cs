using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourcePrimaryKeysCheck : PrecheckItem
{
    public override string Name => "SourcePrimaryKeys";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var keyless = context.Tables.Where(t => !t.HasKey).Select(t => t.Display).ToList();
        return Task.FromResult(keyless.Count == 0
            ? Passed(context, "Every selected table has a primary or unique key.")
            : Warning(context, $"{keyless.Count} table(s) have no primary or unique key: {List(keyless)}. Their updates and deletes are applied by matching whole rows, one row at a time, which is slow on large tables.",
                "Add a primary key to each of them (ALTER TABLE ... ADD PRIMARY KEY (...))."));
    }
}
