using System.Buffers.Binary;
using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Reads the events of a binlog (or relay log) file in order, decoding each in place in a window of the file
/// read in large chunks. Memory stays flat whatever the file's size: one buffer, reused, grown only for an
/// event larger than it, and only as that event's bytes arrive.
/// </summary>
public sealed class BinlogFileReader : IDisposable
{
    private const int HeaderLength = 19;
    private static readonly byte[] Magic = [0xFE, (byte)'b', (byte)'i', (byte)'n'];
    private readonly Stream stream;
    private byte[] buffer = new byte[1 << 20];
    private int start;
    private int end;

    public BinlogFileReader(string path)
        : this(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
    {
        Path = path;
    }

    public BinlogFileReader(Stream stream) => this.stream = stream;

    public string? Path { get; }

    /// <summary>The decoder, set to one with hooks (<see cref="BinlogEventDecoder.TableMapped"/>, <see cref="BinlogEventDecoder.DecodeRowsOf"/>) where needed.</summary>
    public BinlogEventDecoder Decoder { get; init; } = new();

    /// <summary>The file offset of the next event.</summary>
    public long Offset { get; private set; }

    public IEnumerable<BinlogEvent> ReadEvents()
    {
        ReadMagic();
        while (NextEvent() is { } at)
        {
            yield return Decoder.Decode(buffer.AsSpan(at.Start, at.Length));
        }
    }

    public void Dispose() => stream.Dispose();

    private void ReadMagic()
    {
        var available = Fill(4);
        Offset = Math.Min(available, 4);
        if (available < 4 || !buffer.AsSpan(start, 4).SequenceEqual(Magic))
        {
            throw new InvalidDataException(available >= 4 && buffer[start] == 0xFD && buffer.AsSpan(start + 1, 3).SequenceEqual(Magic.AsSpan(1))
                ? $"{Describe()} is an encrypted binlog; decrypt it with the server's keyring first."
                : $"{Describe()} is not a binlog file: it does not start with the bytes FE 62 69 6E.");
        }

        start += 4;
    }

    private (int Start, int Length)? NextEvent()
    {
        var available = Fill(HeaderLength);
        if (available == 0)
        {
            return null;
        }

        if (available < HeaderLength)
        {
            throw new InvalidDataException($"{Describe()} ends inside an event header at offset {Offset} ({available} of 19 bytes).");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(start + 9));
        if (length < HeaderLength || length > int.MaxValue / 2)
        {
            throw new InvalidDataException($"{Describe()} has an event at offset {Offset} claiming {length} bytes, which cannot be.");
        }

        // Asking a file for its length is a system call: only when the event is not in the window already.
        if (length > end - start && stream.CanSeek && length > stream.Length - stream.Position + (end - start))
        {
            throw new InvalidDataException($"{Describe()} ends inside the event at offset {Offset}: it claims {length} bytes, {stream.Length - stream.Position + (end - start)} are there.");
        }

        available = Fill((int)length);
        if (available < length)
        {
            throw new InvalidDataException($"{Describe()} ends inside the event at offset {Offset}: {available} of {length} bytes are there.");
        }

        var at = (start, (int)length);
        start += (int)length;
        Offset += length;
        return at;
    }

    /// <summary>Makes up to <paramref name="count"/> bytes available from <see cref="start"/>; returns how many are.</summary>
    private int Fill(int count)
    {
        if (end - start >= count)
        {
            return count;
        }

        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        while (end < count)
        {
            // Grow only as the data arrives, so a damaged length cannot claim memory the data does not back.
            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(count, buffer.Length * 2L));
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                break;
            }

            end += read;
        }

        return Math.Min(end, count);
    }

    private string Describe() => Path is null ? "The binlog stream" : $"'{Path}'";
}
