using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Changes;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;
using DtsPowerShell.Engine.Schema;
using DtsPowerShell.Engine.Snapshot;

namespace DtsPowerShell.Commands;

/// <summary>Reads binlog events from a server (as a replica does), from a job's source, or from a file.</summary>
[Cmdlet(VerbsCommon.Get, "DtsBinlogEvent", DefaultParameterSetName = ServerSet)]
[OutputType(typeof(BinlogEventView))]
public sealed class GetDtsBinlogEventCommand : DtsCmdlet
{
    private const string ServerSet = "Server";
    private const string JobSet = "Job";
    private const string PathSet = "Path";
    private const string PathJobSet = "PathJob";
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> warnings = new();
    private readonly HashSet<string> warned = new(StringComparer.Ordinal);
    private readonly List<ReadEvent> shown = [];
    private LiveSchemaSource? schema;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ServerSet, HelpMessage = "The server to read from: host or host:port.")]
    [Parameter(ParameterSetName = PathSet, HelpMessage = "With -Path: the server whose schema names and types the file's columns.")]
    [ValidateNotNullOrEmpty]
    public string? Server { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ServerSet, HelpMessage = "An account with REPLICATION SLAVE and REPLICATION CLIENT (and SELECT, to name the columns).")]
    [Parameter(ParameterSetName = PathSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "Connection security: None, Preferred, Required, VerifyCA, VerifyFull.")]
    [Parameter(ParameterSetName = PathSet)]
    public DtsSslMode SslMode { get; set; } = DtsSslMode.Preferred;

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "A PEM file of the authority that signed the server's certificate (with -SslMode VerifyCA or VerifyFull).")]
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? SslCa { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobSet, ValueFromPipeline = true, HelpMessage = "A sync job whose source to read.")]
    [Parameter(Mandatory = true, ParameterSetName = PathJobSet, ValueFromPipeline = true, HelpMessage = "With -Path: a sync job whose source's schema names and types the file's columns.")]
    public SyncJob? Job { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet, HelpMessage = "A binlog file to read.")]
    [Parameter(Mandatory = true, ParameterSetName = PathJobSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "Where to start: file:position, a GTID set, a date and time, 'oldest' or 'current' (default).")]
    [Parameter(ParameterSetName = JobSet)]
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PathJobSet)]
    public string? Start { get; set; }

    [Parameter(HelpMessage = "Where to stop: file:position (events that begin before it), a GTID (after its transaction), or a date and time (events written before it).")]
    [ValidateNotNull]
    public PSObject? Stop { get; set; }

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "Keep following new events after the end of the binlog, until Ctrl+C, -Count or -Stop.")]
    [Parameter(ParameterSetName = JobSet)]
    public SwitchParameter Wait { get; set; }

    [Parameter(HelpMessage = "Only changes and statements of these databases (wildcards allowed).")]
    [ValidateNotNullOrEmpty]
    public string[]? Database { get; set; }

    [Parameter(HelpMessage = "Only changes and statements of these tables: name or db.name, wildcards allowed.")]
    [ValidateNotNullOrEmpty]
    public string[]? Table { get; set; }

    [Parameter(HelpMessage = "Only these kinds: Insert, Update, Delete; Statement (any), Ddl (any schema change), or a DDL kind such as AlterTable.")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(BinlogKindCompleter))]
    public string[]? Type { get; set; }

    [Parameter(HelpMessage = "Stop after this many events are written.")]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    [Parameter(HelpMessage = "Seconds to wait for the server when connecting.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    protected override void ProcessRecord()
    {
        try
        {
            var filter = ChangeFilter.ByPattern(Database, Table, Type);
            var stop = Stop?.BaseObject switch
            {
                null => null,
                DateTime time => BinlogStop.AtTime(time),
                DateTimeOffset time => BinlogStop.AtTime(time),
                var text => BinlogStop.Parse(text.ToString() ?? ""),
            };
            var start = BinlogStart.ParseForReader(Start);
            var settings = Connection();
            using var schemaConnection = settings is null ? null : MySqlConnectionFactory.Create(settings, TimeSpan.FromSeconds(TimeoutSec));
            schemaConnection?.Open();
            schema = schemaConnection is null ? null : LiveSchemaSource.CreateAsync(schemaConnection, CancellationToken).GetAwaiter().GetResult();
            var binder = schema?.Binder(warnings.Enqueue);
            Action<TableMapEvent>? bind = binder is null ? null : map =>
            {
                binder.Bind(map);
                if (map.Columns.Any(c => c.Name is null) && schema!.Find(map.Database, map.Table) is null)
                {
                    warnings.Enqueue($"The server shows no schema for {map.Database}.{map.Table} to this account (or the table is gone): grant it SELECT on the table to see names and types.");
                }
            };
            if (ParameterSetName is PathSet or PathJobSet)
            {
                if (start.GtidSet is not null)
                {
                    throw new DtsInputException("A file is not read from a GTID.", "Give -Start an offset in the file (as file:offset, e.g. the Position of an event), or a date and time.");
                }

                ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), bind, new BinlogEventReader(filter, stop, null, start.Position?.Position ?? 0, start.Time, Count));
            }
            else
            {
                var end = Wait ? null : BinlogStop.At(SnapshotPosition.CurrentAsync(schemaConnection!, CancellationToken).GetAwaiter().GetResult());
                ReadServer(settings!, start, bind, new BinlogEventReader(filter, stop, end, 0, start.Time, Count), end is null);
            }
        }
        catch (DtsInputException e)
        {
            ThrowTerminatingError(InputError(e, "InvalidBinlogArgument", null));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or BinlogUnavailableException or Engine.Protocol.MySqlServerException
            or MySqlConnector.MySqlException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.GetType().Name, ErrorCategory.ReadError, ParameterSetName is PathSet or PathJobSet ? Path : Server)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = Remedy(e) },
            });
        }
    }

    /// <summary>The server to read, or whose schema names a file's columns; null for a file alone.</summary>
    private ConnectionSettings? Connection()
    {
        if (Job is { } job)
        {
            return StoredConnections(job, terminating: true)!.Value.Source;
        }

        if (Server is null)
        {
            return null;
        }

        if (Credential == PSCredential.Empty)
        {
            throw new DtsInputException($"-Server {Server} is given without -Credential.", "Give -Credential: an account on the server that may read its schema (SELECT on the tables).");
        }

        var caFile = SslCa is null ? null : TrustedAuthority.Validate(SessionState.Path.GetUnresolvedProviderPathFromPSPath(SslCa), SslMode, "SslCa");
        return new ConnectionSettings(ServerEndpoint.Parse(Server, "Server"), Credential.UserName, Credential.GetNetworkCredential().Password, SslMode, caFile);
    }

    private void ReadFile(string path, Action<TableMapEvent>? bind, BinlogEventReader reading)
    {
        var unnamed = false;
        using var reader = new BinlogFileReader(path)
        {
            Decoder = new BinlogEventDecoder
            {
                TableMapped = bind ?? (map => unnamed |= map.Columns.Any(c => c.Name is null)),
                DecodeRowsOf = reading.DecodeRowsOf,
            },
        };
        var file = System.IO.Path.GetFileName(path);
        using var events = reader.ReadEvents().GetEnumerator();
        while (!CancellationToken.IsCancellationRequested && events.MoveNext())
        {
            DrainWarnings();
            var goesOn = reading.Offer(events.Current, file, shown);
            WriteShown();
            if (!goesOn)
            {
                break;
            }
        }

        DrainWarnings();
        if (unnamed)
        {
            WriteWarning("This binlog carries no column names (binlog_row_metadata was not FULL when it was written): columns are shown by position (@1, @2…). Give -Server and -Credential, or -Job, to name and type them from that server's schema.");
        }
    }

    private void ReadServer(ConnectionSettings settings, BinlogStart start, Action<TableMapEvent>? bind, BinlogEventReader reading, bool follow)
    {
        var logger = new VerboseLogger();
        var options = new BinlogClientOptions
        {
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            // At the end of the binlog the server's heartbeat says so: sooner when the call is to end there.
            HeartbeatPeriod = TimeSpan.FromSeconds(follow ? 5 : 1),
            TableMapped = bind,
            DecodeRowsOf = reading.DecodeRowsOf,
        };
        var client = new BinlogClient(settings, options, logger);
        var events = client.StreamAsync(start, CancellationToken).GetAsyncEnumerator(CancellationToken);
        var file = "";
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    // Most events are already in the buffer: no task is made for them.
                    var next = events.MoveNextAsync();
                    more = next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    return;
                }

                logger.Drain(WriteVerbose);
                DrainWarnings();
                if (!more)
                {
                    return;
                }

                if (events.Current is RotateEvent rotate)
                {
                    file = rotate.NextFile;
                }

                var goesOn = reading.Offer(events.Current, file, shown);
                WriteShown();
                if (!goesOn)
                {
                    return;
                }
            }
        }
        finally
        {
            // Runs too when the pipeline stops early (Select-Object -First): closes the dump connection.
            events.DisposeAsync().AsTask().GetAwaiter().GetResult();
            logger.Drain(WriteVerbose);
        }
    }

    private void WriteShown()
    {
        foreach (var read in shown)
        {
            WriteObject(BinlogEventView.From(read.Event, read.File, read.Transaction, SchemaOf));
        }

        shown.Clear();
    }

    /// <summary>The schema a rows event was bound to (the server's, when its columns match), for ConvertTo-DtsSql's keys.</summary>
    private TableSchema? SchemaOf(TableMapEvent map) =>
        schema?.Find(map.Database, map.Table) is { } known && known.Columns.Count == map.Columns.Count
            && known.Columns.Select(c => c.Name).SequenceEqual(map.Columns.Select(c => c.Name)) ? known : null;

    /// <summary>Each table's schema mismatch once.</summary>
    private void DrainWarnings()
    {
        while (warnings.TryDequeue(out var warning))
        {
            if (warned.Add(warning))
            {
                WriteWarning(warning + " Columns are shown by position (@1, @2…), as the binlog has them.");
            }
        }
    }

    private static string Remedy(Exception error) => error switch
    {
        BinlogUnavailableException => "Give a -Start that the server still has (SHOW BINARY LOGS), or 'oldest'.",
        InvalidOperationException => "Check that the server has log_bin on and that the account has REPLICATION CLIENT.",
        Engine.Protocol.MySqlServerException { ErrorCode: 1045 } => "Check the user name and password.",
        Engine.Protocol.MySqlServerException { ErrorCode: 1227 } => "Grant the account REPLICATION SLAVE and REPLICATION CLIENT.",
        InvalidDataException => "The data is not a readable binlog at this point; check that the file is a binlog (not encrypted or compressed) and not damaged.",
        System.Security.Authentication.AuthenticationException => "Check the server's TLS setup; for a certificate from a private authority give its PEM file with -SslCa; or choose another -SslMode.",
        _ => "Check the address, that the server runs with log_bin on, and the network.",
    };
}
