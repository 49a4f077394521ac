using DtsPowerShell.Engine.Snapshot;

namespace DtsPowerShell.Engine.Tests.Snapshot;

public sealed class IdentifierRewriterTests
{
    [Fact]
    public void RenamesQuotedIdentifiersButNotStringsOrComments()
    {
        var sql = "(`a` int COMMENT 'the `a` column', KEY `k` (`a`)) /* `a` */ SELECT `shop`.`t`.`a` FROM `shop`.`t`";
        var result = IdentifierRewriter.Rewrite(sql, (db, t) => db == "shop" ? ("copy", t + "2") : null, name => name == "a" ? "b" : null);
        Assert.Equal("(`b` int COMMENT 'the `a` column', KEY `k` (`b`)) /* `a` */ SELECT `copy`.`t2`.`b` FROM `copy`.`t2`", result);
    }

    [Fact]
    public void KeepsDoubledBackQuotes() =>
        Assert.Equal("`x``y`", IdentifierRewriter.Rewrite("`a``b`", (_, _) => null, name => name == "a`b" ? "x`y" : null));
}
