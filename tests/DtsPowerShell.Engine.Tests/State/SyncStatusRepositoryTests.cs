using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.State;

public sealed class SyncStatusRepositoryTests
{
    [Fact]
    public void KeepsTheLatestStatementsOfEachJobNewestFirst()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition());
        var other = store.Jobs.Create(JobFactory.Definition() with { Name = "other" });
        var time = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
        store.Status.AddStatements(job.Id, Enumerable.Range(1, SyncStatusRepository.StatementsKept + 5).Select(i =>
            new SyncStatement($"bin.000001:{i}", time.AddSeconds(i), i % 2 == 0 ? "Applied" : "Skipped", $"ALTER TABLE t{i} ADD c INT", i % 2 == 0 ? $"ALTER TABLE `d`.`t{i}` ADD c INT" : null, null)));
        store.Status.AddStatements(other.Id, [new SyncStatement("bin.000002:4", time, "Warned", "RENAME TABLE a TO b", "RENAME TABLE `d`.`a` TO `d`.`b`", "renamed out")]);

        var recent = store.Status.Get(job)!.RecentStatements;
        Assert.Equal(SyncStatusRepository.StatementsKept, recent.Count);
        Assert.Equal(new SyncStatement("bin.000001:55", time.AddSeconds(55), "Skipped", "ALTER TABLE t55 ADD c INT", null, null), recent[0]);
        Assert.Equal("ALTER TABLE `d`.`t54` ADD c INT", recent[1].TargetStatement);
        Assert.Equal("bin.000001:6", recent[^1].Position);
        Assert.Equal("renamed out", Assert.Single(store.Status.Get(other)!.RecentStatements).Note);
    }

    [Fact]
    public void HistoryAveragesEachMinutesReportsKeepsTheHighestLatencyAndForgetsMinutesPastTheKeptSpan()
    {
        using var temp = new TempDirectory();
        var store = StateStore.Open(temp.File("state.db"));
        var job = store.Jobs.Create(JobFactory.Definition());
        var other = store.Jobs.Create(JobFactory.Definition() with { Name = "other" });
        var start = new DateTime(2026, 11, 30, 10, 0, 0, DateTimeKind.Utc);
        store.Status.SetState(job.Id, SyncJobState.Synchronizing);
        static SyncReport At(double? latencyMs, double eventsPerSecond) => new(
            SyncJobState.Synchronizing, 100, 0, 0, "bin.000001:4", null, latencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, eventsPerSecond, null);

        store.Status.Report(job.Id, At(null, 0), start.AddSeconds(1));
        store.Status.Report(job.Id, At(10, 100), start.AddSeconds(2));
        store.Status.Report(job.Id, At(30, 200), start.AddSeconds(59.9));
        store.Status.Report(job.Id, At(5, 50), start.AddMinutes(1));
        store.Status.Report(other.Id, At(1000, 1), start.AddSeconds(3));

        var history = store.Status.GetHistory(job, start.AddHours(-1));
        Assert.Equal(2, history.Count);
        Assert.Equal(new SyncHistoryPoint(job.Id, job.Name, start, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30), 100, 3), history[0]);
        Assert.Equal(new SyncHistoryPoint(job.Id, job.Name, start.AddMinutes(1), TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5), 50, 1), history[1]);
        Assert.Equal(DateTimeKind.Utc, history[0].Minute.Kind);
        Assert.Equal(start.AddMinutes(1), Assert.Single(store.Status.GetHistory(job, start.AddSeconds(70))).Minute);

        // A report a day and a minute later drops what is older than the kept span.
        store.Status.Report(job.Id, At(7, 1), start.Add(SyncHistoryPoint.Kept).AddMinutes(1));
        Assert.Equal([start.AddMinutes(1), start.Add(SyncHistoryPoint.Kept).AddMinutes(1)], store.Status.GetHistory(job, start.AddHours(-1)).Select(p => p.Minute));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), Assert.Single(store.Status.GetHistory(other, start)).Latency);

        store.Jobs.Remove(job.Id);
        Assert.Empty(store.Status.GetHistory(job, start.AddHours(-1)));
    }
}
