using System.IO.Compression;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// Values of MariaDB columns with the COMPRESSED attribute, as stored and logged: one header byte, then either
/// the value itself (top bit clear) or its length (big-endian, in as many bytes as the low three bits say)
/// and the value as a raw deflate stream (no zlib header; seen on MariaDB 10.11). An empty value has no header.
/// </summary>
internal static class MariaDbColumnCompression
{
    public static byte[] Decompress(ReadOnlySpan<byte> stored)
    {
        if (stored.Length == 0)
        {
            return [];
        }

        var header = stored[0];
        if ((header & 0x80) == 0)
        {
            return stored[1..].ToArray();
        }

        var lengthBytes = header & 0x07;
        if (lengthBytes is 0 or > 4 || stored.Length < 1 + lengthBytes)
        {
            throw new InvalidDataException($"A compressed column value has an invalid header 0x{header:X2}.");
        }

        long length = 0;
        for (var i = 1; i <= lengthBytes; i++)
        {
            length = (length << 8) | stored[i];
        }

        if (length > 1 << 30)
        {
            throw new InvalidDataException($"A compressed column value claims {length} bytes.");
        }

        var value = new byte[length];
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(stored[(1 + lengthBytes)..].ToArray()), CompressionMode.Decompress);
            deflate.ReadExactly(value);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"A compressed column value does not inflate to its {length} bytes: {e.Message}", e);
        }

        return value;
    }
}
