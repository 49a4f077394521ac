using System.Globalization;

namespace DtsPowerShell.Engine.Connections;

/// <summary>A MySQL server address: <c>host</c>, <c>host:port</c> or <c>[ipv6]:port</c>; the port is 3306 by default.</summary>
public sealed record ServerEndpoint(string Host, int Port)
{
    public const int DefaultPort = 3306;

    public static ServerEndpoint Parse(string text, string what)
    {
        var value = text?.Trim() ?? "";
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid(text, what, "the '[' of an IPv6 address is not closed");
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw Invalid(text, what, "only ':port' may follow ']'");
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            host = value[..value.IndexOf(':', StringComparison.Ordinal)];
            port = value[(value.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }
        else if (value.Contains(':', StringComparison.Ordinal)
            && !(System.Net.IPAddress.TryParse(value, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
        {
            throw Invalid(text, what, "it has more than one ':' and is not an IPv6 address (with a port, an IPv6 address goes in brackets)");
        }
        else
        {
            host = value;
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw Invalid(text, what, "the host is empty or has spaces");
        }

        var number = DefaultPort;
        if (port is not null && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number is < 1 or > 65535))
        {
            throw Invalid(text, what, $"'{port}' is not a port number from 1 to 65535");
        }

        return new ServerEndpoint(host, number);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static DtsInputException Invalid(string? text, string what, string why) =>
        new($"{what} '{text}' is not a server address: {why}.", "Give host or host:port, e.g. db1.example.com or 10.0.0.5:3307 ([::1]:3306 for IPv6).");
}
