namespace DtsPowerShell.Engine.Binlog;

/// <summary>Unsigned big-endian integers of 1 to 8 bytes (DECIMAL groups, temporal values, BIT, compression headers).</summary>
internal static class BigEndian
{
    public static ulong Read(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
