using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Binlog.Events;
using MySqlConnector;

namespace DtsPowerShell.Engine.Tests.Apply;

public sealed class SqlLiteralTests
{
    public static TheoryData<object?, string> Literals => new()
    {
        { null, "NULL" },
        { DBNull.Value, "NULL" },
        { "it's a \\ test\0", "'it''s a \\\\ test\\0'" },
        { new byte[] { 0x00, 0xAB, 0xFF }, "X'00ABFF'" },
        { Array.Empty<byte>(), "''" },
        { ulong.MaxValue, "18446744073709551615" },
        { (sbyte)-128, "-128" },
        { 1.1f, "1.1" },
        { -2.25e-300, "-2.25E-300" },
        { 12345.678m, "12345.678" },
        { true, "1" },
        { new MySqlDateTime(0, 0, 0, 0, 0, 0, 0), "'0000-00-00 00:00:00'" },
        { new MySqlDateTime(9999, 12, 31, 23, 59, 59, 999999), "'9999-12-31 23:59:59.999999'" },
        { new DateTime(2024, 2, 29, 1, 2, 3, DateTimeKind.Utc).AddTicks(450), "'2024-02-29 01:02:03.000045'" },
        { TimeSpan.FromHours(-838) - TimeSpan.FromMinutes(59) - TimeSpan.FromSeconds(59), "'-838:59:59'" },
        { new TimeSpan(0, 1, 2, 3, 500), "'01:02:03.500000'" },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void WritesTheExactLiteral(object? value, string expected) => Assert.Equal(expected, SqlLiteral.ToSql(value));

    [Fact]
    public void RefusesWhatItCannotApplyWithARemedy()
    {
        Assert.Contains("binlog_row_image", Assert.Throws<NotSupportedException>(() => SqlLiteral.ToSql(RowImage.Absent)).Message, StringComparison.Ordinal);
        Assert.Contains("binlog_row_value_options", Assert.Throws<NotSupportedException>(() => SqlLiteral.ToSql(new JsonPartialUpdate([]))).Message, StringComparison.Ordinal);
    }
}
