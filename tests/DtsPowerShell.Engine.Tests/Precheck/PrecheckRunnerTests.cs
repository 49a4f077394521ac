using System.Net;
using System.Net.Sockets;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Precheck;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.Precheck;

[Collection(MariaDbCollection.Name)]
public sealed class PrecheckRunnerTests(MariaDbPair servers) : IDisposable
{
    private readonly TempDirectory temp = new();

    [Fact]
    public async Task A_well_configured_pair_passes_every_check()
    {
        servers.Source.Sql("CREATE DATABASE IF NOT EXISTS runner_ok; CREATE TABLE IF NOT EXISTS runner_ok.orders (id INT PRIMARY KEY, note VARCHAR(20)) ENGINE=InnoDB;");
        servers.Source.CreateUser("runner_src", "Src-pw-1", "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO {user}", "GRANT SELECT, TRIGGER ON runner_ok.* TO {user}", "GRANT CREATE, INSERT, UPDATE ON `_dts`.* TO {user}");
        servers.Target.CreateUser("runner_tgt", "Tgt-pw-1", "GRANT ALL PRIVILEGES ON runner_ok.* TO {user}", "GRANT ALL PRIVILEGES ON `_dts`.* TO {user}");
        var (job, source, target) = Job(JobFactory.Definition(
            source: servers.Source.Address, sourceUser: "runner_src", sourcePassword: "Src-pw-1",
            target: servers.Target.Address, targetUser: "runner_tgt", targetPassword: "Tgt-pw-1", objects: ["runner_ok"]));

        var results = await new PrecheckRunner(TimeSpan.FromSeconds(10)).RunAsync(job, source, target, CancellationToken.None);

        Assert.Equal(PrecheckRunner.CheckNames, results.Select(r => r.Check));
        Assert.All(results, r => Assert.True(r.Status == PrecheckStatus.Passed, $"{r.Check}: {r.Status} {r.Message}"));
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_fails_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        servers.Target.CreateUser("runner_any", "Any-pw-1");
        var (job, source, target) = Job(JobFactory.Definition(source: $"127.0.0.1:{port}", target: servers.Target.Address, targetUser: "runner_any", targetPassword: "Any-pw-1"));

        var started = DateTime.UtcNow;
        var results = await new PrecheckRunner(TimeSpan.FromSeconds(2)).RunAsync(job, source, target, CancellationToken.None);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "the precheck hung");
        var connection = results.Single(r => r.Check == PrecheckRunner.SourceConnectionCheck);
        Assert.Equal(PrecheckStatus.Failed, connection.Status);
        Assert.Contains("No answer", connection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(results, r => r.Check.StartsWith("SourceBinlog", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Check == PrecheckRunner.TargetConnectionCheck && r.Status == PrecheckStatus.Passed);
    }

    public void Dispose() => temp.Dispose();

    private (SyncJob Job, ConnectionSettings Source, ConnectionSettings Target) Job(SyncJobDefinition definition)
    {
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(definition);
        var (source, target) = store.Jobs.GetConnections(job);
        return (job, source, target);
    }
}
