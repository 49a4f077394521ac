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

/// <summary>A fact over the fuzzer's findings (FuzzFindings/, not committed): skipped, with the reason, where there are none.</summary>
public sealed class FuzzFindingsFactAttribute : FactAttribute
{
    public FuzzFindingsFactAttribute()
    {
        if (DecoderRegressionTests.FuzzFindings.Length == 0)
        {
            Skip = "No fuzz findings here: 'build.ps1 Fuzz' copies any crash it finds into FuzzFindings/.";
        }
    }
}
