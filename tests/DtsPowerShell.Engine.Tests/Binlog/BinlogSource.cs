using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// A MariaDB server of the test class's own (binlog_row_metadata=FULL) and a replication account on it; also
/// made directly by tests that need a server started with options of their own.
/// </summary>
public sealed class BinlogSource : IDisposable
{
    public const string User = "repl";
    public const string Password = "Repl-pw-9";

    public BinlogSource()
        : this(new MariaDbServerOptions())
    {
    }

    private BinlogSource(MariaDbServerOptions options)
    {
        options.ExtraArguments.Add("--binlog-row-metadata=FULL");
        Server = MariaDbServer.Start(options);
        Server.CreateUser(User, Password, "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO {user}");
    }

    public MariaDbServer Server { get; }

    /// <summary>A source of a test's own, started with <paramref name="options"/> (binlog_row_metadata=FULL added).</summary>
    public static BinlogSource Start(MariaDbServerOptions options) => new(options);

    public ConnectionSettings Replication => ReplicationWith(DtsSslMode.None);

    /// <summary>The replication account with an SSL mode (and CA file), or through a proxy on another local port.</summary>
    public ConnectionSettings ReplicationWith(DtsSslMode sslMode, string? caFile = null, int? port = null) =>
        new(new ServerEndpoint(Server.Host, port ?? Server.Port), User, Password, sslMode, caFile);

    public BinlogPosition CurrentPosition()
    {
        var status = Server.Sql("SHOW MASTER STATUS").Split('\t');
        return new BinlogPosition(status[0], ulong.Parse(status[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Streams from <paramref name="start"/> until <paramref name="done"/> holds for the events so far, or the deadline passes.</summary>
    public async Task<List<BinlogEvent>> StreamUntilAsync(BinlogClient client, BinlogStart start, Func<List<BinlogEvent>, bool> done, TimeSpan? deadline = null, Action<List<BinlogEvent>>? onEvent = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(60));
        var events = new List<BinlogEvent>();
        await foreach (var binlogEvent in client.StreamAsync(start, timeout.Token))
        {
            events.Add(binlogEvent);
            onEvent?.Invoke(events);
            if (done(events))
            {
                return events;
            }
        }

        throw new InvalidOperationException("The stream ended before the expected events arrived.");
    }

    public void Dispose() => Server.Dispose();
}
