using System.IO.Compression;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// MariaDB's compressed event data (log_bin_compress): one header byte (0x80 | the number of bytes, 1 to 4,
/// that hold the uncompressed length, big-endian), the length, then a zlib stream.
/// </summary>
internal static class MariaDbCompression
{
    private const int MaxLength = 1 << 30;

    public static byte[] Decompress(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || (data[0] & 0x80) == 0 || (data[0] & 0x07) is 0 or > 4 || data.Length < 1 + (data[0] & 0x07))
        {
            throw new InvalidDataException("A compressed MariaDB event has no valid compression header.");
        }

        var lengthBytes = data[0] & 0x07;
        long length = 0;
        for (var i = 1; i <= lengthBytes; i++)
        {
            length = (length << 8) | data[i];
        }

        if (length > MaxLength)
        {
            throw new InvalidDataException($"A compressed MariaDB event claims {length} bytes uncompressed.");
        }

        var output = new byte[length];
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(data[(1 + lengthBytes)..].ToArray()), CompressionMode.Decompress);
            zlib.ReadExactly(output);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"A compressed MariaDB event does not inflate to its {length} bytes: {e.Message}", e);
        }

        return output;
    }
}
