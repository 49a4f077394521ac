using DtsPowerShell.Engine.Connections;
using DtsPowerShell.Engine.Protocol;
using DtsPowerShell.TestServers;

namespace DtsPowerShell.Engine.Tests.Protocol;

/// <summary>Our own protocol connection against a real MariaDB server with TLS: the server must see an encrypted session.</summary>
public sealed class ProtocolConnectionTests
{
    [Theory]
    [InlineData(DtsSslMode.Required, true)]
    [InlineData(DtsSslMode.Preferred, true)]
    [InlineData(DtsSslMode.None, false)]
    public async Task The_server_sees_tls_exactly_when_the_ssl_mode_asks_for_it(DtsSslMode mode, bool encrypted)
    {
        using var server = MariaDbServer.Start(new MariaDbServerOptions { Tls = true });
        server.CreateUser("plain", "Plain-pw-1");
        var settings = new ConnectionSettings(new ServerEndpoint(server.Host, server.Port), "plain", "Plain-pw-1", mode);
        await using var connection = await ProtocolConnection.OpenAsync(settings, TimeSpan.FromSeconds(30), CancellationToken.None);

        var cipher = (await connection.QueryAsync("SHOW SESSION STATUS LIKE 'Ssl_cipher'", CancellationToken.None)).Single()[1];

        Assert.Equal(encrypted, !string.IsNullOrEmpty(cipher));
        Assert.Equal(encrypted, connection.IsTls);
    }
}
