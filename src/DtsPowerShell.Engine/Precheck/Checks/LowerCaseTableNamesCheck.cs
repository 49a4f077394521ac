using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class LowerCaseTableNamesCheck : PrecheckItem
{
    public override string Name => "LowerCaseTableNames";

    public override PrecheckSides Needs => PrecheckSides.Both;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var source = context.SourceSession.Variable("lower_case_table_names");
        var target = context.TargetSession.Variable("lower_case_table_names");
        return Task.FromResult(source == target
            ? Passed(context, $"lower_case_table_names is {source} on both sides.")
            : Failed(context, $"lower_case_table_names is {source} on the source but {target} on the target; table names that differ only in case would collide or not be found.",
                "Run the target with the source's lower_case_table_names (a startup option: set it in my.cnf; MySQL 8 needs it when the data directory is initialised)."));
    }
}
