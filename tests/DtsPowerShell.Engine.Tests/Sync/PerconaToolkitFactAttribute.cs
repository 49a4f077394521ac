namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>A test that runs Debian's percona-toolkit (CI installs it); skipped, saying why, where it is not installed.</summary>
public sealed class PerconaToolkitFactAttribute : FactAttribute
{
    public const string Tool = "/usr/bin/pt-online-schema-change";

    public PerconaToolkitFactAttribute()
    {
        if (!File.Exists(Tool))
        {
            Skip = $"{Tool} is not installed (apt-get install percona-toolkit).";
        }
    }
}
