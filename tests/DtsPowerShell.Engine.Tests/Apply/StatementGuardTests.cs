using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Apply;

public sealed class StatementGuardTests
{
    private static readonly ObjectSelection Selection = ObjectSelection.Parse(["shop", "crm.customers"]);

    [Theory]
    [InlineData("shop", "ALTER TABLE t ADD COLUMN c INT", true)]
    [InlineData("other", "ALTER TABLE shop.t ADD COLUMN c INT", true)]
    [InlineData("other", "/* hint */ DROP TABLE `crm`.`customers`", true)]
    [InlineData("shop", "CREATE TABLE other.t (id INT)", false)]
    [InlineData("other", "ALTER TABLE t ADD COLUMN c INT", false)]
    [InlineData("shop", "GRANT SELECT ON shop.* TO u", false)]
    [InlineData("shop", "CREATE USER u", false)]
    [InlineData("shop", "DROP TEMPORARY TABLE IF EXISTS t", false)]
    [InlineData("", "CREATE DATABASE IF NOT EXISTS `_dts`", false)]
    [InlineData("crm", "ALTER TABLE orders ADD c INT", false)]
    [InlineData("crm", "CREATE VIEW v AS SELECT 1", false)]
    [InlineData("shop", "CREATE VIEW v AS SELECT 1", true)]
    [InlineData("other", "DROP DATABASE crm", true)]
    [InlineData("shop", "/*!40000 ALTER TABLE t DISABLE KEYS */", true)]
    [InlineData("shop", "-- ALTER TABLE t\nSELECT 1", false)]
    [InlineData("other", "RENAME TABLE x TO crm.customers", true)]
    public void StopsOnlyOnStatementsAboutSelectedObjects(string database, string query, bool stops)
    {
        var header = new BinlogEventHeader(0, BinlogEventType.Query, 1, 0, 0, 0);
        var statement = new QueryEvent(header, 1, 0, 0, database, query, null, null, null, null, null);
        Assert.Equal(stops, StatementGuard.Refusal(statement, Selection) is not null);
    }
}
