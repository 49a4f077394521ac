using System.IO.Compression;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// MariaDB's two compressed formats, which share a header: one byte (top bit set; the low three bits say how
/// many bytes, 1 to 4, hold the uncompressed length, big-endian), the length, then the compressed bytes.
/// Compressed events (log_bin_compress) hold a zlib stream; COMPRESSED columns hold raw deflate (seen on
/// MariaDB 10.11), and a column value whose top bit is clear is stored as is after the header byte.
/// </summary>
internal static class MariaDbCompression
{
    private const int MaxLength = 1 << 30;

    public static byte[] DecompressEvent(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || (data[0] & 0x80) == 0)
        {
            throw new InvalidDataException("A compressed MariaDB event has no valid compression header.");
        }

        return Inflate(data, zlibHeader: true, "compressed MariaDB event");
    }

    public static byte[] DecompressColumn(ReadOnlySpan<byte> stored)
    {
        if (stored.Length == 0)
        {
            return [];
        }

        return (stored[0] & 0x80) == 0 ? stored[1..].ToArray() : Inflate(stored, zlibHeader: false, "compressed column value");
    }

    private static byte[] Inflate(ReadOnlySpan<byte> data, bool zlibHeader, string what)
    {
        var lengthBytes = data[0] & 0x07;
        if (lengthBytes is 0 or > 4 || data.Length < 1 + lengthBytes)
        {
            throw new InvalidDataException($"A {what} has an invalid header 0x{data[0]:X2}.");
        }

        var length = BigEndian.Read(data.Slice(1, lengthBytes));
        if (length > MaxLength)
        {
            throw new InvalidDataException($"A {what} claims {length} bytes uncompressed.");
        }

        var output = new byte[length];
        try
        {
            var compressed = new MemoryStream(data[(1 + lengthBytes)..].ToArray());
            using Stream inflater = zlibHeader ? new ZLibStream(compressed, CompressionMode.Decompress) : new DeflateStream(compressed, CompressionMode.Decompress);
            inflater.ReadExactly(output);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"A {what} does not inflate to its {length} bytes: {e.Message}", e);
        }

        return output;
    }
}
