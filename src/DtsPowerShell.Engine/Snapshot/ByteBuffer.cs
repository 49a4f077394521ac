namespace DtsPowerShell.Engine.Snapshot;

/// <summary>A growing byte array for one chunk of LOAD DATA text.</summary>
internal sealed class ByteBuffer
{
    private byte[] bytes = new byte[1 << 16];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => bytes.AsMemory(0, Length);

    /// <summary>The bytes written, as a read-only stream over this buffer (valid until it is cleared).</summary>
    public Stream AsStream() => new MemoryStream(bytes, 0, Length, writable: false);

    public void Clear() => Length = 0;

    public void Append(byte value)
    {
        Reserve(1);
        bytes[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> values)
    {
        Reserve(values.Length);
        values.CopyTo(bytes.AsSpan(Length));
        Length += values.Length;
    }

    public void AppendAscii(string text)
    {
        Reserve(text.Length);
        foreach (var c in text)
        {
            bytes[Length++] = (byte)c;
        }
    }

    /// <summary>Bytes with LOAD DATA's escapes: backslash, tab, newline, carriage return and NUL get a backslash.</summary>
    public void AppendEscaped(ReadOnlySpan<byte> values)
    {
        Reserve(values.Length * 2);
        var target = bytes.AsSpan(Length);
        var n = 0;
        foreach (var b in values)
        {
            switch (b)
            {
                case (byte)'\\':
                    target[n++] = (byte)'\\';
                    target[n++] = (byte)'\\';
                    break;
                case (byte)'\t':
                    target[n++] = (byte)'\\';
                    target[n++] = (byte)'t';
                    break;
                case (byte)'\n':
                    target[n++] = (byte)'\\';
                    target[n++] = (byte)'n';
                    break;
                case (byte)'\r':
                    target[n++] = (byte)'\\';
                    target[n++] = (byte)'r';
                    break;
                case 0:
                    target[n++] = (byte)'\\';
                    target[n++] = (byte)'0';
                    break;
                default:
                    target[n++] = b;
                    break;
            }
        }

        Length += n;
    }

    private void Reserve(int count)
    {
        if (Length + count > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, Length + count));
        }
    }
}
