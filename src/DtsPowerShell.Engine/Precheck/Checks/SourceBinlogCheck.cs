using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceBinlogCheck : PrecheckItem
{
    public override string Name => "SourceBinlog";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.SourceSession.Variable("log_bin").Equals("ON", StringComparison.OrdinalIgnoreCase)
            ? Passed(context, "The binary log is on.")
            : Failed(context, "The binary log is off on the source (log_bin = OFF); incremental sync reads it.",
                "Add 'log-bin=mysql-bin' (and 'server-id=<non-zero>') to the [mysqld] section of the source's my.cnf and restart the server."));
}
