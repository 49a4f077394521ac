using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceVersionCheck : PrecheckItem
{
    public override string Name => "SourceVersion";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var version = context.SourceSession.Version;
        return Task.FromResult(version.IsSupported
            ? Passed(context, $"The source runs {version} ('{version.Text}'), which is supported.")
            : Failed(context, $"The source runs '{version.Text}', which is not supported.",
                "Use a source running MySQL 5.1 to 8.4 or MariaDB 10.x to 11.x."));
    }
}
