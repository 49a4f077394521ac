using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Tests.Protocol;

public class PacketChannelTests
{
    [Fact]
    public async Task Joins_a_payload_split_at_16_MiB_and_keeps_sequence_ids()
    {
        var payload = new byte[0xFFFFFF + 10];
        new Random(7).NextBytes(payload);
        var wire = new MemoryStream();
        await new PacketChannel(wire).WritePacketAsync(payload, CancellationToken.None);
        await new PacketChannel(wire) { Sequence = 2 }.WritePacketAsync(new byte[] { 42 }, CancellationToken.None);

        wire.Position = 0;
        var reader = new PacketChannel(wire);
        Assert.Equal(payload, (await reader.ReadPacketAsync(CancellationToken.None)).ToArray());
        Assert.Equal(2, reader.Sequence);
        Assert.Equal([42], (await reader.ReadPacketAsync(CancellationToken.None)).ToArray());
        Assert.Equal(3, reader.Sequence);
    }

    [Fact]
    public async Task A_payload_of_exactly_16_MiB_is_followed_by_an_empty_packet()
    {
        var payload = new byte[0xFFFFFF];
        var wire = new MemoryStream();
        await new PacketChannel(wire).WritePacketAsync(payload, CancellationToken.None);
        Assert.Equal(4 + 0xFFFFFF + 4, wire.Length);
        wire.Position = 0;
        Assert.Equal(payload.Length, (await new PacketChannel(wire).ReadPacketAsync(CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_connection_closed_inside_a_packet_is_an_end_of_stream()
    {
        var wire = new MemoryStream([10, 0, 0, 0, 1, 2, 3]);
        var error = await Assert.ThrowsAsync<EndOfStreamException>(async () => await new PacketChannel(wire).ReadPacketAsync(CancellationToken.None));
        Assert.Contains("3 of 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_packet_arriving_slowly_in_small_chunks_is_not_silence()
    {
        // 1004 bytes, 20 per read, each after 50 ms: 51 waits, at least 2.5 s in all - longer than the 2 s limit,
        // which no single wait comes near.
        var wire = new MemoryStream();
        await new PacketChannel(wire).WritePacketAsync(new byte[1000], CancellationToken.None);
        wire.Position = 0;
        var reader = new PacketChannel(new TrickleStream(wire, 20, TimeSpan.FromMilliseconds(50))) { IdleTimeout = TimeSpan.FromSeconds(2) };
        Assert.Equal(1000, (await reader.ReadPacketAsync(CancellationToken.None)).Length);
    }

    [Fact]
    public async Task A_server_that_stops_sending_is_a_timeout_and_the_callers_cancellation_stays_a_cancellation()
    {
        var silent = new PacketChannel(new TrickleStream(new MemoryStream([10, 0, 0, 0, 1, 2]), 100, Timeout.InfiniteTimeSpan, stallAtEnd: true)) { IdleTimeout = TimeSpan.FromMilliseconds(200) };
        var error = await Assert.ThrowsAsync<TimeoutException>(async () => await silent.ReadPacketAsync(CancellationToken.None));
        Assert.Contains("sent nothing", error.Message, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource();
        var waiting = new PacketChannel(new TrickleStream(new MemoryStream([10, 0, 0, 0]), 100, Timeout.InfiniteTimeSpan, stallAtEnd: true)) { IdleTimeout = TimeSpan.FromMinutes(10) };
        var read = waiting.ReadPacketAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    /// <summary>Hands out at most a few bytes per read with a pause before each, as a slow link does; can stall at the end like a silent server.</summary>
    private sealed class TrickleStream(Stream inner, int chunk, TimeSpan pause, bool stallAtEnd = false) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (stallAtEnd && inner.Position == inner.Length)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            else if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }

            return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
