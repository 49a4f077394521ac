using System.Management.Automation;
using DtsPowerShell.Engine;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Jobs;

namespace DtsPowerShell.Commands;

/// <summary>Reads binlog events from a server (as a replica does), from a job's source, or from a file.</summary>
[Cmdlet(VerbsCommon.Get, "DtsBinlogEvent", DefaultParameterSetName = ServerSet)]
[OutputType(typeof(BinlogEventView))]
public sealed class GetDtsBinlogEventCommand : DtsCmdlet
{
    private const string ServerSet = "Server";
    private const string JobSet = "Job";
    private const string PathSet = "Path";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ServerSet, HelpMessage = "The server to read from: host or host:port.")]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ServerSet, HelpMessage = "An account with REPLICATION SLAVE and REPLICATION CLIENT.")]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "Connection security: None, Preferred, Required, VerifyCA, VerifyFull.")]
    public DtsSslMode SslMode { get; set; } = DtsSslMode.Preferred;

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "A PEM file of the authority that signed the server's certificate (with -SslMode VerifyCA or VerifyFull).")]
    [ValidateNotNullOrEmpty]
    public string? SslCa { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobSet, ValueFromPipeline = true, HelpMessage = "A sync job whose source to read.")]
    public SyncJob? Job { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet, HelpMessage = "A binlog file to read.")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(ParameterSetName = ServerSet, HelpMessage = "Where to start: file:position, a GTID set, 'oldest' or 'current' (default).")]
    [Parameter(ParameterSetName = JobSet)]
    public string? Start { get; set; }

    [Parameter(HelpMessage = "Stop after this many events; without it a server is read until Ctrl+C.")]
    [ValidateRange(1, int.MaxValue)]
    public int? Count { get; set; }

    [Parameter(HelpMessage = "Seconds to wait for the server when connecting.")]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    protected override void ProcessRecord()
    {
        try
        {
            if (ParameterSetName == PathSet)
            {
                ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path));
            }
            else
            {
                ReadServer(Connection());
            }
        }
        catch (DtsInputException e)
        {
            ThrowTerminatingError(InputError(e, "InvalidBinlogArgument", null));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or BinlogUnavailableException or Engine.Protocol.MySqlServerException
            or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.GetType().Name, ErrorCategory.ReadError, ParameterSetName == PathSet ? Path : Server)
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = Remedy(e) },
            });
        }
    }

    private ConnectionSettings Connection()
    {
        if (Job is { } job)
        {
            try
            {
                return Store.Jobs.GetConnections(job).Source;
            }
            catch (KeyNotFoundException)
            {
                ThrowTerminatingError(JobResolver.NotInStateFile(job, Store.Path));
            }
            catch (InvalidOperationException e)
            {
                ThrowTerminatingError(JobResolver.CredentialsUnreadable(e, job, Store.Path));
            }
        }

        var caFile = SslCa is null ? null : TrustedAuthority.Validate(SessionState.Path.GetUnresolvedProviderPathFromPSPath(SslCa), SslMode, "SslCa");
        return new ConnectionSettings(ServerEndpoint.Parse(Server, "Server"), Credential.UserName, Credential.GetNetworkCredential().Password, SslMode, caFile);
    }

    private void ReadFile(string path)
    {
        using var reader = new BinlogFileReader(path);
        var file = System.IO.Path.GetFileName(path);
        var written = 0;
        using var events = reader.ReadEvents().GetEnumerator();
        while ((Count is not { } count || written < count) && !CancellationToken.IsCancellationRequested && events.MoveNext())
        {
            WriteEvent(events.Current, file);
            written++;
        }
    }

    /// <summary>Writes an event, and the events a compressed transaction holds after it.</summary>
    private void WriteEvent(BinlogEvent binlogEvent, string file)
    {
        WriteObject(BinlogEventView.From(binlogEvent, file));
        if (binlogEvent is TransactionPayloadEvent payload)
        {
            foreach (var inner in payload.Events)
            {
                WriteObject(BinlogEventView.From(inner, file));
            }
        }
    }

    private void ReadServer(ConnectionSettings settings)
    {
        var logger = new VerboseLogger();
        var client = new BinlogClient(settings, new BinlogClientOptions { Timeout = TimeSpan.FromSeconds(TimeoutSec) }, logger);
        var events = client.StreamAsync(BinlogStart.Parse(Start), CancellationToken).GetAsyncEnumerator(CancellationToken);
        var file = "";
        var written = 0;
        try
        {
            while (Count is not { } count || written < count)
            {
                bool more;
                try
                {
                    more = events.MoveNextAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
                {
                    return;
                }

                logger.Drain(WriteVerbose);
                if (!more)
                {
                    return;
                }

                if (events.Current is RotateEvent rotate)
                {
                    file = rotate.NextFile;
                }

                WriteEvent(events.Current, file);
                written++;
            }
        }
        finally
        {
            // Runs too when the pipeline stops early (Select-Object -First): closes the dump connection.
            events.DisposeAsync().AsTask().GetAwaiter().GetResult();
            logger.Drain(WriteVerbose);
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
