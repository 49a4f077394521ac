namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>A fact that is skipped, with the reason, where the shared binlog fixtures are absent.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        if (BinlogFixtures.Directory is null)
        {
            Skip = BinlogFixtures.SkipReason;
        }
    }
}

/// <summary>A theory that is skipped, with the reason, where the shared binlog fixtures are absent.</summary>
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        if (BinlogFixtures.Directory is null)
        {
            Skip = BinlogFixtures.SkipReason;
        }
    }
}
