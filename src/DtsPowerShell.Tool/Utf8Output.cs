using System.Text;

namespace DtsPowerShell.Tool;

/// <summary>
/// Buffered UTF-8 text output straight into bytes: numbers and dates are formatted in place and strings encoded
/// once, without the UTF-16 round trip (and the culture lookups) of a <see cref="TextWriter"/>.
/// </summary>
internal sealed class Utf8Output(Stream stream) : IDisposable
{
    private readonly byte[] buffer = new byte[1 << 16];
    private int used;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > buffer.Length - used)
        {
            Flush();
            if (bytes.Length > buffer.Length)
            {
                stream.Write(bytes);
                return;
            }
        }

        bytes.CopyTo(buffer.AsSpan(used));
        used += bytes.Length;
    }

    public void Write(byte value)
    {
        if (used == buffer.Length)
        {
            Flush();
        }

        buffer[used++] = value;
    }

    public void Write(string text)
    {
        // The worst case (3 bytes a character) is cheap to check; the exact size only when that does not fit.
        if (Encoding.UTF8.GetMaxByteCount(text.Length) > buffer.Length - used)
        {
            var size = Encoding.UTF8.GetByteCount(text);
            if (size > buffer.Length - used)
            {
                Flush();
            }

            if (size > buffer.Length)
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                return;
            }
        }

        used += Encoding.UTF8.GetBytes(text, buffer.AsSpan(used));
    }

    /// <summary>Numbers, dates and times in the invariant culture, with an optional format.</summary>
    public void Write<T>(T value, ReadOnlySpan<char> format = default)
        where T : IUtf8SpanFormattable
    {
        if (!value.TryFormat(buffer.AsSpan(used), out var written, format, System.Globalization.CultureInfo.InvariantCulture))
        {
            Flush();
            if (!value.TryFormat(buffer, out written, format, System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"A {value.GetType().Name} value does not fit in {buffer.Length} bytes of text.");
            }
        }

        used += written;
    }

    public void WriteLine() => Write((byte)'\n');

    public void Flush()
    {
        stream.Write(buffer, 0, used);
        used = 0;
    }

    public void Dispose()
    {
        Flush();
        stream.Dispose();
    }
}
