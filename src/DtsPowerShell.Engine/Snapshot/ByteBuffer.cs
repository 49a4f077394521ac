namespace DtsPowerShell.Engine.Snapshot;

/// <summary>A growing byte array for one chunk of LOAD DATA text.</summary>
internal sealed class ByteBuffer
{
    private static readonly System.Buffers.SearchValues<byte> Escaped = System.Buffers.SearchValues.Create("\\\t\n\r\0"u8);
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
        while (values.Length > 0)
        {
            // Copy the run up to the next byte that needs an escape in one go (vectorised search).
            var run = values.IndexOfAny(Escaped);
            if (run < 0)
            {
                run = values.Length;
            }

            values[..run].CopyTo(target[n..]);
            n += run;
            if (run == values.Length)
            {
                break;
            }

            target[n++] = (byte)'\\';
            target[n++] = values[run] switch
            {
                (byte)'\t' => (byte)'t',
                (byte)'\n' => (byte)'n',
                (byte)'\r' => (byte)'r',
                0 => (byte)'0',
                var b => b,
            };
            values = values[(run + 1)..];
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
