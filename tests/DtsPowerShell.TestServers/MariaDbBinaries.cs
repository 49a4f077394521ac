namespace DtsPowerShell.TestServers;

/// <summary>Finds Debian's MariaDB programs; says what to install when they are missing.</summary>
public static class MariaDbBinaries
{
    public static string Server => Find("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld");

    public static string InstallDb => Find("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");

    public static string Client => Find("mariadb", "/usr/bin/mariadb", "/usr/bin/mysql");

    public static bool Available => TryFind("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld") is not null;

    private static string Find(string name, params string[] candidates) =>
        TryFind(name, candidates) ?? throw new InvalidOperationException(
            $"'{name}' was not found. Install Debian's MariaDB server and client: apt-get install -y mariadb-server mariadb-client");

    private static string? TryFind(string name, params string[] candidates)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        return candidates.FirstOrDefault(File.Exists);
    }
}
