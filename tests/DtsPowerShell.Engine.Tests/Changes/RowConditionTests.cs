using DtsPowerShell.Engine.Changes.Conditions;
using DtsPowerShell.Engine.Schema;
using MySqlConnector;

namespace DtsPowerShell.Engine.Tests.Changes;

/// <summary>
/// Row conditions evaluated as MySQL evaluates a WHERE clause; <see cref="RowConditionServerTests"/> asks a real
/// MariaDB the same questions about the same rows.
/// </summary>
public sealed class RowConditionTests
{
    internal static readonly TableSchema Orders = new("shop", "orders",
    [
        new ColumnSchema("id", "int", "int(11)", null, false, false),
        new ColumnSchema("region", "varchar", "varchar(10)", "utf8mb4_general_ci", true, false),
        new ColumnSchema("amount", "decimal", "decimal(10,2)", null, true, false),
        new ColumnSchema("code", "varchar", "varchar(10)", "utf8mb4_bin", true, false),
        new ColumnSchema("placed", "datetime", "datetime", null, true, false),
        new ColumnSchema("status", "enum", "enum('new','paid','sent')", "utf8mb4_general_ci", false, false),
        new ColumnSchema("tags", "set", "set('a','b','c')", "utf8mb4_general_ci", true, false),
        new ColumnSchema("ratio", "double", "double", null, true, false),
    ], [0], 0);

    // id, region, amount, code, placed, status (index), tags (mask), ratio
    internal static readonly object?[] Row = [7, "EU ", 12.50m, "Ab", new MySqlDateTime(2026, 3, 1, 10, 0, 0, 0), 2, 5UL, 0.5];
    internal static readonly object?[] NullRow = [8, null, null, null, null, 1, 0UL, null];

    [Theory]
    [InlineData("region = 'EU' AND amount > 10", true)]
    [InlineData("region = 'eu'", true)] // a _ci collation ignores case, and trailing spaces
    [InlineData("code = 'ab'", false)] // a _bin one does not
    [InlineData("code = 'Ab'", true)]
    [InlineData("amount = 12.5", true)]
    [InlineData("amount >= '12.50'", true)] // a string beside a number is read as a number
    [InlineData("amount BETWEEN 10 AND 12.5", true)]
    [InlineData("amount NOT BETWEEN 10 AND 12.5", false)]
    [InlineData("id IN (1, 7, 9)", true)]
    [InlineData("id NOT IN (1, 2)", true)]
    [InlineData("region LIKE 'e%'", true)]
    [InlineData("region LIKE 'E_'", false)] // LIKE does not drop trailing spaces
    [InlineData("code LIKE 'a%'", false)]
    [InlineData("placed >= '2026-03-01' AND placed < '2026-03-02'", true)]
    [InlineData("YEAR(placed) = 2026 AND MONTH(placed) = 3 AND DAY(placed) = 1", true)]
    [InlineData("DATE(placed) = '2026-03-01'", true)]
    [InlineData("status = 'paid'", true)] // ENUM by its label, not its index
    [InlineData("status IN ('new', 'sent')", false)]
    [InlineData("tags = 'a,c'", true)] // SET by its labels
    [InlineData("amount * 2 = 25 AND amount / 5 = 2.5 AND id DIV 2 = 3 AND id MOD 4 = 3 AND id % 4 = 3", true)]
    [InlineData("-amount < 0 AND ABS(-amount) = amount", true)]
    [InlineData("1/3 = 0.3333", true)] // division keeps four more decimals, as div_precision_increment
    [InlineData("ratio = 0.5 AND ratio * 4 = 2", true)]
    [InlineData("LOWER(code) = 'ab' AND UPPER(region) = 'EU' AND CHAR_LENGTH(code) = 2 AND LENGTH(region) = 3", true)]
    [InlineData("CONCAT(region, code) = 'EU Ab' AND SUBSTRING(code, 2) = 'b' AND LEFT(code, 1) = 'A' AND RIGHT(code, 1) = 'b'", true)]
    [InlineData("TRIM(region) = 'EU' AND COALESCE(NULL, id) = 7 AND IFNULL(NULL, 3) = 3 AND NULLIF(id, 7) IS NULL", true)]
    [InlineData("NOT (region = 'EU') OR `id` = 7", true)]
    [InlineData("!(id = 7)", false)]
    [InlineData("id <> 7 OR id != 7", false)]
    [InlineData("region IS NOT NULL AND (id = 7) IS TRUE", true)]
    [InlineData("'12abc' = 12", true)]
    [InlineData("TRUE AND NOT FALSE", true)]
    public void AConditionIsTrueWhereMySqlsWhereWouldTakeTheRow(string condition, bool taken) =>
        Assert.Equal(taken, RowCondition.Parse(condition, Orders).Matches(Row));

    [Theory]
    [InlineData("region = 'EU'", false)]
    [InlineData("region <> 'EU'", false)] // NULL is unknown, neither equal nor not
    [InlineData("NOT (region = 'EU')", false)]
    [InlineData("region IS NULL", true)]
    [InlineData("region <=> NULL", true)]
    [InlineData("region = 'EU' OR id = 8", true)] // unknown OR true is true
    [InlineData("region = 'EU' AND id = 8", false)] // unknown AND true is unknown
    [InlineData("amount IN (1, NULL)", false)]
    [InlineData("id NOT IN (1, NULL)", false)] // unknown: a NULL in the list
    [InlineData("CONCAT(region, 'x') IS NULL", true)]
    [InlineData("amount / 0 IS NULL", true)]
    [InlineData("status = 'new'", true)]
    [InlineData("tags = ''", true)]
    public void NullIsUnknownAsInSql(string condition, bool taken) =>
        Assert.Equal(taken, RowCondition.Parse(condition, Orders).Matches(NullRow));

    [Theory]
    [InlineData("price > 10", "Column `price` is not in")]
    [InlineData("created > NOW()", "NOW()")]
    [InlineData("id IN (SELECT id FROM other)", "IN (SELECT")]
    [InlineData("orders.id = 7", "orders.")]
    [InlineData("id = @x", "@x")]
    [InlineData("SOUNDEX(region) = 'E000'", "SOUNDEX()")]
    [InlineData("id = 7 AND", "ends too early")]
    [InlineData("id = 7 region", "'region' does not continue")]
    [InlineData("", "empty")]
    [InlineData("id IS 7", "IS 7")]
    [InlineData("region LIKE 'a|b' ESCAPE '|'", "ESCAPE")]
    [InlineData("LEFT(code) = 'A'", "LEFT with 1 arguments")]
    public void AConditionTheEngineCannotEvaluateIsRefusedNamingThePart(string condition, string part)
    {
        var error = Assert.Throws<DtsInputException>(() => RowCondition.Parse(condition, Orders));
        Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.Contains("shop", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Remedy));
    }
}
