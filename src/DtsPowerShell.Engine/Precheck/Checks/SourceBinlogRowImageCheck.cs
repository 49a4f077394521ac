using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceBinlogRowImageCheck : PrecheckItem
{
    public override string Name => "SourceBinlogRowImage";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        // MySQL before 5.6 has no such variable: it always logs full images.
        var image = context.SourceSession.Variable("binlog_row_image");
        return Task.FromResult(image.Length == 0 || image.Equals("FULL", StringComparison.OrdinalIgnoreCase)
            ? Passed(context, image.Length == 0 ? "The server always logs full row images." : "binlog_row_image is FULL.")
            : Failed(context, $"binlog_row_image is {image}; the sync needs every column of each changed row.",
                "Run SET GLOBAL binlog_row_image = 'FULL' on the source and put 'binlog_row_image=FULL' in its my.cnf; reconnect the applications."));
    }
}
