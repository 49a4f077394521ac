using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Protocol;

/// <summary>
/// A MySQL protocol connection of our own (MySqlConnector has no replication commands): connects over TCP,
/// upgrades to TLS per the SSL mode, authenticates (mysql_native_password, caching_sha2_password,
/// sha256_password, mysql_clear_password over TLS, auth switch), runs text queries and sends commands.
/// </summary>
internal sealed class ProtocolConnection : IAsyncDisposable
{
    private const byte ComQuery = 0x03;
    private const int Utf8Mb4GeneralCi = 45;
    private readonly PacketChannel channel;
    private readonly TcpClient client;

    private ProtocolConnection(TcpClient client, PacketChannel channel, ServerHandshake handshake)
    {
        this.client = client;
        this.channel = channel;
        Handshake = handshake;
    }

    public ServerHandshake Handshake { get; }

    public bool IsTls { get; private set; }

    private DtsSslMode sslMode;

    public static async Task<ProtocolConnection> OpenAsync(ConnectionSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var client = new TcpClient { NoDelay = true, ReceiveBufferSize = 1 << 20 };
        // A peer that vanished without closing the link (a host gone, a cable out) is found by TCP keepalive.
        client.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, MySqlConnectionFactory.KeepaliveSeconds);
        client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
        client.Client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        PacketChannel? channel = null;
        try
        {
            await client.ConnectAsync(settings.Endpoint.Host, settings.Endpoint.Port, deadline.Token).ConfigureAwait(false);
            channel = new PacketChannel(client.GetStream());
            var handshake = ServerHandshake.Parse((await channel.ReadPacketAsync(deadline.Token).ConfigureAwait(false)).Span);
            var connection = new ProtocolConnection(client, channel, handshake);
            await connection.AuthenticateAsync(settings, deadline.Token).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeAsync(channel, client).ConfigureAwait(false);
            throw new TimeoutException($"No answer from {settings.Endpoint} within {timeout.TotalSeconds:0} s while connecting.");
        }
        catch
        {
            await DisposeAsync(channel, client).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a text query and returns its rows (values as text, null for SQL NULL); none for a statement.</summary>
    public async Task<List<string?[]>> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = new List<string?[]>();
        await QueryRowsAsync(sql, (row, columns) =>
        {
            var reader = new SpanReader(row);
            var values = new string?[columns];
            for (var i = 0; i < columns; i++)
            {
                var length = reader.ReadLengthEncodedNullable();
                values[i] = length is null ? null : Encoding.UTF8.GetString(reader.ReadBytes((int)length.Value));
            }

            rows.Add(values);
        }, null, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Runs a text query and hands each row to <paramref name="onRow"/> as it arrives, unbuffered: the row's bytes (each
    /// field length-encoded, 0xFB for NULL; valid only during the call) and the number of columns.
    /// </summary>
    /// <remarks><paramref name="afterRow"/>, when given, is awaited after each row: the place for the caller to pass on what a row completed.</remarks>
    public async Task QueryRowsAsync(string sql, RowHandler onRow, Func<ValueTask>? afterRow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        await SendCommandAsync(ComQuery, Encoding.UTF8.GetBytes(sql), cancellationToken).ConfigureAwait(false);
        var first = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        switch (FirstByte(first))
        {
            case 0x00:
                return;
            case 0xFF:
                throw MySqlServerException.FromErrorPacket(first.Span);
        }

        var columns = (int)new SpanReader(first.Span).ReadLengthEncoded();
        for (var i = 0; i < columns; i++)
        {
            await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        }

        await ReadPacketAsync(cancellationToken).ConfigureAwait(false); // EOF after the column definitions
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            var span = packet.Span;
            if (FirstByte(packet) == 0xFE && span.Length < 9)
            {
                return;
            }

            if (span[0] == 0xFF)
            {
                throw MySqlServerException.FromErrorPacket(span);
            }

            onRow(span, columns);
            if (afterRow is not null)
            {
                await afterRow().ConfigureAwait(false);
            }
        }
    }

    public async Task<string?> ScalarAsync(string sql, CancellationToken cancellationToken) =>
        (await QueryAsync(sql, cancellationToken).ConfigureAwait(false)) is [var row, ..] ? row[0] : null;

    /// <summary>Sends a command packet (sequence id 0).</summary>
    public ValueTask SendCommandAsync(byte command, ReadOnlySpan<byte> arguments, CancellationToken cancellationToken)
    {
        channel.Sequence = 0;
        var payload = new byte[1 + arguments.Length];
        payload[0] = command;
        arguments.CopyTo(payload.AsSpan(1));
        return channel.WritePacketAsync(payload, cancellationToken);
    }

    /// <summary>The first byte of a packet (its kind); an empty packet where one is expected is malformed.</summary>
    public static byte FirstByte(ReadOnlyMemory<byte> packet) =>
        packet.Length > 0 ? packet.Span[0] : throw new InvalidDataException("The server sent an empty packet where a reply was expected.");

    /// <summary>The next packet; valid until the next read.</summary>
    public ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken) => channel.ReadPacketAsync(cancellationToken);

    /// <summary>Waiting longer than this for the server's next bytes fails with <see cref="TimeoutException"/> (see <see cref="PacketChannel.IdleTimeout"/>).</summary>
    public TimeSpan? IdleTimeout
    {
        get => channel.IdleTimeout;
        set => channel.IdleTimeout = value;
    }

    public ValueTask DisposeAsync() => DisposeAsync(channel, client);

