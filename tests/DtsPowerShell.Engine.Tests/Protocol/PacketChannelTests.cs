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
    public async Task Bytes_arriving_inside_a_packet_are_reported_so_a_slow_large_event_is_not_silence()
    {
        var wire = new MemoryStream();
        await new PacketChannel(wire).WritePacketAsync(new byte[1000], CancellationToken.None);
        wire.Position = 0;
        var arrivals = 0;
        var reader = new PacketChannel(new TrickleStream(wire, 10)) { DataReceived = () => arrivals++ };
        Assert.Equal(1000, (await reader.ReadPacketAsync(CancellationToken.None)).Length);
        Assert.True(arrivals >= 100, $"{arrivals} arrivals reported for 1004 bytes read 10 at a time");
    }

    /// <summary>Hands out at most a few bytes per read, as a slow link does.</summary>
    private sealed class TrickleStream(Stream inner, int chunk) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
