using System.Text.RegularExpressions;

namespace DtsPowerShell.TestServers;

/// <summary>
/// A character-sets folder with one collation that Debian's MariaDB does not have
/// (<see cref="Name"/>, a copy of latin1_general_ci under a free id), so a server started with it
/// uses a collation its peers lack.
/// </summary>
public static class CustomCollation
{
    public const string Name = "latin1_dts_test_ci";
    private const int Id = 250;
    private const string SystemCharsets = "/usr/share/mysql/charsets";

    public static string EnsureDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"dts-charsets-{File.GetLastWriteTimeUtc(Path.Combine(SystemCharsets, "Index.xml")).Ticks:x}");
        if (File.Exists(Path.Combine(directory, ".complete")))
        {
            return directory;
        }

        var staging = directory + "-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(staging);
        foreach (var file in Directory.GetFiles(SystemCharsets))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        var index = Path.Combine(staging, "Index.xml");
        var indexText = File.ReadAllText(index);
        var latin1General = "<collation name=\"latin1_general_ci\"";
        File.WriteAllText(index, indexText.Replace(latin1General, $"<collation name=\"{Name}\" id=\"{Id}\"/>\n  {latin1General}", StringComparison.Ordinal));

        var latin1 = Path.Combine(staging, "latin1.xml");
        var latin1Text = File.ReadAllText(latin1);
        var map = Regex.Match(latin1Text, "<collation name=\"latin1_general_ci\">.*?</collation>", RegexOptions.Singleline).Value;
        File.WriteAllText(latin1, latin1Text.Replace(map, map + "\n\n" + map.Replace("latin1_general_ci", Name, StringComparison.Ordinal), StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(staging, ".complete"), "");
        try
        {
            Directory.Move(staging, directory);
        }
        catch (IOException)
        {
            // Another process made it first.
            Directory.Delete(staging, recursive: true);
        }

        return directory;
    }
}
