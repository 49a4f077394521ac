using System.Globalization;
using System.Text;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// MySQL's binary DECIMAL(precision, scale): big-endian groups of nine digits in four bytes, leftover digits in
/// one to four bytes, the sign in the top bit of the first byte (negative numbers stored inverted).
/// </summary>
internal static class PackedDecimal
{
    private static readonly int[] BytesForDigits = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];

    public static int Size(int precision, int scale)
    {
        if (precision is < 1 or > 65 || scale < 0 || scale > precision)
        {
            throw new InvalidDataException($"DECIMAL({precision},{scale}) is not a valid column type.");
        }

        var integral = precision - scale;
        return ((integral / 9) * 4) + BytesForDigits[integral % 9] + ((scale / 9) * 4) + BytesForDigits[scale % 9];
    }

    /// <summary>The exact value as text, e.g. <c>-1234.5600</c>.</summary>
    public static string ToText(ReadOnlySpan<byte> packed, int precision, int scale)
    {
        if (packed.Length != Size(precision, scale))
        {
            throw new InvalidDataException($"DECIMAL({precision},{scale}) cannot take {packed.Length} bytes.");
        }

        Span<byte> bytes = stackalloc byte[packed.Length];
        packed.CopyTo(bytes);
        var negative = (bytes[0] & 0x80) == 0;
        bytes[0] ^= 0x80;
        if (negative)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)~bytes[i];
            }
        }

        var integral = precision - scale;
        var text = new StringBuilder(precision + 3);
        var offset = 0;
        var leading = BytesForDigits[integral % 9];
        if (leading > 0)
        {
            text.Append(Group(bytes.Slice(offset, leading), integral % 9).ToString(CultureInfo.InvariantCulture));
            offset += leading;
        }

        for (var i = 0; i < integral / 9; i++, offset += 4)
        {
            text.Append(Group(bytes.Slice(offset, 4), 9).ToString("D9", CultureInfo.InvariantCulture));
        }

        var digits = text.ToString().TrimStart('0');
        text.Clear().Append(negative ? "-" : "").Append(digits.Length == 0 ? "0" : digits);
        if (scale > 0)
        {
            text.Append('.');
            for (var i = 0; i < scale / 9; i++, offset += 4)
            {
                text.Append(Group(bytes.Slice(offset, 4), 9).ToString("D9", CultureInfo.InvariantCulture));
            }

            var trailing = BytesForDigits[scale % 9];
            if (trailing > 0)
            {
                text.Append(Group(bytes.Slice(offset, trailing), scale % 9).ToString("D" + (scale % 9), CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    /// <summary>A <see cref="decimal"/> when the value fits one exactly (up to 28 digits), else its text.</summary>
    public static object ToValue(ReadOnlySpan<byte> packed, int precision, int scale)
    {
        var text = ToText(packed, precision, scale);
        return precision <= 28 ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : text;
    }

    private static readonly uint[] Limits = [0, 9, 99, 999, 9999, 99999, 999999, 9999999, 99999999, 999999999];

    /// <summary>A group of <paramref name="digits"/> digits; a larger number means the bytes are not a DECIMAL.</summary>
    private static uint Group(ReadOnlySpan<byte> bytes, int digits)
    {
        var value = (uint)BigEndian.Read(bytes);
        return value <= Limits[digits] ? value : throw new InvalidDataException($"The bytes {Convert.ToHexString(bytes)} hold {value}, more than {digits} decimal digits.");
    }
}
