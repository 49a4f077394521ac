using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceBinlogFormatCheck : PrecheckItem
{
    public override string Name => "SourceBinlogFormat";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var format = context.SourceSession.Variable("binlog_format");
        return Task.FromResult(format.Equals("ROW", StringComparison.OrdinalIgnoreCase)
            ? Passed(context, "binlog_format is ROW.")
            : Failed(context, $"binlog_format is {format}; only ROW records every changed row.",
                "Run SET GLOBAL binlog_format = 'ROW' on the source, put 'binlog_format=ROW' in its my.cnf, and reconnect the applications (sessions keep the format they started with)."));
    }
}
