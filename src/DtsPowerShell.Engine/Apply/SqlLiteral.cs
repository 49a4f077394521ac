using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Connections;
using MySqlConnector;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Writes a column value as a SQL literal that stores exactly that value: binary as hex, DECIMAL and floating
/// point exact, temporal values in full (zero dates and microseconds included), TIME with its sign and hours beyond 24.
/// Values come from binlog rows or from MySqlConnector reads. Literals assume a session in UTC with backslash escapes on.
/// </summary>
public static class SqlLiteral
{
    public static void Append(StringBuilder sql, object? value)
    {
        ArgumentNullException.ThrowIfNull(sql);
        switch (value)
        {
            case null or DBNull:
                sql.Append("NULL");
                break;
            case string text:
                SqlText.AppendQuoted(sql, text);
                break;
            case byte[] bytes:
                if (bytes.Length == 0)
                {
                    sql.Append("''");
                    break;
                }

                sql.Append("X'");
                AppendHex(sql, bytes);
                sql.Append('\'');
                break;
            case Guid guid:
                SqlText.AppendQuoted(sql, guid.ToString());
                break;
            case MySqlDateTime or DateTime or TimeSpan:
                sql.Append('\'');
                AppendBare(sql, value);
                sql.Append('\'');
                break;
            default:
                AppendBare(sql, value);
                break;
        }
    }

    /// <summary>
    /// A number, or a temporal value as the server prints it (no quotes): the text of the value in a literal or a
    /// LOAD DATA field. Strings, bytes and NULL are the caller's (they are escaped differently in each).
    /// </summary>
    public static void AppendBare(StringBuilder sql, object value)
    {
        ArgumentNullException.ThrowIfNull(sql);
        switch (value)
        {
            case int or long or short or sbyte or byte or ushort or uint or ulong:
                sql.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            case bool flag:
                sql.Append(flag ? '1' : '0');
                break;
            case float single:
                sql.Append(single.ToString("R", CultureInfo.InvariantCulture));
                break;
            case double number:
                sql.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case decimal exact:
                sql.Append(exact.ToString(CultureInfo.InvariantCulture));
                break;
            case MySqlDecimal wide:
                sql.Append(wide.ToString());
                break;
            case MySqlDateTime time:
                AppendDateTime(sql, time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, time.Microsecond);
                break;
            case DateTime time:
                AppendDateTime(sql, time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, (int)(time.Ticks % TimeSpan.TicksPerSecond / 10));
                break;
            case TimeSpan span:
                AppendTime(sql, span);
                break;
            case JsonPartialUpdate:
                throw new NotSupportedException("A partial JSON update (binlog_row_value_options=PARTIAL_JSON) cannot be applied: set binlog_row_value_options='' on the source.");
            default:
                if (ReferenceEquals(value, RowImage.Absent))
                {
                    throw new NotSupportedException("A column is missing from the row image (binlog_row_image is not FULL): set binlog_row_image=FULL on the source.");
                }

                throw new NotSupportedException($"A value of type {value.GetType().Name} has no SQL literal.");
        }
    }

    /// <summary>Bytes as hexadecimal digits.</summary>
    public static void AppendHex(StringBuilder sql, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(sql);
        const string digits = "0123456789ABCDEF";
        foreach (var b in bytes)
        {
            sql.Append(digits[b >> 4]).Append(digits[b & 0xF]);
        }
    }

    public static string ToSql(object? value)
    {
        var sql = new StringBuilder();
        Append(sql, value);
        return sql.ToString();
    }

    private static void AppendDateTime(StringBuilder sql, int year, int month, int day, int hour, int minute, int second, int microsecond)
    {
        sql.Append(year.ToString("D4", CultureInfo.InvariantCulture)).Append('-')
            .Append(month.ToString("D2", CultureInfo.InvariantCulture)).Append('-')
            .Append(day.ToString("D2", CultureInfo.InvariantCulture)).Append(' ')
            .Append(hour.ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append(minute.ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append(second.ToString("D2", CultureInfo.InvariantCulture));
        if (microsecond != 0)
        {
            sql.Append('.').Append(microsecond.ToString("D6", CultureInfo.InvariantCulture));
        }
    }

    private static void AppendTime(StringBuilder sql, TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            sql.Append('-');
            span = span.Negate();
        }

        sql.Append(((long)span.TotalHours).ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append(span.Minutes.ToString("D2", CultureInfo.InvariantCulture)).Append(':')
            .Append(span.Seconds.ToString("D2", CultureInfo.InvariantCulture));
        var microseconds = span.Ticks % TimeSpan.TicksPerSecond / 10;
        if (microseconds != 0)
        {
            sql.Append('.').Append(microseconds.ToString("D6", CultureInfo.InvariantCulture));
        }
    }
}
