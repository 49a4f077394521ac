using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Tests.Apply;

public sealed class RowSqlBuilderTests
{
    private static readonly ObjectSelection Shop = ObjectSelection.Parse(["shop"]);

    private static TargetTable Table(bool keyed, IDictionary<string, string>? mapping = null, bool generated = false) => new(
        new TableSchema("shop", "t",
            [new ColumnSchema("id", "int", "int(11)", null, false, false), new ColumnSchema("f", "float", "float", null, true, false), new ColumnSchema("g", "int", "int(11)", null, true, generated),
             new ColumnSchema("s", "varchar", "varchar(5)", "latin1_swedish_ci", true, false)],
            keyed ? [0] : [], 0),
        NameMapping.Create(mapping ?? new Dictionary<string, string>(), Shop));

    [Fact]
    public void ConsecutiveInsertsIntoOneTableBecomeOneStatement()
    {
        var sql = new RowSqlBuilder();
        var table = Table(keyed: true);
        sql.Insert(table, [1, 1.5f, 7, "x"], ApplyMode.Exact);
        sql.Insert(table, [2, null, 8, null], ApplyMode.Exact);
        sql.Delete(table, [3, 0f, 0, null]);
        Assert.Equal("INSERT INTO `shop`.`t` (`id`,`f`,`g`,`s`) VALUES (1,1.5,7,'x'),(2,NULL,8,NULL);DELETE FROM `shop`.`t` WHERE `id`=3;", sql.Take());
        Assert.True(sql.IsEmpty);
    }

    [Fact]
    public void MapsNamesAndLeavesGeneratedColumnsOut()
    {
        var sql = new RowSqlBuilder();
        var table = Table(keyed: true, new Dictionary<string, string> { ["shop"] = "copy", ["shop.t"] = "t2", ["shop.t.f"] = "ratio" }, generated: true);
        sql.Update(table, [1, 1f, 2, "a"], [1, 2f, 3, "b"], ApplyMode.Exact);
        Assert.Equal("UPDATE `copy`.`t2` SET `id`=1,`ratio`=2,`s`='b' WHERE `id`=1;", sql.Take());
    }

    [Fact]
    public void IdempotentModeUpsertsAndDeletesTheOldKeyFirst()
    {
        var sql = new RowSqlBuilder();
        var table = Table(keyed: true);
        sql.Update(table, [1, 1f, 0, null], [1, 2f, 0, null], ApplyMode.Idempotent);
        sql.Update(table, [1, 2f, 0, null], [9, 2f, 0, null], ApplyMode.Idempotent);
        const string upsert = " ON DUPLICATE KEY UPDATE `id`=VALUES(`id`),`f`=VALUES(`f`),`g`=VALUES(`g`),`s`=VALUES(`s`);";
        Assert.Equal("INSERT INTO `shop`.`t` (`id`,`f`,`g`,`s`) VALUES (1,2,0,NULL)" + upsert + "DELETE FROM `shop`.`t` WHERE `id`=1;INSERT INTO `shop`.`t` (`id`,`f`,`g`,`s`) VALUES (9,2,0,NULL)" + upsert, sql.Take());
    }

    [Fact]
    public void ATableWithoutAKeyIsMatchedByTheWholeRowOneAtATime()
    {
        var sql = new RowSqlBuilder();
        var table = Table(keyed: false);
        sql.Delete(table, [1, 1.1f, null, "a"]);
        Assert.Equal("DELETE FROM `shop`.`t` WHERE `id`<=>1 AND `f`<=>CAST(1.1 AS FLOAT) AND `g`<=>NULL AND `s`<=>CONVERT('a' USING latin1) COLLATE latin1_bin LIMIT 1;", sql.Take());
    }
}
