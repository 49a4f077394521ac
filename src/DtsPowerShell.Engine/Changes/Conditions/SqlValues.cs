using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace DtsPowerShell.Engine.Changes.Conditions;

/// <summary>
/// MySQL's rules for the values of a row condition: NULL propagates, numbers compare exactly (as doubles where one is
/// approximate), a string beside a number is read as a number, text compares by its collation (case ignored for
/// <c>_ci</c> ones, trailing spaces ignored but in binary ones), a date beside a string reads the string as a date.
/// Values are null, <see cref="long"/>, <see cref="decimal"/>, <see cref="double"/>, <see cref="string"/>,
/// <see cref="byte"/>[] (binary strings), <see cref="MySqlDateTime"/> and <see cref="TimeSpan"/>.
/// </summary>
internal static class SqlValues
{
    /// <summary>A decoded binlog value in one of the condition's kinds.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null => null,
        sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (decimal)u,
        float f => (double)f,
        bool b => b ? 1L : 0L,
        DateTime d => new MySqlDateTime(d),
        _ => value,
    };

    /// <summary>Three-valued truth: null for NULL, else whether the value is not zero.</summary>
    public static bool? Truth(object? value) => value switch
    {
        null => null,
        long l => l != 0,
        decimal m => m != 0,
        double d => d != 0,
        string or byte[] => ToDouble(value) != 0,
        _ => true,
    };

    public static object? Bool(bool? value) => value is null ? null : value.Value ? 1L : 0L;

    /// <summary>The order of two values under a collation (null: either is NULL).</summary>
    public static int? Compare(object? a, object? b, string? collation)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToDecimal(a).CompareTo(ToDecimal(b));
        }

        if (a is MySqlDateTime || b is MySqlDateTime)
        {
            return DateOf(a) is { } left && DateOf(b) is { } right ? left.CompareTo(right) : string.CompareOrdinal(Text(a), Text(b));
        }

        if (a is TimeSpan || b is TimeSpan)
        {
            return TimeOf(a) is { } left && TimeOf(b) is { } right ? left.CompareTo(right) : string.CompareOrdinal(Text(a), Text(b));
        }

        if (IsNumber(a) || IsNumber(b))
        {
            return ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is byte[] || b is byte[] || IsBinary(collation))
        {
            return BytesOf(a).AsSpan().SequenceCompareTo(BytesOf(b));
        }

        var (left2, right2) = (Text(a).TrimEnd(' '), Text(b).TrimEnd(' '));
        return IsCaseInsensitive(collation)
            ? string.Compare(left2, right2, CultureInfo.InvariantCulture, CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreWidth)
            : string.CompareOrdinal(left2, right2);
    }

    /// <summary>A LIKE pattern (<c>%</c>, <c>_</c>, the escape character <c>\</c>) as a regular expression; case ignored or not.</summary>
    public static Regex LikeRegex(string pattern, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        var options = RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return new Regex(regex.Append('$').ToString(), options, TimeSpan.FromSeconds(1));
    }

    public static object? Arithmetic(char op, object? a, object? b)
    {
        if (a is null || b is null)
        {
            return null;
        }

        if (a is double || b is double || !IsExact(a) || !IsExact(b))
        {
            var (x, y) = (ToDouble(a), ToDouble(b));
            return op switch
            {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                '/' => y == 0 ? null : x / y,
                'd' => y == 0 ? null : (long)Math.Truncate(x / y),
                _ => y == 0 ? null : x % y,
            };
        }

        var (m, n) = (ToDecimal(a), ToDecimal(b));
        object result = op switch
        {
            '+' => m + n,
            '-' => m - n,
            '*' => m * n,
            // MySQL's division keeps four more decimals than the dividend (div_precision_increment).
            '/' => n == 0 ? null! : decimal.Round(m / n, Math.Min(28, Scale(m) + 4), MidpointRounding.AwayFromZero),
            'd' => n == 0 ? null! : decimal.Truncate(m / n),
            _ => n == 0 ? null! : m % n,
        };
        return result is decimal d && a is long && b is long && op is '+' or '-' or '*' or 'd' or '%' && d >= long.MinValue && d <= long.MaxValue && decimal.Truncate(d) == d ? (long)d : result;
    }

    public static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        MySqlDateTime date => DateText(date),
        TimeSpan time => (time < TimeSpan.Zero ? "-" : "") + $"{(int)Math.Abs(time.TotalHours):00}:{Math.Abs(time.Minutes):00}:{Math.Abs(time.Seconds):00}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        decimal m => (double)m,
        double d => d,
        MySqlDateTime date => double.Parse(DateText(date).Replace("-", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), CultureInfo.InvariantCulture),
        _ => LeadingNumber(Text(value)),
    };

    private static decimal ToDecimal(object value) => value switch
    {
        long l => l,
        decimal m => m,
        _ => (decimal)ToDouble(value),
    };

    private static bool IsNumber(object value) => value is long or decimal or double;

    private static bool IsExact(object value) => value is long or decimal || (value is string s && !s.Contains('e', StringComparison.OrdinalIgnoreCase) && decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out _));

    private static int Scale(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;

    public static bool IsCaseInsensitive(string? collation) => collation is null || collation.EndsWith("_ci", StringComparison.OrdinalIgnoreCase);

    private static bool IsBinary(string? collation) => collation is not null && (collation == "binary" || collation.EndsWith("_bin", StringComparison.OrdinalIgnoreCase));

    private static byte[] BytesOf(object value) => value as byte[] ?? Encoding.UTF8.GetBytes(Text(value));

    /// <summary>A string's leading number, as MySQL reads '12abc' (12) and 'abc' (0).</summary>
    private static double LeadingNumber(string text)
    {
        var trimmed = text.TrimStart();
        for (var length = trimmed.Length; length > 0; length--)
        {
            if (double.TryParse(trimmed.AsSpan(0, length), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }

        return 0;
    }

    private static string DateText(MySqlDateTime date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Year:0000}-{date.Month:00}-{date.Day:00} {date.Hour:00}:{date.Minute:00}:{date.Second:00}") +
        (date.Microsecond == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $".{date.Microsecond:000000}"));

    private static string? DateOf(object value)
    {
        if (value is MySqlDateTime date)
        {
            return DateText(date);
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyyMMdd", "yyyyMMddHHmmss"];
        return DateTime.TryParseExact(Text(value).Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? DateText(new MySqlDateTime(parsed))
            : null;
    }

    private static TimeSpan? TimeOf(object value) => value is TimeSpan time
        ? time
        : TimeSpan.TryParse(Text(value).Trim(), CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}
