using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DtsPowerShell.TestServers;

/// <summary>
/// A throw-away MariaDB server on loopback: its own data directory (copied from a template made once per
/// machine), a free port, its own server id. Stopped by PID and deleted on <see cref="Dispose"/>, and at
/// the latest when the process that started it exits.
/// </summary>
public sealed class MariaDbServer : IDisposable
{
    private static readonly List<MariaDbServer> Running = [];
    private static int nextServerId = 100 + (Environment.ProcessId % 1000) * 100;

    private readonly ProcessStartInfo startInfo;
    private Process process;

    static MariaDbServer() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    private MariaDbServer(ProcessStartInfo startInfo, Process process, string dataDirectory, int port, int serverId)
    {
        this.startInfo = startInfo;
        this.process = process;
        DataDirectory = dataDirectory;
        Port = port;
        ServerId = serverId;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, as the cmdlets take it.</summary>
    public string Address => $"{Host}:{Port}";

    public int ServerId { get; }

    public int Pid => process.Id;

    public string DataDirectory { get; }

    public string Socket => Path.Combine(DataDirectory, "mysqld.sock");

    public static MariaDbServer Start(MariaDbServerOptions? options = null)
    {
        options ??= new MariaDbServerOptions();
        var template = ServerTemplate.Ensure();
        for (var attempt = 1; ; attempt++)
        {
            var dataDirectory = Path.Combine(Path.GetTempPath(), $"dts-test-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32]);
            ServerTemplate.CopyTo(template, dataDirectory);
            Directory.CreateDirectory(TemporaryDirectory(dataDirectory));
            var port = FreePort();
            var serverId = options.ServerId != 0 ? options.ServerId : Interlocked.Increment(ref nextServerId);
            var startInfo = StartInfo(options, dataDirectory, port, serverId);
            var server = new MariaDbServer(startInfo, Launch(startInfo), dataDirectory, port, serverId);
            lock (Running)
            {
                Running.Add(server);
            }

            if (server.WaitUntilReady(TimeSpan.FromSeconds(60)))
            {
                return server;
            }

            var log = server.ErrorLog();
            server.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"MariaDB did not start on port {port}. Its error log:\n{log}");
            }
        }
    }

    /// <summary>Kills the server (as a crash would) and starts it again on the same port and data.</summary>
    public void Restart()
    {
        if (!process.HasExited)
        {
            process.Kill();
            if (!process.WaitForExit(10_000))
            {
                // A second server on the same data directory and port would fail in confusing ways.
                throw new InvalidOperationException($"MariaDB (pid {process.Id}) did not exit within 10 s of being killed; not restarting it.");
            }
        }

        process.Dispose();
        process = Launch(startInfo);
        if (!WaitUntilReady(TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"MariaDB did not come back on port {Port}. Its error log:\n{ErrorLog()}");
        }
    }

    /// <summary>Runs SQL as root over the server's socket; returns the rows tab-separated, one a line.</summary>
    private static readonly TimeSpan SqlDeadline = TimeSpan.FromMinutes(5);

    /// <summary>The server's sessions and InnoDB's locks and latches, for the message of a statement that never ended.</summary>
    private string WhatItWaitsFor()
    {
        try
        {
            return Sql("SELECT ID, USER, COMMAND, TIME, STATE, LEFT(INFO, 200) FROM information_schema.PROCESSLIST; SHOW ENGINE INNODB STATUS;");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            return $"(the server did not say what it waits for: {e.Message.Split('\n')[0]})";
        }
    }

