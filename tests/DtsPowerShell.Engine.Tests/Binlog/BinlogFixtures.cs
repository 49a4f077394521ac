namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// The real binlog files in the shared fixtures folder (shared/fixtures/binlog beside the checkout), read
/// in place; tests that need them are skipped where that folder is absent.
/// </summary>
internal static class BinlogFixtures
{
    public static readonly string? Directory = Find();

    public static string SkipReason => Directory is null ? "The shared binlog fixtures (../shared/fixtures/binlog beside the checkout) are not here." : "";

    public static string PathOf(string relative) => System.IO.Path.Combine(Directory ?? throw new InvalidOperationException(SkipReason), relative);

    public static IEnumerable<string> All() => Directory is null
        ? []
        : System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Select(f => System.IO.Path.GetRelativePath(Directory, f))
            .Order(StringComparer.Ordinal);

    /// <summary>Every fixture that is a plain binlog file (not gzipped), as theory data.</summary>
    public static TheoryData<string> PlainFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in All().Where(f => !f.EndsWith(".gz", StringComparison.Ordinal)))
        {
            data.Add(file);
        }

        return data;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("DTS_BINLOG_FIXTURES") is { Length: > 0 } fromEnvironment)
        {
            return System.IO.Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", "binlog");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
