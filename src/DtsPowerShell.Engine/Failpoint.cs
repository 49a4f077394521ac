using System.Diagnostics;

namespace DtsPowerShell.Engine;

/// <summary>
/// Named crash points for tests of crash safety: when <c>DTS_FAILPOINT</c> names a point, the process kills itself
/// there at once, as SIGKILL would (no cleanup, no flush). Unset, a check costs one comparison.
/// </summary>
public static class Failpoint
{
    public const string EnvironmentVariable = "DTS_FAILPOINT";
    private static readonly string? Armed = Environment.GetEnvironmentVariable(EnvironmentVariable);

    public static void Hit(string name)
    {
        if (Armed is not null && string.Equals(Armed, name, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
