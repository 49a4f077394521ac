using DtsPowerShell.Engine.Precheck.Checks;

namespace DtsPowerShell.Engine.Tests.Precheck;

public class SourceTriggersCheckTests
{
    [Theory]
    [InlineData("BEGIN INSERT INTO audit (id) VALUES (NEW.id); END", "shop.audit")]
    [InlineData("INSERT audit SET id = NEW.id", "shop.audit")]
    [InlineData("REPLACE INTO `other db`.`log` VALUES (1)", "other db.log")]
    [InlineData("UPDATE stock SET n = n - 1 WHERE id = NEW.item", "shop.stock")]
    [InlineData("DELETE FROM crm.cache WHERE id = OLD.id", "crm.cache")]
    [InlineData("UPDATE LOW_PRIORITY IGNORE shop . counters SET n = n + 1", "shop.counters")]
    public void Finds_the_tables_a_trigger_body_writes(string body, string expected)
    {
        var written = SourceTriggersCheck.WrittenTables(body, "shop").Select(t => $"{t.Database}.{t.Table}");
        Assert.Contains(expected, written);
    }

    [Fact]
    public void Ignores_reads() =>
        Assert.Empty(SourceTriggersCheck.WrittenTables("SET @n = (SELECT COUNT(*) FROM orders)", "shop"));
}
