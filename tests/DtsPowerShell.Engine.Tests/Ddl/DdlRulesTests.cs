using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Ddl;

public sealed class DdlRulesTests
{
    private static readonly ObjectSelection Selection = ObjectSelection.Parse(["shop", "crm.customers", "crm.leads"]);

    [Theory]
    // A whole database: every listed statement, under the target's names (none mapped here).
    [InlineData("shop", "ALTER TABLE t ADD COLUMN c INT", DdlOutcome.Applied, "ALTER TABLE `shop`.`t` ADD COLUMN c INT")]
    [InlineData("other", "ALTER TABLE shop.t ADD COLUMN c INT", DdlOutcome.Applied, "ALTER TABLE `shop`.`t` ADD COLUMN c INT")]
    [InlineData("shop", "CREATE TABLE n (id INT)", DdlOutcome.Applied, "CREATE TABLE `shop`.`n` (id INT)")]
    [InlineData("shop", "CREATE TABLE n LIKE t", DdlOutcome.Applied, "CREATE TABLE `shop`.`n` LIKE `shop`.`t`")]
    [InlineData("shop", "CREATE TABLE n LIKE crm.other", DdlOutcome.Refused, null)]
    [InlineData("shop", "CREATE OR REPLACE VIEW v AS SELECT 1", DdlOutcome.Applied, "CREATE OR REPLACE VIEW `shop`.`v` AS SELECT 1")]
    [InlineData("shop", "DROP PROCEDURE IF EXISTS p", DdlOutcome.Applied, "DROP PROCEDURE IF EXISTS `shop`.`p`")]
    [InlineData("shop", "/*!40000 ALTER TABLE t DISABLE KEYS */", DdlOutcome.Applied, "/*!40000 ALTER TABLE `shop`.`t` DISABLE KEYS */")]
    [InlineData("shop", "ALTER EVENT e DISABLE", DdlOutcome.Skipped, null)]
    [InlineData("other", "DROP DATABASE shop", DdlOutcome.Skipped, null)]
    [InlineData("other", "CREATE DATABASE IF NOT EXISTS shop", DdlOutcome.Applied, "CREATE DATABASE IF NOT EXISTS `shop`")]
    // Tables selected: their table statements only.
    [InlineData("crm", "ALTER TABLE customers ADD c INT", DdlOutcome.Applied, "ALTER TABLE `crm`.`customers` ADD c INT")]
    [InlineData("crm", "TRUNCATE customers", DdlOutcome.Applied, "TRUNCATE `crm`.`customers`")]
    [InlineData("crm", "CREATE UNIQUE INDEX i ON customers (id)", DdlOutcome.Applied, "CREATE UNIQUE INDEX i ON `crm`.`customers` (id)")]
    [InlineData("crm", "DROP TABLE customers, orders, leads", DdlOutcome.Applied, "DROP TABLE IF EXISTS `crm`.`customers`, `crm`.`leads`")]
    [InlineData("crm", "CREATE VIEW v AS SELECT * FROM customers", DdlOutcome.Skipped, null)]
    [InlineData("crm", "CREATE TRIGGER tr BEFORE INSERT ON customers FOR EACH ROW SET NEW.id = 1", DdlOutcome.Skipped, null)]
    [InlineData("crm", "ALTER TABLE orders ADD c INT", DdlOutcome.Ignored, null)]
    [InlineData("crm", "CREATE TABLE orders2 (id INT)", DdlOutcome.Ignored, null)]
    [InlineData("crm", "CREATE TABLE orders2 LIKE customers", DdlOutcome.Ignored, null)]
    [InlineData("crm", "CREATE TABLE IF NOT EXISTS customers (id INT)", DdlOutcome.Applied, "CREATE TABLE IF NOT EXISTS `crm`.`customers` (id INT)")]
    // Renames: inside the selection, out of it (a warning), into it from outside (refused).
    [InlineData("crm", "RENAME TABLE customers TO leads_old, leads TO customers", DdlOutcome.Warned, "RENAME TABLE `crm`.`customers` TO `crm`.`leads_old`, `crm`.`leads` TO `crm`.`customers`")]
    [InlineData("shop", "RENAME TABLE a TO b", DdlOutcome.Applied, "RENAME TABLE `shop`.`a` TO `shop`.`b`")]
    [InlineData("other", "RENAME TABLE x TO crm.customers", DdlOutcome.Refused, null)]
    [InlineData("crm", "RENAME TABLE customers TO tmp, leads TO customers, tmp TO leads", DdlOutcome.Applied, "RENAME TABLE `crm`.`customers` TO `crm`.`tmp`, `crm`.`leads` TO `crm`.`customers`, `crm`.`tmp` TO `crm`.`leads`")]
    [InlineData("crm", "RENAME TABLE orders TO tmp, tmp TO customers", DdlOutcome.Refused, null)]
    [InlineData("crm", "ALTER TABLE customers ADD c INT, RENAME TO leads_old", DdlOutcome.Warned, "ALTER TABLE `crm`.`customers` ADD c INT, RENAME TO `crm`.`leads_old`")]
    [InlineData("crm", "ALTER TABLE orders RENAME AS customers", DdlOutcome.Refused, null)]
    [InlineData("crm", "ALTER TABLE customers RENAME COLUMN a TO b", DdlOutcome.Applied, "ALTER TABLE `crm`.`customers` RENAME COLUMN a TO b")]
    [InlineData("other", "RENAME TABLE x TO y", DdlOutcome.Ignored, null)]
    // Online schema change tools' shadow tables beside a selected table: followed, swapped in as on the source.
    [InlineData("crm", "CREATE TABLE `_customers_new` LIKE customers", DdlOutcome.Applied, "CREATE TABLE `crm`.`_customers_new` LIKE `crm`.`customers`")]
    [InlineData("crm", "ALTER TABLE __customers_new ADD c INT", DdlOutcome.Applied, "ALTER TABLE `crm`.`__customers_new` ADD c INT")]
    [InlineData("crm", "RENAME TABLE customers TO _customers_old, _customers_new TO customers", DdlOutcome.Applied, "RENAME TABLE `crm`.`customers` TO `crm`.`_customers_old`, `crm`.`_customers_new` TO `crm`.`customers`")]
    [InlineData("crm", "RENAME TABLE customers TO _customers_del, _customers_gho TO customers", DdlOutcome.Applied, "RENAME TABLE `crm`.`customers` TO `crm`.`_customers_del`, `crm`.`_customers_gho` TO `crm`.`customers`")]
    [InlineData("crm", "DROP TABLE IF EXISTS `_customers_20261130101112_del`", DdlOutcome.Applied, "DROP TABLE IF EXISTS `crm`.`_customers_20261130101112_del`")]
    [InlineData("crm", "CREATE TABLE _customers_ghc (id INT)", DdlOutcome.Ignored, null)]
    [InlineData("crm", "CREATE TABLE _orders_new LIKE orders", DdlOutcome.Ignored, null)]
    // Other statements: recorded, not applied; DML logged as a statement on a selected table stops the job.
    [InlineData("shop", "GRANT SELECT ON shop.* TO u", DdlOutcome.Skipped, null)]
    [InlineData("shop", "ANALYZE TABLE t", DdlOutcome.Skipped, null)]
    [InlineData("shop", "DROP TEMPORARY TABLE IF EXISTS t", DdlOutcome.Ignored, null)]
    [InlineData("", "CREATE DATABASE IF NOT EXISTS `_dts`", DdlOutcome.Ignored, null)]
    [InlineData("shop", "INSERT INTO t VALUES (1)", DdlOutcome.Refused, null)]
    [InlineData("shop", "INSERT INTO other.t VALUES (1)", DdlOutcome.Ignored, null)]
    public void FollowsTheSelectionRules(string database, string sql, DdlOutcome outcome, string? applied)
    {
        var decision = Decide(sql, database, NameMapping.Empty);
        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(applied, decision.TargetStatement);
        Assert.True(decision.Outcome is DdlOutcome.Applied or DdlOutcome.Ignored || decision.Note is { Length: > 0 });
    }

