using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Selection;

public class ObjectSelectionTests
{
    [Fact]
    public void Drops_tables_of_wholly_selected_databases_and_duplicates()
    {
        var selection = ObjectSelection.Parse(["shop.orders", "shop", "crm.customers", "crm.customers"]);
        Assert.Equal(["shop", "crm.customers"], selection.Objects.Select(o => o.ToString()));
    }

    [Fact]
    public void Knows_which_tables_are_selected()
    {
        var selection = ObjectSelection.Parse(["shop", "crm.customers"]);
        Assert.True(selection.ContainsTable("shop", "anything"));
        Assert.True(selection.ContainsTable("crm", "customers"));
        Assert.False(selection.ContainsTable("crm", "leads"));
        Assert.False(selection.ContainsTable("Shop", "orders"));
        Assert.True(selection.IsWholeDatabase("shop"));
        Assert.False(selection.IsWholeDatabase("crm"));
    }

    [Fact]
    public void Rejects_columns_as_objects() =>
        Assert.Throws<DtsInputException>(() => ObjectSelection.Parse(["shop.orders.note"]));

    [Fact]
    public void Rejects_an_empty_selection() =>
        Assert.Throws<DtsInputException>(() => ObjectSelection.Parse([]));

    [Theory]
    [InlineData("_dts")]
    [InlineData("information_schema")]
    [InlineData("INFORMATION_SCHEMA.TABLES")]
    [InlineData("mysql.user")]
    [InlineData("performance_schema")]
    [InlineData("sys")]
    public void Refuses_the_servers_own_databases_and_ours(string text)
    {
        var error = Assert.Throws<DtsInputException>(() => ObjectSelection.Parse([text]));
        Assert.Contains("keeps for itself", error.Message, StringComparison.Ordinal);
    }
}
