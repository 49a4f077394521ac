namespace DtsPowerShell.Engine.Protocol;

/// <summary>The server's initial handshake packet (protocol version 10).</summary>
internal sealed record ServerHandshake(string ServerVersion, uint ConnectionId, byte[] Scramble, CapabilityFlags Capabilities, string AuthPlugin)
{
    public static ServerHandshake Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var protocol = reader.ReadByte();
        if (protocol == 0xFF)
        {
            throw MySqlServerException.FromErrorPacket(payload);
        }

        if (protocol != 10)
        {
            throw new InvalidDataException($"The server speaks protocol version {protocol}; only version 10 is supported.");
        }

        var version = reader.ReadNullTerminatedString();
        var connectionId = reader.ReadUInt32();
        var scramble = reader.ReadBytes(8).ToArray();
        reader.Skip(1);
        var capabilities = (CapabilityFlags)reader.ReadUInt16();
        if (reader.AtEnd)
        {
            return new ServerHandshake(version, connectionId, scramble, capabilities, "mysql_native_password");
        }

        reader.Skip(1 + 2);
        capabilities |= (CapabilityFlags)((uint)reader.ReadUInt16() << 16);
        var authDataLength = reader.ReadByte();
        reader.Skip(10);
        if (capabilities.HasFlag(CapabilityFlags.SecureConnection))
        {
            var second = reader.ReadBytes(Math.Max(13, authDataLength - 8));
            // The second part ends with a NUL that is not part of the scramble.
            scramble = [.. scramble, .. second[..^1]];
        }

        var plugin = capabilities.HasFlag(CapabilityFlags.PluginAuth) && !reader.AtEnd ? reader.ReadNullTerminatedString() : "mysql_native_password";
        return new ServerHandshake(version, connectionId, scramble, capabilities, plugin);
    }
}
