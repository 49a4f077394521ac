using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Selection;
using DtsPowerShell.Engine.State;
using DtsPowerShell.Engine.Sync;
using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests.Sync;

/// <summary>
/// A source (server defaults; time zone +05:00 so a TIMESTAMP that shifts shows) and a target for the sync tests of one
/// class, with a state file; helpers to compare tables and wait for conditions.
/// </summary>
public sealed class SyncServers : IDisposable
{
    private readonly TempDirectory folder = new();

    public SyncServers()
    {
        var sourceOptions = new MariaDbServerOptions();
        sourceOptions.ExtraArguments.Add("--default-time-zone=+05:00");
        var source = Task.Run(() => MariaDbServer.Start(sourceOptions));
        var target = Task.Run(() => MariaDbServer.Start());
        Source = source.GetAwaiter().GetResult();
        Target = target.GetAwaiter().GetResult();
        Store = StateStore.Open(folder.File("state.db"));
    }

    public MariaDbServer Source { get; }

    public MariaDbServer Target { get; }

    public StateStore Store { get; }

    public ConnectionSettings SourceSettings => SettingsOf(Source);

    public ConnectionSettings TargetSettings => SettingsOf(Target);

    /// <summary>The test's connection to a server: root over TCP, no TLS.</summary>
    public static ConnectionSettings SettingsOf(MariaDbServer server) => new(new ServerEndpoint(server.Host, server.Port), "root", "", DtsSslMode.None);

    /// <summary>A source of a test's own that writes full row metadata (binlog_row_metadata=FULL), for the tests about that setting.</summary>
    public static MariaDbServer StartFullMetadataSource()
    {
        var options = new MariaDbServerOptions();
        options.ExtraArguments.Add("--binlog-row-metadata=FULL");
        return MariaDbServer.Start(options);
    }

    /// <summary>Asks a worker run in-process to stop, and checks that it ends Stopped.</summary>
    public static async Task StopAsync(SyncWorker worker, Task<SyncJobState> run)
    {
        ArgumentNullException.ThrowIfNull(worker);
        worker.RequestStop();
        Assert.Equal(SyncJobState.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(90)));
    }

    public SyncJob CreateJob(string[] objects, InitialSync initialSync = InitialSync.Schema | InitialSync.Data, IDictionary<string, string>? mapping = null, string? startPosition = null,
        ConflictPolicy conflictPolicy = ConflictPolicy.Fail, SyncOperations operations = SyncOperations.All)
    {
        var selection = ObjectSelection.Parse(objects);
        return Store.Jobs.Create(new SyncJobDefinition(null, SourceSettings, TargetSettings, selection,
            NameMapping.Create(mapping ?? new Dictionary<string, string>(), selection), initialSync, startPosition, conflictPolicy, operations));
    }

    /// <summary>Purges the source's binlogs but its current one (after a FLUSH BINARY LOGS, the changes before it are gone).</summary>
    public void PurgeSourceBinlogs(TimeSpan deadline)
    {
        var last = Source.Sql("SHOW MASTER STATUS").Split('\t')[0];
        // A dump thread still reading a file keeps it from being purged, and MariaDB keeps a file until its storage
        // engines have checkpointed it: purge until the older files are gone.
        WaitFor(() => Source.Sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'") == "0", deadline, "the dump thread to end");
        WaitFor(() =>
        {
            Source.Sql($"PURGE BINARY LOGS TO '{last}'");
            return Source.Sql("SHOW BINARY LOGS").Split('\t')[0] == last;
        }, deadline, "the older binlogs to be purged");
    }

    /// <summary>SHOW CREATE TABLE without the AUTO_INCREMENT counter (a server-side detail the sync does not carry).</summary>
    public static string Structure(MariaDbServer server, string table) =>
        System.Text.RegularExpressions.Regex.Replace(server.Sql($"SHOW CREATE TABLE {table}").Split('\t', 2)[1], @" AUTO_INCREMENT=\d+", "");

    /// <summary>CHECKSUM TABLE and the row count of a table on a server.</summary>
    public static string Fingerprint(MariaDbServer server, string table) =>
        server.Sql($"CHECKSUM TABLE {table}").Split('\t')[^1] + "/" + server.Sql($"SELECT COUNT(*) FROM {table}");

    /// <summary>Waits until each source table equals its target table (same checksum and count), or fails naming the first that does not.</summary>
    public void WaitUntilEqual(TimeSpan deadline, params (string Source, string Target)[] tables) => WaitUntilEqual(deadline, null, tables);

    /// <summary>As above; <paramref name="describe"/> adds what the sync says of itself to a failure.</summary>
    public void WaitUntilEqual(TimeSpan deadline, Func<string>? describe, params (string Source, string Target)[] tables)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var differing = tables.Where(t => !TryFingerprint(Target, t.Target, out var target) || Fingerprint(Source, t.Source) != target).ToList();
            if (differing.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                var (s, t) = differing[0];
                Assert.Fail($"{s} (source {Fingerprint(Source, s)}) and {t} (target {(TryFingerprint(Target, t, out var f) ? f : "missing")}) still differ after {deadline.TotalSeconds} s. {describe?.Invoke()}");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>Sends a signal to a server (STOP freezes it without closing a connection, CONT thaws it).</summary>
    public static void Signal(MariaDbServer server, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {server.Pid}");
        if (!kill.WaitForExit(10_000) || kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {server.Pid} failed.");
        }
    }

    public static void WaitFor(Func<bool> condition, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Timed out after {deadline.TotalSeconds} s waiting for {what}.");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        // A failed test leaves its job's worker running: it would retry against the servers' ports for good.
        foreach (var job in Store.Jobs.List())
        {
            if (Store.Status.GetWorker(job.Id) is { } worker)
            {
                WorkerProcess.Kill(worker.ProcessId, worker.Identity, TimeSpan.FromSeconds(10));
            }
        }

        Source.Dispose();
        Target.Dispose();
        folder.Dispose();
    }

    private static bool TryFingerprint(MariaDbServer server, string table, out string fingerprint)
    {
        try
        {
            fingerprint = Fingerprint(server, table);
            return !fingerprint.StartsWith("NULL", StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            fingerprint = "";
            return false;
        }
    }
}
