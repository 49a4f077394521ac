using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Selection;

public class QualifiedNameTests
{
    [Theory]
    [InlineData("shop", new[] { "shop" })]
    [InlineData("shop.orders", new[] { "shop", "orders" })]
    [InlineData("`my.db`.`t`", new[] { "my.db", "t" })]
    [InlineData("`a``b`.c", new[] { "a`b", "c" })]
    [InlineData("shop.orders.note", new[] { "shop", "orders", "note" })]
    [InlineData("`x y`", new[] { "x y" })]
    public void Parses_plain_and_back_quoted_parts(string text, string[] parts) =>
        Assert.Equal(parts, QualifiedName.Parse(text, "Object").Parts);

    [Theory]
    [InlineData("")]
    [InlineData("shop.")]
    [InlineData(".orders")]
    [InlineData("`open")]
    [InlineData("`a`b")]
    [InlineData("sh`op")]
    [InlineData("``.t")]
    [InlineData("`shop `")]
    [InlineData("shop.`orders `")]
    [InlineData("`a\0b`")]
    public void Rejects_malformed_names_with_a_remedy(string text)
    {
        var error = Assert.Throws<DtsInputException>(() => QualifiedName.Parse(text, "Object"));
        Assert.Contains("not a valid name", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Remedy));
    }

    [Fact]
    public void Rejects_parts_longer_than_64_characters() =>
        Assert.Throws<DtsInputException>(() => QualifiedName.Parse(new string('a', 65), "Object"));

    [Theory]
    [InlineData("shop.orders", "shop.orders")]
    [InlineData("`my.db`.`t`", "`my.db`.t")]
    [InlineData("`a``b`", "`a``b`")]
    [InlineData("`123`", "`123`")]
    public void Prints_back_quotes_only_where_needed(string text, string expected) =>
        Assert.Equal(expected, QualifiedName.Parse(text, "Object").ToString());
}
