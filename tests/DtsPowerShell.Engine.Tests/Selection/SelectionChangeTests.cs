using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Selection;

public sealed class SelectionChangeTests
{
    private static List<SelectedObject> Objects(params string[] texts) => texts.Select(SelectedObject.Parse).ToList();

    [Fact]
    public void TellsKeptAddedAndRemovedObjectsAndWhichTablesComeWithTheChange()
    {
        var change = SelectionChange.Between(Objects("shop.orders", "crm", "logs.old"), ObjectSelection.Parse(["crm", "shop.orders", "shop.invoices", "hr"]));
        Assert.Equal(Objects("crm", "shop.orders"), change.Kept);
        Assert.Equal(Objects("shop.invoices", "hr"), change.Added);
        Assert.Equal(Objects("logs.old"), change.Removed);
        Assert.False(change.IsNone);
        Assert.True(change.Keeps("crm", "anything"));
        Assert.True(change.Keeps("shop", "orders"));
        Assert.False(change.Keeps("logs", "old"));
        Assert.True(change.Brings("shop", "invoices"));
        Assert.True(change.Brings("hr", "people"));
        Assert.False(change.Brings("shop", "orders"));
        Assert.False(change.Brings("logs", "old"));
    }

    [Fact]
    public void ADatabaseNarrowedToATableIsRemovedAndTheTableAdded()
    {
        var change = SelectionChange.Between(Objects("shop"), ObjectSelection.Parse(["shop.orders"]));
        Assert.Empty(change.Kept);
        Assert.Equal(Objects("shop.orders"), change.Added);
        Assert.Equal(Objects("shop"), change.Removed);
        Assert.True(change.Brings("shop", "orders"));
        Assert.False(change.Keeps("shop", "orders"));
    }

    [Fact]
    public void TheSameObjectsInAnotherOrderAreNoChange() =>
        Assert.True(SelectionChange.Between(Objects("a", "b.t"), ObjectSelection.Parse(["b.t", "a"])).IsNone);
}
