using DtsPowerShell.Engine.Jobs;
namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceServerIdCheck : PrecheckItem
{
    public override string Name => "SourceServerId";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var id = context.SourceSession.NumericVariable("server_id");
        return Task.FromResult(id != 0
            ? Passed(context, $"server_id is {id}.")
            : Failed(context, "server_id is 0; a server with id 0 refuses replicas.",
                "Set a non-zero server_id unique among your servers: SET GLOBAL server_id = <n>, and 'server-id=<n>' in the source's my.cnf."));
    }
}
