using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Engine.Precheck.Checks;

internal sealed class ConnectionLimitsCheck : PrecheckItem
{
    public override string Name => "TargetConnectionLimits";

    public override PrecheckSides Needs => PrecheckSides.Target;

    public override async Task<PrecheckResult> RunAsync(PrecheckContext context, CancellationToken cancellationToken)
    {
        var session = context.TargetSession;
        var max = session.NumericVariable("max_connections");
        var connected = Convert.ToInt64(
            (await session.QueryAsync("SHOW GLOBAL STATUS LIKE 'Threads_connected'", cancellationToken).ConfigureAwait(false)).Single()[1],
            System.Globalization.CultureInfo.InvariantCulture);
        var perUser = Convert.ToInt64(await session.ScalarAsync("SELECT @@max_user_connections", cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        var needed = DtsObjects.ConnectionsPerSide;
        if (max - connected < needed)
        {
            return Failed(context, $"The target allows {max} connections and {connected} are in use; the job needs {needed} more.",
                $"Raise max_connections on the target (SET GLOBAL max_connections = {connected + needed + 10}) or close idle connections.");
        }

        return perUser is > 0 && perUser < needed
            ? Failed(context, $"{session.Account} may open only {perUser} connections on the target; the job needs {needed}.",
                $"ALTER USER {session.Account} WITH MAX_USER_CONNECTIONS {needed * 2}; (or raise the global max_user_connections).")
            : Passed(context, $"The target has room for the job's {needed} connections ({connected} of {max} in use).");
    }
}
