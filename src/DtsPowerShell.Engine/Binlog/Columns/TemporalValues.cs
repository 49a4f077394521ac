using System.Buffers.Binary;
using MySqlConnector;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// Decodes DATE, TIME, DATETIME and TIMESTAMP in the binlog's old and new (MySQL 5.6.4+, "2") formats.
/// Dates, datetimes and timestamps become <see cref="MySqlDateTime"/> (zero and partly zero dates included;
/// timestamps in UTC, as stored), times <see cref="TimeSpan"/> (negative and over 24 hours included).
/// </summary>
internal static class TemporalValues
{
    public static MySqlDateTime Date(uint packed) =>
        new((int)(packed >> 9), (int)((packed >> 5) & 15), (int)(packed & 31), 0, 0, 0, 0);

    /// <summary>Old TIME: a signed 24-bit HHMMSS number.</summary>
    public static TimeSpan Time(int hhmmss)
    {
        var magnitude = Math.Abs(hhmmss);
        var time = new TimeSpan(magnitude / 10000, (magnitude / 100) % 100, magnitude % 100);
        return hhmmss < 0 ? -time : time;
    }

    /// <summary>Old DATETIME: the decimal number YYYYMMDDhhmmss.</summary>
    public static MySqlDateTime DateTime(ulong number)
    {
        var date = number / 1000000;
        var time = number % 1000000;
        return new MySqlDateTime((int)(date / 10000), (int)((date / 100) % 100), (int)(date % 100), (int)(time / 10000), (int)((time / 100) % 100), (int)(time % 100), 0);
    }

    /// <summary>Seconds since 1970 in UTC; 0 is the zero timestamp 0000-00-00 00:00:00.</summary>
    public static MySqlDateTime Timestamp(uint seconds, int microseconds)
    {
        if (seconds == 0 && microseconds == 0)
        {
            return new MySqlDateTime(0, 0, 0, 0, 0, 0, 0);
        }

        var utc = System.DateTime.UnixEpoch.AddSeconds(seconds);
        return new MySqlDateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, microseconds);
    }

    public static int FractionBytes(int precision) => precision is >= 0 and <= 6
        ? (precision + 1) / 2
        : throw new InvalidDataException($"A fractional-second precision of {precision} is not valid (0-6).");

    /// <summary>TIMESTAMP(fsp): 4 bytes of seconds, then the fraction, all big-endian.</summary>
    public static MySqlDateTime Timestamp2(ReadOnlySpan<byte> data, int precision) =>
        Timestamp(BinaryPrimitives.ReadUInt32BigEndian(data), Fraction(data[4..], precision));

    /// <summary>DATETIME(fsp): 40 bits (sign, year*13+month, day, hour, minute, second) then the fraction.</summary>
    public static MySqlDateTime DateTime2(ReadOnlySpan<byte> data, int precision)
    {
        var packed = (long)BigEndian.Read(data[..5]) - 0x8000000000L;
        var microseconds = Fraction(data[5..], precision);
        var yearMonthDay = packed >> 17;
        var yearMonth = yearMonthDay >> 5;
        var hms = packed & 0x1FFFF;
        return new MySqlDateTime((int)(yearMonth / 13), (int)(yearMonth % 13), (int)(yearMonthDay & 31),
            (int)(hms >> 12), (int)((hms >> 6) & 63), (int)(hms & 63), microseconds);
    }

    /// <summary>TIME(fsp): 24 bits (sign, hour, minute, second) then the fraction; negative times borrow from the fraction.</summary>
    public static TimeSpan Time2(ReadOnlySpan<byte> data, int precision)
    {
        var bytes = FractionBytes(precision);
        long packed;
        if (bytes is 1 or 2)
        {
            // The whole part and the fraction are stored apart: a negative time with a fraction borrows one second.
            var whole = (long)BigEndian.Read(data[..3]) - 0x800000L;
            var fraction = (long)BigEndian.Read(data[3..(3 + bytes)]);
            if (whole < 0 && fraction != 0)
            {
                whole++;
                fraction -= 1L << (8 * bytes);
            }

            packed = (whole << 24) + (fraction * FractionScale[bytes]);
        }
        else
        {
            // No fraction, or microseconds in 3 bytes: one big-endian number, the fraction in its low 24 bits.
            packed = ((long)BigEndian.Read(data[..(3 + bytes)]) - (0x800000L << (8 * bytes))) << (8 * (3 - bytes));
        }

        var negative = packed < 0;
        var magnitude = Math.Abs(packed);
        var hms = magnitude >> 24;
        var time = new TimeSpan(0, (int)((hms >> 12) & 0x3FF), (int)((hms >> 6) & 63), (int)(hms & 63)) + TimeSpan.FromTicks((magnitude & 0xFFFFFF) * 10);
        return negative ? -time : time;
    }

    /// <summary>Microseconds from the fraction bytes of a TIMESTAMP(fsp) or DATETIME(fsp).</summary>
    private static int Fraction(ReadOnlySpan<byte> data, int precision)
    {
        var bytes = FractionBytes(precision);
        return bytes == 0 ? 0 : (int)BigEndian.Read(data[..bytes]) * FractionScale[bytes];
    }

    /// <summary>Microseconds per unit of a fraction stored in 0-3 bytes (1 byte: hundredths, 2: ten-thousandths, 3: millionths).</summary>
    private static ReadOnlySpan<int> FractionScale => [1, 10000, 100, 1];
}
