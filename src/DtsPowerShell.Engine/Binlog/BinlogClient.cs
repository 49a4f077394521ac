using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Reads a source's binlog as a replica does: registers, dumps from a position or GTID state, verifies
/// checksums, survives idle periods (heartbeats) and dropped connections (it reconnects from the last
/// complete transaction). After a reconnect the stream starts again with a ROTATE event; events of a
/// transaction that was cut off are sent again, whole, after it.
/// </summary>
public sealed class BinlogClient(ConnectionSettings settings, BinlogClientOptions? options = null, ILogger? logger = null)
{
    private const byte ComBinlogDump = 0x12;
    private const byte ComRegisterSlave = 0x15;
    private const byte ComBinlogDumpGtid = 0x1E;
    private const ushort ThroughGtid = 0x04;
    private const int ErrorMasterFatalReadingBinlog = 1236;
    private readonly BinlogClientOptions options = options ?? new BinlogClientOptions();
    private readonly ILogger log = logger ?? NullLogger.Instance;
    private TransactionTracker? tracker;

    /// <summary>
    /// The position after the last complete transaction streamed, with the GTID state reached there; before the
    /// first, where the stream started (null until it is known).
    /// </summary>
    public BinlogPosition? Committed => tracker?.Committed;

    /// <summary>The binlog file the stream is reading now (null before the stream knows it).</summary>
    public string? CurrentFile => tracker?.File is { Length: > 0 } file ? file : null;

    /// <summary>Whether the event streamed last began a transaction (see <see cref="TransactionTracker"/>).</summary>
    public bool BeganTransaction => tracker?.Began ?? false;

    /// <summary>How many transactions the stream has completed: it grows by one with the event that ends each.</summary>
    public long CompletedTransactions { get; private set; }

    /// <summary>The version the source reported when the stream was opened.</summary>
    public string? ServerVersion { get; private set; }

    public async IAsyncEnumerable<BinlogEvent> StreamAsync(BinlogStart start, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var failures = 0;
        var resumeFrom = start;
        while (true)
        {
            StreamSession session;
            try
            {
                session = await OpenStreamAsync(resumeFrom, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsDropped(e, cancellationToken) && failures < options.ReconnectAttempts)
            {
                failures++;
                await BackOffAsync(e, resumeFrom, failures, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await using (session)
            {
                while (true)
                {
                    BinlogEvent? next;
                    try
                    {
                        next = await session.NextAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsDropped(e, cancellationToken) && failures < options.ReconnectAttempts)
                    {
                        failures++;
                        // Until a transaction completes, the place to resume from is still where the stream began
                        // (for a GTID start, the GTID set: a file position would resend what the set excludes).
                        resumeFrom = tracker!.HasCommitted ? BinlogStart.At(tracker.Committed!) : resumeFrom;
                        await BackOffAsync(e, resumeFrom, failures, cancellationToken).ConfigureAwait(false);
                        break;
                    }

                    if (next is null)
                    {
                        yield break;
                    }

                    // A complete transaction or a heartbeat shows a healthy stream: failures are counted anew.
                    var ended = tracker!.Observe(next);
                    if (ended)
                    {
                        CompletedTransactions++;
                    }

                    if (ended || next is HeartbeatEvent)
                    {
                        failures = 0;
                    }

                    yield return next;
                }
            }
        }
    }

    private async Task BackOffAsync(Exception error, BinlogStart resumeFrom, int attempt, CancellationToken cancellationToken)
    {
        log.LogWarning("The binlog stream from {Endpoint} dropped ({Error}); reconnecting from {Position} (attempt {Attempt}).", settings.Endpoint, error.Message, resumeFrom, attempt);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * (1 << Math.Min(attempt, 5)), 5000)), cancellationToken).ConfigureAwait(false);
    }