    private static async ValueTask DisposeAsync(PacketChannel? channel, TcpClient client)
    {
        if (channel is not null)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        client.Dispose();
    }

    private async Task AuthenticateAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        sslMode = settings.SslMode;
        var serverTls = Handshake.Capabilities.HasFlag(CapabilityFlags.Ssl);
        var useTls = settings.SslMode switch
        {
            DtsSslMode.None => false,
            DtsSslMode.Preferred => serverTls,
            _ => serverTls ? true : throw new AuthenticationException(
                $"The server {settings.Endpoint} does not offer TLS, which SSL mode {settings.SslMode} requires (the secure connection failed)."),
        };
        var capabilities = CapabilityFlags.LongPassword | CapabilityFlags.LongFlag | CapabilityFlags.Protocol41 | CapabilityFlags.Transactions |
            CapabilityFlags.SecureConnection | CapabilityFlags.MultiResults | CapabilityFlags.PluginAuth | CapabilityFlags.PluginAuthLengthEncodedClientData;
        capabilities &= Handshake.Capabilities | CapabilityFlags.PluginAuth;
        if (useTls)
        {
            capabilities |= CapabilityFlags.Ssl;
            var sslRequest = new PacketWriter().UInt32((uint)capabilities).UInt32(1 << 24).Byte(Utf8Mb4GeneralCi).Zeros(23);
            await channel.WritePacketAsync(sslRequest.ToArray(), cancellationToken).ConfigureAwait(false);
            await UpgradeToTlsAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        var plugin = Handshake.AuthPlugin;
        var scramble = Handshake.Scramble;
        var response = new PacketWriter().UInt32((uint)capabilities).UInt32(1 << 24).Byte(Utf8Mb4GeneralCi).Zeros(23)
            .NullTerminated(settings.User)
            .LengthEncodedBytes(AuthResponse(plugin, settings.Password, scramble))
            .NullTerminated(plugin);
        await channel.WritePacketAsync(response.ToArray(), cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var packet = (await channel.ReadPacketAsync(cancellationToken).ConfigureAwait(false)).ToArray();
            switch (FirstByte(packet))
            {
                case 0x00:
                    return;
                case 0xFF:
                    throw MySqlServerException.FromErrorPacket(packet);
                case 0xFE:
                    var reader = new SpanReader(packet.AsSpan(1));
                    plugin = reader.ReadNullTerminatedString();
                    scramble = reader.Rest.Length > 0 && reader.Rest[^1] == 0 ? reader.Rest[..^1].ToArray() : reader.Rest.ToArray();
                    await channel.WritePacketAsync(AuthResponse(plugin, settings.Password, scramble), cancellationToken).ConfigureAwait(false);
                    break;
                case 0x01:
                    await ContinueAuthenticationAsync(plugin, settings.Password, scramble, packet.AsMemory(1), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected packet 0x{packet[0]:X2} during authentication.");
            }
        }
    }

    private async Task ContinueAuthenticationAsync(string plugin, string password, byte[] scramble, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (plugin == "caching_sha2_password" && data.Length == 1 && data.Span[0] == 3)
        {
            return; // fast authentication succeeded; the OK packet follows
        }

        if (plugin == "caching_sha2_password" && data.Length == 1 && data.Span[0] == 4)
        {
            if (IsTls)
            {
                await channel.WritePacketAsync(Encoding.UTF8.GetBytes(password + "\0"), cancellationToken).ConfigureAwait(false);
                return;
            }

            await channel.WritePacketAsync(new byte[] { 2 }, cancellationToken).ConfigureAwait(false);
            var key = await channel.ReadPacketAsync(cancellationToken).ConfigureAwait(false);
            data = key[1..].ToArray();
        }

        // The server sent its RSA public key (caching_sha2_password full authentication, or sha256_password). A key
        // fetched over an unencrypted link can be an attacker's; use it only where the job asked for no security.
        if (sslMode != DtsSslMode.None)
        {
            throw new AuthenticationException(
                $"The server wants the password sent under its RSA public key, fetched over an unencrypted connection, which SSL mode {sslMode} does not allow (the secure connection failed). Use SSL mode Required or stronger on a server with TLS, or None to accept the risk.");
        }

        var pem = Encoding.ASCII.GetString(data.Span);
        await channel.WritePacketAsync(AuthenticationScrambles.RsaEncryptedPassword(password, scramble, pem), cancellationToken).ConfigureAwait(false);
    }

    private byte[] AuthResponse(string plugin, string password, byte[] scramble) => plugin switch
    {
        "mysql_native_password" => AuthenticationScrambles.NativePassword(password, scramble),
        "caching_sha2_password" => AuthenticationScrambles.CachingSha2Password(password, scramble),
        "sha256_password" => IsTls ? Encoding.UTF8.GetBytes(password + "\0") : password.Length == 0 ? [0] : [1],
        "mysql_clear_password" => IsTls ? Encoding.UTF8.GetBytes(password + "\0")
            : throw new AuthenticationException("The server asks for the password in clear text (mysql_clear_password), which is only sent over TLS; use SSL mode Required or stronger."),
        _ => throw new AuthenticationException($"The server asks for the authentication plugin '{plugin}', which this client does not support; give the account mysql_native_password or caching_sha2_password."),
    };

    private async Task UpgradeToTlsAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(channel.Stream, leaveInnerStreamOpen: false, ServerCertificateValidator.For(settings));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = settings.Endpoint.Host,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        channel.Upgrade(ssl);
        IsTls = true;
    }
}
