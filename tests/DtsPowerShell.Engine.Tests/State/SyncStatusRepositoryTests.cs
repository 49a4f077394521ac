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
}
