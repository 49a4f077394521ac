using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Precheck;
using DtsPowerShell.Engine.Precheck.Checks;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.Precheck;

// MariaDB refuses server_id 0 (it raises it to 1), so a real server cannot be set up to fail this item;
// MySQL 5.x accepts 0. The check's logic is tested here on the variables alone.
public sealed class SourceServerIdCheckTests : IDisposable
{
    private readonly TempDirectory temp = new();

    [Theory]
    [InlineData("0", PrecheckStatus.Failed)]
    [InlineData("1", PrecheckStatus.Passed)]
    [InlineData("4294967295", PrecheckStatus.Passed)]
    public async Task Fails_only_server_id_zero(string serverId, PrecheckStatus expected)
    {
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition());
        var context = new PrecheckContext(job)
        {
            Source = ServerSession.Offline(store.Jobs.GetConnections(job).Source, "5.7.44-log", new Dictionary<string, string> { ["server_id"] = serverId }),
        };

        var result = await new SourceServerIdCheck().RunAsync(context, CancellationToken.None);

        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == PrecheckStatus.Failed, result.Remedy?.Contains("server_id", StringComparison.Ordinal) == true);
    }

    public void Dispose() => temp.Dispose();
}
