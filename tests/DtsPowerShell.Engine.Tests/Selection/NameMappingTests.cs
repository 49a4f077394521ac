using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Selection;

public class NameMappingTests
{
    private static readonly ObjectSelection Selection = ObjectSelection.Parse(["shop", "crm.customers"]);

    private static NameMapping Map(params (string Key, string Value)[] entries) =>
        NameMapping.Create(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)), Selection);

    [Fact]
    public void Maps_databases_tables_and_columns()
    {
        var mapping = Map(("shop", "shop_copy"), ("shop.orders", "shop_copy.orders2"), ("shop.orders.note", "remark"), ("shop.items", "goods"), ("crm.customers", "clients"));
        Assert.Equal("shop_copy", mapping.TargetDatabase("shop"));
        Assert.Equal(("shop_copy", "orders2"), mapping.TargetTable("shop", "orders"));
        Assert.Equal(("shop_copy", "goods"), mapping.TargetTable("shop", "items"));
        Assert.Equal(("shop_copy", "untouched"), mapping.TargetTable("shop", "untouched"));
        Assert.Equal(("crm", "clients"), mapping.TargetTable("crm", "customers"));
        Assert.Equal("remark", mapping.TargetColumn("shop", "orders", "note"));
        Assert.Equal("id", mapping.TargetColumn("shop", "orders", "id"));
    }

    [Theory]
    [InlineData("other", "x")]
    [InlineData("crm.leads", "x")]
    [InlineData("other.t.c", "x")]
    [InlineData("nothing", "x")]
    public void Rejects_keys_that_name_nothing_selected(string key, string value)
    {
        var error = Assert.Throws<DtsInputException>(() => Map((key, value)));
        Assert.Contains("not selected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shop", "a.b")]
    [InlineData("shop.orders", "a.b.c")]
    [InlineData("shop.orders.note", "a.b")]
    [InlineData("shop.orders.note.x", "a")]
    [InlineData("shop", "")]
    public void Rejects_values_of_the_wrong_shape(string key, string value) =>
        Assert.Throws<DtsInputException>(() => Map((key, value)));

    [Fact]
    public void Rejects_a_key_given_twice_in_two_spellings() =>
        Assert.Throws<DtsInputException>(() => Map(("shop.orders", "a"), ("`shop`.`orders`", "b")));
}
