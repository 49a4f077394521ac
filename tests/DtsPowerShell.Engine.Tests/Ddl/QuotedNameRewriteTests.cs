using DtsPowerShell.Engine.Ddl;

namespace DtsPowerShell.Engine.Tests.Ddl;

public sealed class QuotedNameRewriteTests
{
    [Fact]
    public void RenamesQuotedIdentifiersButNotStringsOrComments()
    {
        var sql = "(`a` int COMMENT 'the `a` column', KEY `k` (`a`)) /* `a` */ SELECT `shop`.`t`.`a` FROM `shop`.`t`";
        var result = DdlRewriter.RenameQuotedNames(sql, (db, t) => db == "shop" ? ("copy", t + "2") : null, name => name == "a" ? "b" : null);
        Assert.Equal("(`b` int COMMENT 'the `a` column', KEY `k` (`b`)) /* `a` */ SELECT `copy`.`t2`.`b` FROM `copy`.`t2`", result);
    }

    [Fact]
    public void RenamesColumnsInAVersionedCommentAsTheServerReadsIt()
    {
        // SHOW CREATE TABLE prints partitioning in an executable comment: the server reads it as code, so its columns are renamed.
        var sql = "(`a` int) /*!50100 PARTITION BY HASH (`a`) */ -- `a` stays here\n";
        Assert.Equal("(`b` int) /*!50100 PARTITION BY HASH (`b`) */ -- `a` stays here\n", DdlRewriter.RenameQuotedNames(sql, (_, _) => null, name => name == "a" ? "b" : null));
        Assert.Equal("`shop` . `t`", DdlRewriter.RenameQuotedNames("`shop` . `t`", (db, t) => ("x", "y"), _ => null));
    }

    [Fact]
    public void KeepsDoubledBackQuotes() =>
        Assert.Equal("`x``y`", DdlRewriter.RenameQuotedNames("`a``b`", (_, _) => null, name => name == "a`b" ? "x`y" : null));
}
