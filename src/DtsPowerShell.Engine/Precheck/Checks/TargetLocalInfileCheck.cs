using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class TargetLocalInfileCheck : PrecheckItem
{
    public override string Name => "TargetLocalInfile";

    public override PrecheckSides Needs => PrecheckSides.Target;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.TargetSession.Variable("local_infile").Equals("ON", StringComparison.OrdinalIgnoreCase)
            ? Passed(context, "local_infile is ON; the full load can stream rows with LOAD DATA LOCAL INFILE.")
            : Warning(context, "local_infile is OFF on the target; the full load falls back to multi-row INSERTs, which are slower.",
                "Run SET GLOBAL local_infile = ON on the target (and 'local_infile=ON' in its my.cnf) for a faster full load."));
}
