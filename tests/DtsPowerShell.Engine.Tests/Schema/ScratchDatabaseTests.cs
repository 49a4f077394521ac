using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Tests.Sync;

namespace DtsPowerShell.Engine.Tests.Schema;

[Collection(MariaDbCollection.Name)]
public sealed class ScratchDatabaseTests(MariaDbPair servers)
{
    [Fact]
    public async Task ACreatedDatabasesCollationIsWorkedOutOnTheTargetBeforeItHasTheDatabase()
    {
        // The reader reads a CREATE DATABASE ahead of the applier: the target has no such database yet to ask.
        await using var connection = await MySqlConnectionFactory.OpenForSyncAsync(SyncServers.SettingsOf(servers.Target), TimeSpan.FromSeconds(30), CancellationToken.None);
        var scratch = await ScratchDatabase.OpenAsync(connection, "scratchtest", CancellationToken.None);
        foreach (var (sql, expected) in new[]
        {
            ("CREATE DATABASE later CHARACTER SET latin1", "latin1_swedish_ci"),
            ("CREATE DATABASE IF NOT EXISTS `la``ter` /* a comment */ COLLATE utf8mb4_bin", "utf8mb4_bin"),
            ("CREATE SCHEMA plain", servers.Target.Sql("SELECT @@collation_server")),
        })
        {
            Assert.Equal(expected, await scratch.CreatedDatabaseCollationAsync(sql, DdlParser.Parse(sql, "", ansiQuotes: false), 0, CancellationToken.None));
        }

        Assert.Equal("", servers.Target.Sql("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ('later', 'la`ter', 'plain', '_dts_ddl_scratchtest_db')"));
        servers.Target.Sql("DROP DATABASE _dts_ddl_scratchtest");
    }
}
