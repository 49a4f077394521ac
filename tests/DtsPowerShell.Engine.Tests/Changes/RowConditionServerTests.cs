using System.Reflection;
using DtsPowerShell.Engine.Changes.Conditions;

namespace DtsPowerShell.Engine.Tests.Changes;

/// <summary>Every condition of <see cref="RowConditionTests"/>, asked of MariaDB about the same two rows: the engine must answer as the server does.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class RowConditionServerTests(MariaDbPair servers)
{
    [Fact]
    public void TheEngineTakesTheRowsTheServersWhereTakes()
    {
        servers.Source.Sql("""
            DROP DATABASE IF EXISTS cond; CREATE DATABASE cond;
            CREATE TABLE cond.orders (id INT PRIMARY KEY, region VARCHAR(10) COLLATE utf8mb4_general_ci, amount DECIMAL(10,2),
              code VARCHAR(10) COLLATE utf8mb4_bin, placed DATETIME, status ENUM('new','paid','sent') NOT NULL, tags SET('a','b','c'), ratio DOUBLE)
              CHARACTER SET utf8mb4;
            INSERT INTO cond.orders VALUES (7, 'EU ', 12.50, 'Ab', '2026-03-01 10:00:00', 'paid', 'a,c', 0.5), (8, NULL, NULL, NULL, NULL, 'new', '', NULL);
            """);
        var conditions = typeof(RowConditionTests).GetMethods()
            .Where(m => m.Name is nameof(RowConditionTests.AConditionIsTrueWhereMySqlsWhereWouldTakeTheRow) or nameof(RowConditionTests.NullIsUnknownAsInSql))
            .SelectMany(m => m.GetCustomAttributes<InlineDataAttribute>()).Select(a => (string)a.GetData(null!).First()[0]).Distinct().ToList();
        Assert.True(conditions.Count > 40);
        var differences = new List<string>();
        foreach (var condition in conditions)
        {
            var taken = servers.Source.Sql($"SELECT GROUP_CONCAT(id ORDER BY id) FROM cond.orders WHERE {condition}");
            var engine = string.Join(",", new[] { (7, RowConditionTests.Row), (8, RowConditionTests.NullRow) }
                .Where(r => RowCondition.Parse(condition, RowConditionTests.Orders).Matches(r.Item2)).Select(r => r.Item1));
            if (taken.Replace("NULL", "", StringComparison.Ordinal) != engine)
            {
                differences.Add($"{condition}: the server takes [{taken}], the engine [{engine}]");
            }
        }

        servers.Source.Sql("DROP DATABASE cond");
        Assert.Empty(differences);
    }
}