    [Fact]
    public void MappedNamesReplaceDatabasesTablesAndColumnsButNotStringsCommentsOrLookalikes()
    {
        var mapping = NameMapping.Create(new Dictionary<string, string> { ["shop"] = "store", ["crm.customers"] = "clients", ["crm.customers.name"] = "full name" }, Selection);
        Assert.Equal("ALTER TABLE `crm`.`clients` ADD COLUMN nick VARCHAR(9) DEFAULT 'name' COMMENT 'name' AFTER `full name`, MODIFY `full name` TEXT /* name */",
            Decide("ALTER TABLE customers ADD COLUMN nick VARCHAR(9) DEFAULT 'name' COMMENT 'name' AFTER name, MODIFY `name` TEXT /* name */", "crm", mapping).TargetStatement);
        Assert.Equal("CREATE INDEX by_name ON `crm`.`clients` (`full name`(10))", Decide("CREATE INDEX by_name ON crm.customers (name(10))", "x", mapping).TargetStatement);
        Assert.Equal("RENAME TABLE `store`.`a` TO `store`.`b`", Decide("RENAME TABLE a TO b", "shop", mapping).TargetStatement);
        // A column named like a type or keyword is renamed where it is quoted, never where the word is the keyword.
        var keywordColumn = NameMapping.Create(new Dictionary<string, string> { ["crm.customers.date"] = "d" }, Selection);
        Assert.Equal("ALTER TABLE `crm`.`customers` ADD COLUMN x date DEFAULT NULL AFTER `d`", Decide("ALTER TABLE customers ADD COLUMN x date DEFAULT NULL AFTER `date`", "crm", keywordColumn).TargetStatement);
        // An online schema change tool's shadow of a table takes the table's column names.
        Assert.Equal("ALTER TABLE `crm`.`_customers_new` MODIFY `full name` TEXT", Decide("ALTER TABLE _customers_new MODIFY name TEXT", "crm", mapping).TargetStatement);
        Assert.Equal("CREATE VIEW `store`.`v` AS SELECT * FROM `store`.t JOIN other.u", Decide("CREATE VIEW v AS SELECT * FROM shop.t JOIN other.u", "shop", mapping).TargetStatement);
        // A body under a mapping that renames tables: refused, not applied with the source's names.
        var wholeCrm = ObjectSelection.Parse(["crm"]);
        const string view = "CREATE VIEW v AS SELECT * FROM customers";
        Assert.Equal(DdlOutcome.Refused, DdlRules.Decide(DdlParser.Parse(view, "crm"), view, "crm", wholeCrm, NameMapping.Create(new Dictionary<string, string> { ["crm.customers"] = "clients" }, wholeCrm), ansiQuotes: false).Outcome);
    }

