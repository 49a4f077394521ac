using System.Diagnostics;

namespace DtsPowerShell.TestServers;

/// <summary>A data directory initialised once per machine and server version, copied for every server.</summary>
internal static class ServerTemplate
{
    // InnoDB's buffer pool and redo log keep their default sizes. With 32M and 16M a bulk LOAD DATA beside other writers
    // once hung for good (no statement on the table ended, not even when killed), most likely InnoDB waiting for free
    // pages while it flushed a small redo log in haste.
    public static readonly string[] LightweightOptions =
    [
        "--innodb-flush-log-at-trx-commit=2",
        "--performance-schema=OFF",
        "--max-connections=100",
    ];

    public static string Ensure()
    {
        var version = File.GetLastWriteTimeUtc(MariaDbBinaries.Server).Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var template = Path.Combine(Path.GetTempPath(), $"dts-mariadb-template-{version}");
        if (File.Exists(Path.Combine(template, ".complete")))
        {
            return template;
        }

        using var exclusive = Lock(template + ".lock");
        if (File.Exists(Path.Combine(template, ".complete")))
        {
            return template;
        }

        if (Directory.Exists(template))
        {
            Directory.Delete(template, recursive: true);
        }

        var start = new ProcessStartInfo(MariaDbBinaries.InstallDb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--no-defaults", $"--datadir={template}", "--auth-root-authentication-method=normal", "--skip-test-db" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in LightweightOptions)
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("--user=root");
        }

        using var install = Process.Start(start)!;
        var stdout = install.StandardOutput.ReadToEndAsync();
        var stderr = install.StandardError.ReadToEnd();
        install.WaitForExit();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"mariadb-install-db failed: {stderr}{stdout.Result}");
        }

        File.WriteAllText(Path.Combine(template, ".complete"), "");
        return template;
    }

    public static void CopyTo(string template, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(template, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(destination + directory[template.Length..]);
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, destination + file[template.Length..]);
        }
    }

    private static FileStream Lock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }
}
