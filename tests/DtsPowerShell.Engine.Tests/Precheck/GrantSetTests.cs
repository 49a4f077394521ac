using DtsPowerShell.Engine.Precheck;

namespace DtsPowerShell.Engine.Tests.Precheck;

public class GrantSetTests
{
    [Fact]
    public void Schema_grants_are_like_patterns_with_escapes()
    {
        var grants = new GrantSet();
        grants.AddSchema(@"shop\_%", "SELECT");
        Assert.True(grants.HasOnDatabase("SELECT", "shop_eu"));
        Assert.False(grants.HasOnDatabase("SELECT", "shopXeu"));
        Assert.False(grants.HasOnDatabase("INSERT", "shop_eu"));
    }

    [Fact]
    public void Global_grants_cover_every_database_and_table_grants_only_their_table()
    {
        var grants = new GrantSet();
        grants.AddGlobal("INSERT");
        grants.AddTable("crm", "customers", "SELECT");
        Assert.True(grants.HasOnTable("INSERT", "any", "thing"));
        Assert.True(grants.HasOnTable("SELECT", "crm", "customers"));
        Assert.False(grants.HasOnTable("SELECT", "crm", "leads"));
        Assert.False(grants.HasOnDatabase("SELECT", "crm"));
    }

    [Fact]
    public void MariaDb_renamed_privileges_count_as_the_old_names()
    {
        var grants = new GrantSet();
        grants.AddGlobal("BINLOG MONITOR");
        Assert.True(grants.HasGlobal("REPLICATION CLIENT"));
        Assert.False(grants.HasGlobal("REPLICATION SLAVE"));
    }
}
