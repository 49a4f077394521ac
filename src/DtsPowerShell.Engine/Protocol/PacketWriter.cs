using System.Buffers.Binary;
using System.Text;

namespace DtsPowerShell.Engine.Protocol;

/// <summary>Builds one packet payload in the MySQL protocol's little-endian encodings.</summary>
internal sealed class PacketWriter
{
    private readonly MemoryStream buffer = new();

    public PacketWriter Byte(byte value)
    {
        buffer.WriteByte(value);
        return this;
    }

    public PacketWriter UInt16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public PacketWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public PacketWriter UInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public PacketWriter Bytes(ReadOnlySpan<byte> value)
    {
        buffer.Write(value);
        return this;
    }

    public PacketWriter Zeros(int count)
    {
        for (var i = 0; i < count; i++)
        {
            buffer.WriteByte(0);
        }

        return this;
    }

    public PacketWriter NullTerminated(string value) => Bytes(Encoding.UTF8.GetBytes(value)).Byte(0);

    public PacketWriter LengthEncoded(ulong value)
    {
        switch (value)
        {
            case < 0xFB:
                return Byte((byte)value);
            case <= 0xFFFF:
                return Byte(0xFC).UInt16((ushort)value);
            case <= 0xFFFFFF:
                return Byte(0xFD).Byte((byte)value).Byte((byte)(value >> 8)).Byte((byte)(value >> 16));
            default:
                return Byte(0xFE).UInt64(value);
        }
    }

    public PacketWriter LengthEncodedBytes(ReadOnlySpan<byte> value) => LengthEncoded((ulong)value.Length).Bytes(value);

    /// <summary>A string with a one-byte length prefix (COM_REGISTER_SLAVE's fields).</summary>
    public PacketWriter ShortString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return Byte((byte)Math.Min(bytes.Length, 255)).Bytes(bytes.AsSpan(0, Math.Min(bytes.Length, 255)));
    }

    public byte[] ToArray() => buffer.ToArray();
}
