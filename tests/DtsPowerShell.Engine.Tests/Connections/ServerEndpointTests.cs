using DtsPowerShell.Engine.Connections;

namespace DtsPowerShell.Engine.Tests.Connections;

public class ServerEndpointTests
{
    [Theory]
    [InlineData("db1", "db1", 3306, "db1:3306")]
    [InlineData("10.0.0.5:3307", "10.0.0.5", 3307, "10.0.0.5:3307")]
    [InlineData("[::1]:3310", "::1", 3310, "[::1]:3310")]
    [InlineData("[fe80::1]", "fe80::1", 3306, "[fe80::1]:3306")]
    [InlineData("fe80::1", "fe80::1", 3306, "[fe80::1]:3306")]
    [InlineData(" host.example.com:1 ", "host.example.com", 1, "host.example.com:1")]
    public void Parses_host_and_port(string text, string host, int port, string display)
    {
        var endpoint = ServerEndpoint.Parse(text, "Source");
        Assert.Equal((host, port), (endpoint.Host, endpoint.Port));
        Assert.Equal(display, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(":3306")]
    [InlineData("db1:0")]
    [InlineData("db1:65536")]
    [InlineData("db1:port")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("my host")]
    [InlineData("127.0.0.1:3601:3602")]
    [InlineData("db1:3306:")]
    public void Rejects_bad_addresses_with_a_remedy(string text)
    {
        var error = Assert.Throws<DtsInputException>(() => ServerEndpoint.Parse(text, "Source"));
        Assert.Contains("host:port", error.Remedy, StringComparison.Ordinal);
    }
}
