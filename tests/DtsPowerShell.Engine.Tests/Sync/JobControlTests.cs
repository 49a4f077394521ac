using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;
using DtsPowerShell.Engine.Sync;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>Starting a job's worker, as two commands in two sessions may do at the same moment.</summary>
public sealed class JobControlTests(SyncServers servers) : IClassFixture<SyncServers>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task OfTwoStartsAtOnceOneStartsTheWorkerAndBothShowIt()
    {
        servers.Source.Sql("CREATE DATABASE twostarts; CREATE TABLE twostarts.t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO twostarts.t VALUES (1);");
        var job = servers.CreateJob(["twostarts"]);
        // Two state store objects on one file, as two PowerShell sessions have; the barrier lines their starts up.
        using var ready = new Barrier(2);
        var starts = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var store = StateStore.Open(servers.Store.Path);
            ready.SignalAndWait(Deadline);
            return JobControl.StartWorker(store, job);
        })).ToArray();
        var results = await Task.WhenAll(starts);

        Assert.Single(results, r => r.Started);
        Assert.Equal(results[0].ProcessId, results[1].ProcessId);
        Assert.Equal(results[0].ProcessId, servers.Store.Status.GetWorker(job.Id)!.Value.ProcessId);
        SyncServers.WaitFor(() => JobControl.GetStatus(servers.Store, job)!.State == SyncJobState.Synchronizing, Deadline, "the job to synchronize");
        Assert.Equal(results[0].ProcessId, JobControl.GetStatus(servers.Store, job)!.WorkerProcessId);
        servers.Source.Sql("INSERT INTO twostarts.t VALUES (2);");
        servers.WaitUntilEqual(Deadline, ("twostarts.t", "twostarts.t"));
        Assert.True(JobControl.Stop(servers.Store, job, Deadline, CancellationToken.None));
    }
}
