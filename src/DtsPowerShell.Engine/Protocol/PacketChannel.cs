namespace DtsPowerShell.Engine.Protocol;

/// <summary>
/// Reads and writes MySQL protocol packets (3-byte length, 1-byte sequence id) over a stream, joining
/// payloads split at 16 MiB. A payload returned by <see cref="ReadPacketAsync"/> stays valid only until the
/// next read: it points into a reused buffer, so reading packets costs no allocation per event.
/// </summary>
internal sealed class PacketChannel(Stream stream) : IAsyncDisposable
{
    private const int MaxPacketLength = 0xFFFFFF;
    private byte[] buffer = new byte[128 * 1024];
    private int start;
    private int end;
    private byte[] joined = [];

    public Stream Stream { get; private set; } = stream;

    private CancellationTokenSource? idle;

    /// <summary>
    /// When set, waiting longer than this for the server's next bytes fails with <see cref="TimeoutException"/>. Only
    /// waiting counts: every chunk that arrives starts the clock again (a large packet over a slow link is not
    /// silence), and time between reads (a slow consumer) is not measured.
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>The sequence id the next packet written will carry.</summary>
    public byte Sequence { get; set; }

    /// <summary>Replaces the underlying stream (after the TLS upgrade); nothing may be buffered then.</summary>
    public void Upgrade(Stream secured)
    {
        if (start != end)
        {
            throw new InvalidDataException("The server sent data before the TLS handshake.");
        }

        Stream = secured;
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var (length, first) = await ReadOneAsync(cancellationToken).ConfigureAwait(false);
        if (length < MaxPacketLength)
        {
            return first;
        }

        // A payload of 16 MiB or more arrives in pieces; the last piece is shorter than 16 MiB (maybe empty).
        var total = 0;
        Append(ref total, first.Span);
        while (length == MaxPacketLength)
        {
            ReadOnlyMemory<byte> piece;
            (length, piece) = await ReadOneAsync(cancellationToken).ConfigureAwait(false);
            Append(ref total, piece.Span);
        }

        return joined.AsMemory(0, total);
    }

    public async ValueTask WritePacketAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var offset = 0;
        do
        {
            var length = Math.Min(payload.Length - offset, MaxPacketLength);
            var packet = new byte[4 + length];
            packet[0] = (byte)length;
            packet[1] = (byte)(length >> 8);
            packet[2] = (byte)(length >> 16);
            packet[3] = Sequence++;
            payload.Span.Slice(offset, length).CopyTo(packet.AsSpan(4));
            await Stream.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
            offset += length;
            if (length < MaxPacketLength)
            {
                break;
            }
        }
        while (true);

        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        idle?.Dispose();
        return Stream.DisposeAsync();
    }

    private async ValueTask<(int Length, ReadOnlyMemory<byte> Payload)> ReadOneAsync(CancellationToken cancellationToken)
    {
        await FillAsync(4, cancellationToken).ConfigureAwait(false);
        var length = buffer[start] | (buffer[start + 1] << 8) | (buffer[start + 2] << 16);
        Sequence = (byte)(buffer[start + 3] + 1);
        start += 4;
        await FillAsync(length, cancellationToken).ConfigureAwait(false);
        var payload = buffer.AsMemory(start, length);
        start += length;
        return (length, payload);
    }

    private async ValueTask FillAsync(int count, CancellationToken cancellationToken)
    {
        if (end - start >= count)
        {
            return;
        }

        if (count > buffer.Length - start)
        {
            var target = count > buffer.Length ? new byte[Math.Max(count, buffer.Length * 2)] : buffer;
            Buffer.BlockCopy(buffer, start, target, 0, end - start);
            end -= start;
            start = 0;
            buffer = target;
        }

        while (end - start < count)
        {
            var read = await ReadSomeAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"The server closed the connection ({end - start} of {count} bytes of a packet received).");
            }

            end += read;
        }
    }

    private async ValueTask<int> ReadSomeAsync(Memory<byte> into, CancellationToken cancellationToken)
    {
        if (IdleTimeout is not { } limit)
        {
            return await Stream.ReadAsync(into, cancellationToken).ConfigureAwait(false);
        }

        // One token source, reset for each read (TryReset fails only once it has fired: then a new one).
        if (idle is null || !idle.TryReset())
        {
            idle?.Dispose();
            idle = new CancellationTokenSource();
        }

        idle.CancelAfter(limit);
        using var caller = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), idle);
        try
        {
            return await Stream.ReadAsync(into, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The server sent nothing for {limit.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private void Append(ref int total, ReadOnlySpan<byte> piece)
    {
        if ((long)total + piece.Length > 1L << 30)
        {
            throw new InvalidDataException("The server sent a packet of more than 1 GiB, the largest max_allowed_packet.");
        }

        if (joined.Length < total + piece.Length)
        {
            Array.Resize(ref joined, Math.Max(total + piece.Length, joined.Length * 2));
        }

        piece.CopyTo(joined.AsSpan(total));
        total += piece.Length;
    }
}
