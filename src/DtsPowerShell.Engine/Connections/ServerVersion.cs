using System.Globalization;
using System.Text.RegularExpressions;

namespace DtsPowerShell.Engine.Connections;

/// <summary>A server's product and version as read from <c>VERSION()</c>.</summary>
public sealed partial record ServerVersion(bool IsMariaDb, int Major, int Minor, int Patch, string Text)
{
    public static ServerVersion Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            return new ServerVersion(false, 0, 0, 0, text);
        }

        int Part(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new ServerVersion(text.Contains("MariaDB", StringComparison.OrdinalIgnoreCase), Part(1), Part(2), Part(3), text);
    }

    /// <summary>MySQL 5.1 to 8.4, MariaDB 10.x and 11.x.</summary>
    public bool IsSupported => IsMariaDb
        ? Major is 10 or 11
        : (Major == 5 && Minor >= 1) || (Major == 8 && Minor <= 4);

    public string Product => IsMariaDb ? "MariaDB" : "MySQL";

    public override string ToString() => $"{Product} {Major}.{Minor}.{Patch}";

    // Bounded so that a strange version string cannot overflow int.Parse.
    [GeneratedRegex(@"^(\d{1,9})\.(\d{1,9})\.(\d{1,9})")]
    private static partial Regex VersionPattern();
}