    [Theory]
    [InlineData("ALTER TABLE `we``ird.na me` ADD c INT", "ALTER TABLE `x`.`we``ird.na me` ADD c INT")]
    [InlineData("ALTER TABLE `/* not a comment */` ADD c INT", "ALTER TABLE `x`.`/* not a comment */` ADD c INT")]
    [InlineData("ALTER TABLE `ünïcødé` ADD `#c` INT -- tail", "ALTER TABLE `x`.`ünïcødé` ADD `#c` INT -- tail")]
    [InlineData("ALTER TABLE `select` ADD `from` INT", "ALTER TABLE `x`.`select` ADD `from` INT")]
    [InlineData("ALTER /*!50100 TABLE t */ ADD c INT", "ALTER /*!50100 TABLE `x`.`t` */ ADD c INT")]
    public void HostileNamesAreRewrittenWhereTheyStand(string sql, string expected)
    {
        var selection = ObjectSelection.Parse(["x"]);
        Assert.Equal(expected, DdlRules.Decide(DdlParser.Parse(sql, "x"), sql, "x", selection, NameMapping.Empty, ansiQuotes: false).TargetStatement);
    }

    [Fact]
    public void AnsiQuotesNamesAreRewrittenAndTriggerBodiesSkipTheSyncsWrites()
    {
        var selection = ObjectSelection.Parse(["x"]);
        const string ansi = "ALTER TABLE \"a\"\"b\" ADD c INT";
        Assert.Equal("ALTER TABLE `x`.`a\"b` ADD c INT", DdlRules.Decide(DdlParser.Parse(ansi, "x", ansiQuotes: true), ansi, "x", selection, NameMapping.Empty, ansiQuotes: true).TargetStatement);
        const string trigger = "CREATE DEFINER=`root`@`%` TRIGGER tr AFTER INSERT ON t FOR EACH ROW FOLLOWS other BEGIN INSERT INTO log VALUES (NEW.id); END";
        Assert.Equal("CREATE DEFINER=`root`@`%` TRIGGER `x`.`tr` AFTER INSERT ON `x`.`t` FOR EACH ROW FOLLOWS other IF @dts_applying IS NULL THEN BEGIN INSERT INTO log VALUES (NEW.id); END; END IF",
            DdlRules.Decide(DdlParser.Parse(trigger, "x"), trigger, "x", selection, NameMapping.Empty, ansiQuotes: false).TargetStatement);
    }

    [Theory]
    [InlineData("CREATE TABLE `t` (`a` int) START TRANSACTION", "CREATE TABLE `t` (`a` int)")]
    [InlineData("CREATE TABLE t (a int) /* START TRANSACTION */", "CREATE TABLE t (a int) /* START TRANSACTION */")]
    [InlineData("CREATE TABLE `start transaction` (a int)", "CREATE TABLE `start transaction` (a int)")]
    public void TheStartTransactionClauseOfMySqlsCreateTableSelectIsDropped(string sql, string expected) =>
        Assert.Equal(expected, DdlRewriter.WithoutStartTransaction(sql));

    private static DdlDecision Decide(string sql, string database, NameMapping mapping) =>
        DdlRules.Decide(DdlParser.Parse(sql, database), sql, database, Selection, mapping, ansiQuotes: false);
}
