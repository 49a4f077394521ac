using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.State;

namespace DtsPowerShell.Engine.Tests.Jobs;

public sealed class ReverseJobTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly StateStore store;

    public ReverseJobTests() => store = StateStore.Open(folder.File("state.db"));

    [Fact]
    public void TheReverseJobReadsTheTargetWritesTheSourceSelectsTheTargetNamesAndCopiesNothing()
    {
        var forward = Create(["shop", "crm.people"], new Dictionary<string, string> { ["shop"] = "shop2", ["shop.orders"] = "orders2", ["shop.orders.qty"] = "quantity", ["shop.orders.note"] = "`remark 2`", ["crm.people"] = "contacts" });
        var (source, target) = store.Jobs.GetConnections(forward);

        var reverse = ReverseJob.Of(forward, source, target, "back");

        Assert.Equal("back", reverse.Name);
        Assert.Equal(target, reverse.Source);
        Assert.Equal(source, reverse.Target);
        Assert.Equal(InitialSync.None, reverse.InitialSync);
        Assert.Equal(["shop2", "crm.contacts"], reverse.Selection.Objects.Select(o => o.ToString()));
        Assert.Equal("shop", reverse.Mapping.TargetDatabase("shop2"));
        Assert.Equal(("shop", "orders"), reverse.Mapping.TargetTable("shop2", "orders2"));
        Assert.Equal("qty", reverse.Mapping.TargetColumn("shop2", "orders2", "quantity"));
        Assert.Equal("note", reverse.Mapping.TargetColumn("shop2", "orders2", "remark 2"));
        Assert.Equal(("crm", "people"), reverse.Mapping.TargetTable("crm", "contacts"));
        Assert.Equal(("shop", "customers"), reverse.Mapping.TargetTable("shop2", "customers"));
    }

    [Fact]
    public void AManyToOneJobOrATableMovedOutOfAWholeDatabaseHasNoReverse()
    {
        var manyToOne = Create(["a.t", "b.t"], new Dictionary<string, string> { ["a.t"] = "hub.t", ["b.t"] = "hub.t" });
        var (source, target) = store.Jobs.GetConnections(manyToOne);
        Assert.Contains("many-to-one", Assert.Throws<DtsInputException>(() => ReverseJob.Of(manyToOne, source, target, null)).Remedy, StringComparison.Ordinal);

        var moved = Create(["shop"], new Dictionary<string, string> { ["shop.orders"] = "archive.orders" });
        Assert.Contains("another database", Assert.Throws<DtsInputException>(() => ReverseJob.Of(moved, source, target, null)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Dispose();

    private SyncJob Create(string[] objects, Dictionary<string, string> mapping) =>
        store.Jobs.Create(JobFactory.Definition(objects: objects, mapping: mapping));
}
