using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class SourceHeartbeatCheck : PrecheckItem
{
    private static readonly string[] Needed = ["CREATE", "INSERT", "UPDATE"];

    public override string Name => "SourceHeartbeat";

    public override PrecheckSides Needs => PrecheckSides.Source;

    public override Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var session = context.SourceSession;
        var table = $"{QualifiedName.Quote(DtsObjects.Database)}.{QualifiedName.Quote(DtsObjects.HeartbeatTable)}";
        var missing = Needed.Where(p => !session.Grants.HasOnDatabase(p, DtsObjects.Database)).ToList();
        return Task.FromResult(missing.Count == 0
            ? Passed(context, $"{session.Account} can create and write the heartbeat table {table}.")
            : Warning(context, $"{session.Account} cannot {string.Join("/", missing)} in {QualifiedName.Quote(DtsObjects.Database)}, so no heartbeat table {table} can be kept; latency will then be read from event times, which stand still while the source is idle.",
                $"GRANT CREATE, INSERT, UPDATE ON {QualifiedName.Quote(DtsObjects.Database)}.* TO {session.Account};"));
    }
}
