using System.Buffers.Binary;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>Binlog events built byte by byte for decoder tests.</summary>
internal static class HandBuiltEvents
{
    /// <summary>A v4 event without checksum: the 19-byte header (type and length set, the rest zero) and the body.</summary>
    public static byte[] Event(byte type, byte[] body)
    {
        var bytes = new byte[19 + body.Length];
        bytes[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(9), (uint)bytes.Length);
        body.CopyTo(bytes, 19);
        return bytes;
    }
}
