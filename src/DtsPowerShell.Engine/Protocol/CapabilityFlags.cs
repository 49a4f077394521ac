namespace DtsPowerShell.Engine.Protocol;

/// <summary>The client/server capability bits of the MySQL handshake that this client uses.</summary>
[Flags]
internal enum CapabilityFlags : uint
{
    LongPassword = 1,
    LongFlag = 4,
    ConnectWithDb = 8,
    Protocol41 = 0x200,
    Ssl = 0x800,
    Transactions = 0x2000,
    SecureConnection = 0x8000,
    MultiResults = 0x20000,
    PluginAuth = 0x80000,
    ConnectAttributes = 0x100000,
    PluginAuthLengthEncodedClientData = 0x200000,
    DeprecateEof = 0x1000000,
}
