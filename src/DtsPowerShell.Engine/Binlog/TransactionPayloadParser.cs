using System.Buffers.Binary;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Protocol;
using ZstdSharp;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// MySQL 8.0.20+ TRANSACTION_PAYLOAD: fields (type, length, value as length-encoded integers) up to an end
/// mark, then the transaction's events, zstd-compressed (or not), each a whole event without checksum.
/// </summary>
internal static class TransactionPayloadParser
{
    private const int EndMark = 0;
    private const int CompressionTypeField = 2;
    private const int UncompressedSizeField = 3;
    private const int Zstd = 0;
    private const int NoCompression = 255;
    private const int MaxUncompressed = 1 << 30;

    public static TransactionPayloadEvent Parse(BinlogEventHeader header, ReadOnlySpan<byte> body, Func<ReadOnlySpan<byte>, BinlogEvent> decodeInner)
    {
        var reader = new SpanReader(body);
        ulong compression = NoCompression, uncompressedSize = 0;
        while (true)
        {
            var field = reader.ReadLengthEncoded();
            if (field == EndMark)
            {
                break;
            }

            var value = new SpanReader(reader.ReadLengthEncodedBytes());
            switch (field)
            {
                case CompressionTypeField: compression = value.ReadLengthEncoded(); break;
                case UncompressedSizeField: uncompressedSize = value.ReadLengthEncoded(); break;
            }
        }

        var payload = compression switch
        {
            Zstd => Decompress(reader.Rest, uncompressedSize),
            NoCompression => reader.Rest.ToArray(),
            _ => throw new InvalidDataException($"A transaction payload uses compression type {compression}, which is not known."),
        };

        var events = new List<BinlogEvent>();
        for (var offset = 0; offset < payload.Length;)
        {
            if (payload.Length - offset < 19)
            {
                throw new InvalidDataException("A transaction payload ends inside an event header.");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(offset + 9));
            if (length < 19 || length > payload.Length - offset)
            {
                throw new InvalidDataException($"An event inside a transaction payload claims {length} bytes; {payload.Length - offset} are left.");
            }

            var type = (BinlogEventType)payload[offset + 4];
            if (type is BinlogEventType.TransactionPayload or BinlogEventType.FormatDescription or BinlogEventType.Rotate)
            {
                throw new InvalidDataException($"A transaction payload holds a {type} event, which it never may.");
            }

            events.Add(decodeInner(payload.AsSpan(offset, (int)length)));
            offset += (int)length;
        }

        return new TransactionPayloadEvent(header, compression == Zstd ? "zstd" : "none", events);
    }

    private static byte[] Decompress(ReadOnlySpan<byte> compressed, ulong expectedSize)
    {
        if (expectedSize > MaxUncompressed)
        {
            throw new InvalidDataException($"A transaction payload claims {expectedSize} bytes uncompressed.");
        }

        try
        {
            using var decompressor = new Decompressor();
            var output = new byte[expectedSize];
            var written = decompressor.Unwrap(compressed, output);
            return written == output.Length ? output : throw new InvalidDataException($"A transaction payload inflates to {written} bytes, not the {expectedSize} it claims.");
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"A transaction payload is not valid zstd data: {e.Message}", e);
        }
    }
}
