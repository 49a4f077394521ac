using System.Buffers.Binary;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Reads the events of a binlog (or relay log) file in order, decoding each. Memory stays flat whatever the
/// file's size: one buffer, reused, as large as the largest event.
/// </summary>
public sealed class BinlogFileReader : IDisposable
{
    private static readonly byte[] Magic = [0xFE, (byte)'b', (byte)'i', (byte)'n'];
    private readonly Stream stream;
    private byte[] buffer = new byte[64 * 1024];

    public BinlogFileReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan))
    {
        Path = path;
    }

    public BinlogFileReader(Stream stream) => this.stream = stream;

    public string? Path { get; }

    public BinlogEventDecoder Decoder { get; } = new();

    /// <summary>The file offset of the next event.</summary>
    public long Offset { get; private set; }

    public IEnumerable<BinlogEvent> ReadEvents()
    {
        ReadMagic();
        while (ReadNextEvent() is { } length)
        {
            yield return Decoder.Decode(buffer.AsSpan(0, length));
        }
    }

    public void Dispose() => stream.Dispose();

    private void ReadMagic()
    {
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        Offset = read;
        if (read < 4 || !magic.SequenceEqual(Magic))
        {
            throw new InvalidDataException(read == 4 && magic[0] == 0xFD && magic[1..].SequenceEqual(Magic.AsSpan(1))
                ? $"{Describe()} is an encrypted binlog; decrypt it with the server's keyring first."
                : $"{Describe()} is not a binlog file: it does not start with the bytes FE 62 69 6E.");
        }
    }

    private int? ReadNextEvent()
    {
        var header = stream.ReadAtLeast(buffer.AsSpan(0, 19), 19, throwOnEndOfStream: false);
        if (header == 0)
        {
            return null;
        }

        if (header < 19)
        {
            throw new InvalidDataException($"{Describe()} ends inside an event header at offset {Offset} ({header} of 19 bytes).");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(9));
        if (length < 19 || length > int.MaxValue / 2)
        {
            throw new InvalidDataException($"{Describe()} has an event at offset {Offset} claiming {length} bytes, which cannot be.");
        }

        if (stream.CanSeek && length - 19 > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"{Describe()} ends inside the event at offset {Offset}: it claims {length} bytes, {stream.Length - stream.Position + 19} are there.");
        }

        // Grow the buffer only as the bytes arrive, so a damaged length cannot claim memory the data does not back.
        var body = 0;
        while (body < length - 19)
        {
            if (buffer.Length < 19 + body + 1)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, buffer.Length * 2L));
            }

            var read = stream.Read(buffer, 19 + body, (int)Math.Min(length, buffer.Length) - 19 - body);
            if (read == 0)
            {
                break;
            }

            body += read;
        }

        if (body < length - 19)
        {
            throw new InvalidDataException($"{Describe()} ends inside the event at offset {Offset}: {19 + body} of {length} bytes are there.");
        }

        Offset += length;
        return (int)length;
    }

    private string Describe() => Path is null ? "The binlog stream" : $"'{Path}'";
}
