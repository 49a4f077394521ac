using DtsPowerShell.Engine.Ddl;

namespace DtsPowerShell.Engine.Tests.Ddl;

public sealed class SqlLexerTests
{
    private static string[] Values(string sql, bool ansiQuotes = false, int version = 999999) =>
        SqlLexer.Tokenize(sql, ansiQuotes, version).Select(t => $"{t.Kind}:{t.Value}").ToArray();

    [Fact]
    public void SkipsCommentsButReadsExecutableOnesAsCode()
    {
        Assert.Equal(["Word:DROP", "Word:TABLE", "Word:t"], Values("DROP /* a `comment` */ TABLE -- tail\n#hash\n t"));
        Assert.Equal(["Word:CREATE", "Word:TABLE", "Word:t", "Word:ENGINE", "Symbol:=", "Word:InnoDB"], Values("CREATE TABLE t /*!50100 ENGINE=InnoDB */"));
        Assert.Equal(["Word:CREATE", "Word:TABLE", "Word:t"], Values("CREATE TABLE t /*!90000 ENGINE=InnoDB */", version: 50744));
        Assert.Equal(["Word:ALTER", "Word:TABLE", "Word:t", "Word:ADD", "Word:c", "Word:INT"], Values("ALTER TABLE t /*M!100301 ADD c INT */"));
        Assert.Equal(["Word:a", "Symbol:-", "Symbol:-", "Number:1"], Values("a --1"));
    }

    [Fact]
    public void ReadsQuotedNamesAndStringsWithTheirEscapes()
    {
        Assert.Equal(["QuotedIdentifier:we`ird.name -- x", "Symbol:.", "QuotedIdentifier:/* t */"], Values("`we``ird.name -- x`.`/* t */`"));
        Assert.Equal(["String:'it''s \\' -- not a comment'"], Values("'it''s \\' -- not a comment'"));
        Assert.Equal(["String:\"double\""], Values("\"double\""));
        Assert.Equal(["QuotedIdentifier:double"], Values("\"double\"", ansiQuotes: true));
        Assert.Equal(["Word:naïve_表", "Variable:@`x y`", "Variable:@@session.sql_mode"], Values("naïve_表 @`x y` @@session.sql_mode"));
        Assert.Equal(["Word:1abc", "Number:123", "Number:1e5"], Values("1abc 123 1e5"));
    }

    [Fact]
    public void RefusesAnUnclosedQuote() => Assert.Throws<FormatException>(() => SqlLexer.Tokenize("SELECT 'open"));
}
