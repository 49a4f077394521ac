using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests;

internal static class JobFactory
{
    public static SyncJobDefinition Definition(
        string sourcePassword = "source-secret-0001",
        string targetPassword = "target-secret-0002",
        string[]? objects = null,
        string source = "127.0.0.1:3306",
        string target = "127.0.0.1:3307",
        string sourceUser = "root",
        string targetUser = "root",
        InitialSync initialSync = InitialSync.Schema | InitialSync.Data,
        IDictionary<string, string>? mapping = null)
    {
        var selection = ObjectSelection.Parse(objects ?? ["shop"]);
        return new SyncJobDefinition(
            null,
            new ConnectionSettings(ServerEndpoint.Parse(source, "Source"), sourceUser, sourcePassword, DtsSslMode.Preferred),
            new ConnectionSettings(ServerEndpoint.Parse(target, "Target"), targetUser, targetPassword, DtsSslMode.Preferred),
            selection,
            NameMapping.Create(mapping ?? new Dictionary<string, string>(), selection),
            initialSync);
    }
}
