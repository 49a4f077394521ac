using System.Globalization;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// MySQL's binary DECIMAL(precision, scale) ("decimal2bin", strings/decimal.cc): big-endian groups of nine digits
/// in four bytes, leftover digits in one to four bytes, the sign in the top bit of the first byte (negative numbers
/// stored inverted). Used for DECIMAL columns and for DECIMAL values inside binary JSON.
/// </summary>
internal static class PackedDecimal
{
    private static readonly int[] BytesForDigits = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

    /// <summary>The bytes of a DECIMAL column of this type (precision 1-65).</summary>
    public static int Size(int precision, int scale)
    {
        if (precision is < 1 or > 65 || scale < 0 || scale > precision)
        {
            throw new InvalidDataException($"DECIMAL({precision},{scale}) is not a valid column type.");
        }

        return SizeOf(precision - scale, scale);
    }

    /// <summary>The bytes of a value with these digit counts before and after the point, unchecked.</summary>
    public static int SizeOf(int integral, int scale) =>
        ((integral / 9) * 4) + BytesForDigits[integral % 9] + ((scale / 9) * 4) + BytesForDigits[scale % 9];

    /// <summary>The exact value as text, e.g. <c>-1234.5600</c>.</summary>
    public static string ToText(ReadOnlySpan<byte> packed, int precision, int scale)
    {
        Span<char> text = stackalloc char[precision + 3];
        return new string(text[..Write(Checked(packed, precision, scale), precision, scale, text)]);
    }

    /// <summary>A <see cref="decimal"/> when the value fits one exactly (up to 28 digits), else its text.</summary>
    public static object ToValue(ReadOnlySpan<byte> packed, int precision, int scale)
    {
        if (precision > 28)
        {
            return ToText(packed, precision, scale);
        }

        Span<char> text = stackalloc char[precision + 3];
        var length = Write(Checked(packed, precision, scale), precision, scale, text);
        return decimal.Parse(text[..length], NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes the value as MySQL prints it (decimal2string: exact, no leading zeros, exactly <paramref name="scale"/>
    /// fraction digits) and returns the characters written. <paramref name="packed"/> must be
    /// <see cref="SizeOf"/> bytes; <paramref name="destination"/> needs precision + 3 characters.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> packed, int precision, int scale, Span<char> destination)
    {
        var negative = (packed[0] & 0x80) == 0;
        var integral = precision - scale;
        Span<char> digits = stackalloc char[precision];
        int read = 0, written = 0;
        Group(packed, ref read, digits, ref written, integral % 9, negative);
        for (var i = 0; i < (integral / 9) + (scale / 9); i++)
        {
            Group(packed, ref read, digits, ref written, 9, negative);
        }

        Group(packed, ref read, digits, ref written, scale % 9, negative);
        var integer = digits[..integral].TrimStart('0');
        var length = 0;
        if (negative)
        {
            destination[length++] = '-';
        }

        if (integer.IsEmpty)
        {
            destination[length++] = '0';
        }
        else
        {
            integer.CopyTo(destination[length..]);
            length += integer.Length;
        }

        if (scale > 0)
        {
            destination[length++] = '.';
            digits[integral..].CopyTo(destination[length..]);
            length += scale;
        }

        return length;
    }

    private static ReadOnlySpan<byte> Checked(ReadOnlySpan<byte> packed, int precision, int scale) =>
        packed.Length == Size(precision, scale) ? packed : throw new InvalidDataException($"DECIMAL({precision},{scale}) cannot take {packed.Length} bytes.");

    /// <summary>One group of <paramref name="count"/> digits; a larger number means the bytes are not a DECIMAL.</summary>
    private static void Group(ReadOnlySpan<byte> packed, ref int read, Span<char> digits, ref int written, int count, bool negative)
    {
        var start = read;
        uint value = 0;
        for (var i = 0; i < BytesForDigits[count]; i++, read++)
        {
            value = (value << 8) | (byte)(packed[read] ^ (read == 0 ? 0x80 : 0) ^ (negative ? 0xFF : 0));
        }

        var whole = value;
        for (var i = count - 1; i >= 0; i--, value /= 10)
        {
            digits[written + i] = (char)('0' + (value % 10));
        }

        written += count;
        if (value != 0)
        {
            throw new InvalidDataException($"DECIMAL digit group exceeds {count} digits: the bytes {Convert.ToHexString(packed[start..read])} hold {whole}, more than {count} decimal digits.");
        }
    }
}