    private async Task<StreamSession> OpenStreamAsync(BinlogStart start, CancellationToken outerToken)
    {
        // Connecting, the setup queries and registering together must not outlast the timeout.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(outerToken);
        deadline.CancelAfter(options.Timeout + options.Timeout);
        var cancellationToken = deadline.Token;
        var connection = await ProtocolConnection.OpenAsync(settings, options.Timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            ServerVersion = connection.Handshake.ServerVersion;
            var version = Connections.ServerVersion.Parse(ServerVersion);
            var isMariaDb = version.IsMariaDb;
            var checksum = await connection.ScalarAsync("SELECT @@GLOBAL.binlog_checksum", cancellationToken).ConfigureAwait(false);
            await connection.QueryAsync("SET @master_binlog_checksum = @@GLOBAL.binlog_checksum, @source_binlog_checksum = @@GLOBAL.binlog_checksum", cancellationToken).ConfigureAwait(false);
            var heartbeatNanoseconds = (long)options.HeartbeatPeriod.TotalMilliseconds * 1_000_000;
            await connection.QueryAsync(string.Create(CultureInfo.InvariantCulture, $"SET @master_heartbeat_period = {heartbeatNanoseconds}"), cancellationToken).ConfigureAwait(false);

            var position = start.Position;
            if (isMariaDb)
            {
                // Capability 4: the source sends GTID events (and ANNOTATE_ROWS) as it writes them.
                await connection.QueryAsync("SET @mariadb_slave_capability = 4", cancellationToken).ConfigureAwait(false);
                if (start.GtidSet is { } gtids)
                {
                    await connection.QueryAsync($"SET @slave_connect_state = '{gtids.Replace("'", "", StringComparison.Ordinal)}', @slave_gtid_strict_mode = 0, @slave_gtid_ignore_duplicates = 0", cancellationToken).ConfigureAwait(false);
                    position = new BinlogPosition("", 4, gtids);
                }
            }
            else if (start.GtidSet is { } mySqlGtids)
            {
                position = new BinlogPosition("", 4, mySqlGtids);
            }

            position ??= await ResolveStartAsync(connection, version, start, cancellationToken).ConfigureAwait(false);
            await RegisterAsync(connection, cancellationToken).ConfigureAwait(false);
            if (!isMariaDb && start.GtidSet is { } executed)
            {
                // MySQL: the source sends every transaction not in the given set.
                var encoded = MySqlGtidSet.Parse(executed).Encode();
                var dumpGtid = new PacketWriter().UInt16(ThroughGtid).UInt32(options.ServerId).UInt32(0).UInt64(4).UInt32((uint)encoded.Length).Bytes(encoded);
                await connection.SendCommandAsync(ComBinlogDumpGtid, dumpGtid.ToArray(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (position.Position > uint.MaxValue)
                {
                    throw new NotSupportedException($"{position} is beyond 4 GiB, which COM_BINLOG_DUMP cannot address; start from a GTID set instead.");
                }

                var dump = new PacketWriter().UInt32((uint)position.Position).UInt16(0).UInt32(options.ServerId).Bytes(System.Text.Encoding.UTF8.GetBytes(position.File));
                await connection.SendCommandAsync(ComBinlogDump, dump.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            tracker = new TransactionTracker(position.File.Length > 0 ? position : null, start.GtidSet ?? start.Position?.GtidSet);
            var decoder = new BinlogEventDecoder { VerifyChecksums = options.VerifyChecksums, TableMapped = options.TableMapped, DecodeRowsOf = options.DecodeRowsOf };
            decoder.AssumeChecksum(string.Equals(checksum, "CRC32", StringComparison.OrdinalIgnoreCase) ? BinlogChecksum.Crc32 : BinlogChecksum.None);
            log.LogInformation("Streaming the binlog of {Endpoint} ({Version}) from {Position}.", settings.Endpoint, ServerVersion, position);
            // Silence counts only while waiting for bytes: a large event over a slow link, or a slow consumer, is not silence.
            connection.IdleTimeout = options.HeartbeatPeriod * 3 + options.Timeout;
            return new StreamSession(connection, decoder, connection.IdleTimeout.Value, position);
        }
        catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"The source {settings.Endpoint} did not finish setting up the binlog stream within {(options.Timeout + options.Timeout).TotalSeconds:0} s.");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<BinlogPosition> ResolveStartAsync(ProtocolConnection connection, Connections.ServerVersion version, BinlogStart start, CancellationToken cancellationToken)
    {
        if (start.FromOldest)
        {
            var logs = await connection.QueryAsync("SHOW BINARY LOGS", cancellationToken).ConfigureAwait(false);
            return logs.Count > 0 ? new BinlogPosition(logs[0][0]!, 4) : throw new InvalidOperationException("The source has no binary logs (is log_bin on?).");
        }

        // MySQL 8.2 renamed SHOW MASTER STATUS (8.4 removed the old name); MariaDB keeps it.
        var statement = !version.IsMariaDb && (version.Major > 8 || (version.Major == 8 && version.Minor >= 2)) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        var status = await connection.QueryAsync(statement, cancellationToken).ConfigureAwait(false);
        return status.Count > 0
            ? new BinlogPosition(status[0][0]!, ulong.Parse(status[0][1]!, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException("The source reports no binlog position (SHOW MASTER STATUS is empty): is log_bin on, and does the account have REPLICATION CLIENT?");
    }

    private async Task RegisterAsync(ProtocolConnection connection, CancellationToken cancellationToken)
    {
        var register = new PacketWriter().UInt32(options.ServerId).ShortString(Environment.MachineName).ShortString("").ShortString("").UInt16(0).UInt32(0).UInt32(0);
        await connection.SendCommandAsync(ComRegisterSlave, register.ToArray(), cancellationToken).ConfigureAwait(false);
        var reply = await connection.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (ProtocolConnection.FirstByte(reply) == 0xFF)
        {
            throw MySqlServerException.FromErrorPacket(reply.Span);
        }
    }

    private static bool IsDropped(Exception error, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && error is IOException or SocketException or TimeoutException or OperationCanceledException;

    /// <summary>One dump connection: reads packets, turns them into events, watches for silence.</summary>
    private sealed class StreamSession(ProtocolConnection connection, BinlogEventDecoder decoder, TimeSpan silenceLimit, BinlogPosition start) : IAsyncDisposable
    {
        public async ValueTask<BinlogEvent?> NextAsync(CancellationToken cancellationToken)
        {
            ReadOnlyMemory<byte> packet;
            try
            {
                packet = await connection.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The source sent nothing, not even a heartbeat, for {silenceLimit.TotalSeconds:0} s.");
            }

            switch (ProtocolConnection.FirstByte(packet))
            {
                case 0x00:
                    return decoder.Decode(packet.Span[1..]);
                case 0xFE when packet.Length < 9:
                    return null;
                case 0xFF:
                    var error = MySqlServerException.FromErrorPacket(packet.Span);
                    if (error.ErrorCode == ErrorMasterFatalReadingBinlog)
                    {
                        throw new BinlogUnavailableException(
                            $"The source cannot send its binlog from {start}: {error.Message} If the file was purged, Start-DtsSync -Resync copies the job's tables again from a new snapshot; keep binlogs longer (binlog_expire_logs_seconds).", error);
                    }

                    throw error;
                default:
                    throw new InvalidDataException($"Unexpected packet 0x{packet.Span[0]:X2} in the binlog stream.");
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
