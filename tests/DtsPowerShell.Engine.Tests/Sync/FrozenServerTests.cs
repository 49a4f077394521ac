using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>A server that hangs without closing its links (SIGSTOP) is named within 30 s, latency grows, and the job goes on by itself after.</summary>
public sealed class FrozenServerTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("target")]
    [InlineData("source")]
    public async Task AFrozenServerIsNamedAndLatencyGrowsThenTheJobGoesOnByItself(string side)
    {
        var db = "frozen_" + side;
        servers.Source.Sql($"CREATE DATABASE {db}; CREATE TABLE {db}.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO {db}.t VALUES (1, 1);");
        var job = servers.CreateJob([db]);
        var worker = new SyncWorker(job, servers.SourceSettings, servers.TargetSettings, new SyncWorkerOptions { MaxRetryDelay = TimeSpan.FromSeconds(2) }, NullLogger.Instance);
        var run = worker.RunAsync(CancellationToken.None);
        SyncServers.WaitFor(() => worker.State == SyncJobState.Synchronizing || run.IsCompleted, Deadline, "the job to synchronize");
        SyncServers.WaitFor(() => worker.Progress.Latency is not null, Deadline, "a latency from the heartbeat");

        var frozen = side == "target" ? servers.Target : servers.Source;
        SyncServers.Signal(frozen, "STOP");
        try
        {
            if (side == "target")
            {
                // Writes go on at the source while the target hangs.
                servers.Source.Sql($"INSERT INTO {db}.t SELECT seq, seq FROM {db}.seq_2_to_500;");
            }

            SyncServers.WaitFor(() => worker.Unanswered?.Contains($"The {side} (", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(30), $"the status to name the {side} as not answering (it says: {worker.Unanswered ?? worker.LastError})");
            SyncServers.WaitFor(() => worker.Progress.CurrentLatency > TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), $"the latency to grow (it is {worker.Progress.CurrentLatency})");
        }
        finally
        {
            SyncServers.Signal(frozen, "CONT");
        }

        servers.Source.Sql($"UPDATE {db}.t SET v = 0 WHERE id <= 10;");
        servers.WaitUntilEqual(Deadline, () => $"The worker is {worker.State}: {worker.Unanswered ?? worker.LastError}", ($"{db}.t", $"{db}.t"));
        SyncServers.WaitFor(() => worker.Unanswered is null, Deadline, "the status to clear");
        SyncServers.WaitFor(() => worker.Progress.CurrentLatency < TimeSpan.FromSeconds(5), Deadline, $"the latency to come back down (it is {worker.Progress.CurrentLatency})");
        Assert.Equal(SyncJobState.Synchronizing, worker.State);
        await SyncServers.StopAsync(worker, run);
    }
}