    public string Sql(string sql)
    {
        var start = new ProcessStartInfo(MariaDbBinaries.Client)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "--no-defaults", $"--socket={Socket}", "--user=root", "--batch", "--skip-column-names", "--default-character-set=utf8mb4" })
        {
            start.ArgumentList.Add(arg);
        }

        using var client = Process.Start(start)!;
        client.StandardInput.Write(sql);
        client.StandardInput.Close();
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        // A statement that waits for ever (a lock the product never lets go) fails the test instead of hanging the run.
        if (!client.WaitForExit(SqlDeadline))
        {
            client.Kill(entireProcessTree: true);
            throw new TimeoutException($"SQL on {Address} did not finish within {SqlDeadline.TotalMinutes} minutes:\n{sql}\n{WhatItWaitsFor()}");
        }

        if (client.ExitCode != 0)
        {
            throw new InvalidOperationException($"SQL failed on {Address}: {stderr.Result.Trim()}\n{sql}");
        }

        return stdout.Result.TrimEnd('\n');
    }

    /// <summary>Creates <paramref name="user"/>@'%' with the password and runs each GRANT given (use <c>{user}</c> as the grantee).</summary>
    public void CreateUser(string user, string password, params string[] grants)
    {
        var sql = new StringBuilder($"CREATE OR REPLACE USER '{user}'@'%' IDENTIFIED BY '{password}';\n");
        foreach (var grant in grants)
        {
            sql.Append(grant.Replace("{user}", $"'{user}'@'%'", StringComparison.Ordinal)).Append(";\n");
        }

        Sql(sql.ToString());
    }

    public string ErrorLog()
    {
        var path = Path.Combine(DataDirectory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no error log)";
    }

    public void Dispose()
    {
        lock (Running)
        {
            Running.Remove(this);
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
        try
        {
            Directory.Delete(TemporaryDirectory(DataDirectory), recursive: true);
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void StopAll()
    {
        MariaDbServer[] servers;
        lock (Running)
        {
            servers = [.. Running];
        }

        foreach (var server in servers)
        {
            server.Dispose();
        }
    }

    private static Process Launch(ProcessStartInfo startInfo)
    {
        var started = Process.Start(startInfo)!;
        // What the server prints before its error log opens is noise in test output; drop it.
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    /// <summary>Beside the data directory, not in it (a directory there would be a database).</summary>
    private static string TemporaryDirectory(string dataDirectory) => dataDirectory + ".tmp";

    private static ProcessStartInfo StartInfo(MariaDbServerOptions options, string dataDirectory, int port, int serverId)
    {
        var start = new ProcessStartInfo(MariaDbBinaries.Server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var args = new List<string>
        {
            "--no-defaults",
            $"--datadir={dataDirectory}",
            $"--socket={Path.Combine(dataDirectory, "mysqld.sock")}",
            $"--pid-file={Path.Combine(dataDirectory, "mysqld.pid")}",
            $"--log-error={Path.Combine(dataDirectory, "error.log")}",
            $"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-name-resolve",
            $"--server-id={serverId}",
            $"--lower-case-table-names={options.LowerCaseTableNames}",
            // Its own temporary directory: a server starting up deletes every #sql file in its tmpdir, so with a
            // shared /tmp, servers started in parallel tests deleted each other's live temporary tables.
            $"--tmpdir={TemporaryDirectory(dataDirectory)}",
        };
        args.AddRange(ServerTemplate.LightweightOptions);
        if (options.BinlogEnabled)
        {
            args.Add($"--log-bin={Path.Combine(dataDirectory, "binlog")}");
            args.Add($"--binlog-format={options.BinlogFormat}");
            args.Add($"--binlog-row-image={options.BinlogRowImage}");
            args.Add("--log-slave-updates=ON");
        }

        if (options.CustomCollation)
        {
            args.Add($"--character-sets-dir={TestServers.CustomCollation.EnsureDirectory()}");
        }

        if (options.Tls)
        {
            args.Add($"--ssl-ca={TestCertificates.CaPath}");
            args.Add($"--ssl-cert={TestCertificates.CertificatePath}");
            args.Add($"--ssl-key={TestCertificates.KeyPath}");
        }

        if (options.VersionString is not null)
        {
            args.Add($"--version={options.VersionString}");
        }

        if (Environment.UserName == "root")
        {
            args.Add("--user=root");
        }

        args.AddRange(options.ExtraArguments);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private bool WaitUntilReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                return false;
            }

            if (File.Exists(Socket) && CanConnect())
            {
                try
                {
                    Sql("SELECT 1");
                    return true;
                }
                catch (InvalidOperationException)
                {
                }
            }

            Thread.Sleep(50);
        }

        return false;
    }

    private bool CanConnect()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
