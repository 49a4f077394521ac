using System.Globalization;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Columns;
using DtsPowerShell.Engine.Binlog.Events;
using MySqlConnector;

namespace DtsPowerShell.Engine.Tests.Binlog;

/// <summary>
/// Every column type, filled with edge values on a real MariaDB server, streamed back through the binlog:
/// each decoded value must equal what the server returns for the same row.
/// </summary>
public sealed class BinlogClientTypesTests(BinlogSource source) : IClassFixture<BinlogSource>
{
    private const string Columns = """
        id INT PRIMARY KEY,
        ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
        i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, f FLOAT, d DOUBLE,
        dec1 DECIMAL(10,2), dec2 DECIMAL(65,30), dec3 DECIMAL(5,0), dec4 DECIMAL(28,10),
        y YEAR, dt DATE, tm TIME, tm1 TIME(1), tm3 TIME(3), tm6 TIME(6), dtm DATETIME, dtm2 DATETIME(2), dtm6 DATETIME(6),
        ts TIMESTAMP NULL, ts3 TIMESTAMP(3) NULL, ts6 TIMESTAMP(6) NULL,
        c CHAR(10) CHARACTER SET utf8mb4, c2 CHAR(100) CHARACTER SET utf8mb4, vc VARCHAR(300) CHARACTER SET utf8mb4,
        vl VARCHAR(20) CHARACTER SET latin1, vb VARBINARY(20), bn BINARY(4),
        e ENUM('a','b','c'), s SET('x','y','z'), b1 BIT(1), b10 BIT(10), b64 BIT(64),
        tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB, tt TINYTEXT CHARACTER SET utf8mb4, tx TEXT CHARACTER SET utf8mb4,
        j JSON, g GEOMETRY
        """;

    [Fact]
    public async Task Every_decoded_value_equals_what_the_server_returns()
    {
        var server = source.Server;
        server.Sql($"CREATE DATABASE IF NOT EXISTS types; DROP TABLE IF EXISTS types.all_types; CREATE TABLE types.all_types ({Columns}) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        server.Sql("""
            SET time_zone = '+00:00', sql_mode = '';
            INSERT INTO types.all_types VALUES (1,
              127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615, 3.4028234e38, 1.7976931348623157e308,
              99999999.99, '99999999999999999999999999999999999.999999999999999999999999999999', 99999, '999999999999999999.9999999999',
              2155, '9999-12-31', '838:59:59', '838:59:59.9', '838:59:59.999', '838:59:59.000000', '9999-12-31 23:59:59', '9999-12-31 23:59:59.99', '9999-12-31 23:59:59.999999',
              '2038-01-19 03:14:07', '2038-01-19 03:14:07.999', '2038-01-19 03:14:07.999999',
              'héllo 😀', REPEAT('ü', 100), CONCAT(REPEAT('x', 290), '末尾😀'), 'café €', X'00FF00FF', X'00000001',
              'c', 'x,z', b'1', b'1111111111', 18446744073709551615,
              X'00', X'0001FF', RANDOM_BYTES(1024), REPEAT(X'AB', 1048576), 'tiny ✓', REPEAT('text ', 1000),
              '{"a": [1, 2.5, "x", null, true], "b": {"c": "ü😀"}}', ST_GeomFromText('POINT(1 2)'));
            INSERT INTO types.all_types VALUES (2,
              -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, -1.5, -2.2250738585072014e-308,
              -12345678.90, '-0.000000000000000000000000000001', -99999, '-0.0000000001',
              1901, '1000-01-01', '-838:59:59', '-00:00:00.1', '-12:34:56.789', '-00:00:00.000001', '1000-01-01 00:00:00', '1000-01-01 00:00:00.01', '1000-01-01 00:00:00.000001',
              '1970-01-01 00:00:01', '1970-01-01 00:00:01.001', '1970-01-01 00:00:01.000001',
              '', 'a', '', '', X'', X'00',
              'a', '', b'0', b'0', 0,
              X'', X'', X'', X'', '', '',
              '[]', ST_GeomFromText('LINESTRING(0 0, 1 1, 2 5)'));
            INSERT INTO types.all_types (id) VALUES (3);
            INSERT INTO types.all_types (id, y, dt, dtm, dtm6, ts, tm) VALUES (4, 0, '0000-00-00', '0000-00-00 00:00:00', '2020-00-15 00:00:00', 0, '00:00:00');
            INSERT INTO types.all_types (id, dt, dec1, f, d) VALUES (5, '2020-02-00', 0.00, 0, 0);
            """);
        var inserted = Select("1,2,3,4,5");
        server.Sql("SET time_zone = '+00:00'; UPDATE types.all_types SET vc = 'changed ✓', bi = -1, ts6 = '2001-02-03 04:05:06.070809' WHERE id = 1; DELETE FROM types.all_types WHERE id = 2;");
        var updated = Select("1").Single();

        var client = new BinlogClient(source.Replication);
        var events = await source.StreamUntilAsync(client, BinlogStart.At(start), e => e.OfType<RowsEvent>().Count(r => r.Table.Table == "all_types") >= 7);
        var rows = events.OfType<RowsEvent>().Where(r => r.Table.Table == "all_types").ToList();

        var inserts = rows.Where(r => r.Kind == RowsEventKind.Insert).SelectMany(r => r.Rows).Select(r => r.After!).ToList();
        Assert.Equal(5, inserts.Count);
        for (var i = 0; i < inserts.Count; i++)
        {
            AssertRowEquals(rows[0].Table, inserted[i], inserts[i]);
        }

        var update = Assert.Single(rows.Where(r => r.Kind == RowsEventKind.Update).SelectMany(r => r.Rows));
        AssertRowEquals(rows[0].Table, inserted[0], update.Before!);
        AssertRowEquals(rows[0].Table, updated, update.After!);
        var delete = Assert.Single(rows.Where(r => r.Kind == RowsEventKind.Delete).SelectMany(r => r.Rows));
        AssertRowEquals(rows[0].Table, inserted[1], delete.Before!);
    }

    [Fact]
    public async Task Collations_of_character_columns_after_a_geometry_column_stay_right()
    {
        var server = source.Server;
        server.Sql("CREATE DATABASE IF NOT EXISTS types; CREATE OR REPLACE TABLE types.geo (id INT PRIMARY KEY, g GEOMETRY, a VARCHAR(10) CHARACTER SET latin1, b VARCHAR(10) CHARACTER SET utf8mb4, c VARCHAR(10) CHARACTER SET latin1) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        server.Sql("INSERT INTO types.geo VALUES (1, ST_GeomFromText('POINT(1 1)'), 'café', '😀 ü', 'naïve');");
        var events = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.At(start), e => e.OfType<RowsEvent>().Any());
        var row = events.OfType<RowsEvent>().Single().Rows[0].After!;
        Assert.Equal(["café", "😀 ü", "naïve"], row[2..]);
    }

    [Fact]
    public async Task MariaDb_compressed_columns_decode_to_their_values()
    {
        var server = source.Server;
        server.Sql("CREATE DATABASE IF NOT EXISTS types; CREATE OR REPLACE TABLE types.packed (id INT PRIMARY KEY, b BLOB COMPRESSED, t TEXT COMPRESSED CHARACTER SET utf8mb4, v VARCHAR(100) COMPRESSED CHARACTER SET utf8mb4, x INT) ENGINE=InnoDB;");
        var start = source.CurrentPosition();
        server.Sql("INSERT INTO types.packed VALUES (1, REPEAT('ab', 200), REPEAT('ü😀', 300), REPEAT('é', 90), 7), (2, 'x', 's', '', 8), (3, NULL, NULL, NULL, 9);");
        var events = await source.StreamUntilAsync(new BinlogClient(source.Replication), BinlogStart.At(start), e => e.OfType<RowsEvent>().Any());
        var rows = events.OfType<RowsEvent>().Single().Rows.Select(r => r.After!).ToList();
        Assert.Equal(ColumnType.BlobCompressed, events.OfType<TableMapEvent>().Last().Columns[1].Type);
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("ab", 200))), rows[0][1]);
        Assert.Equal(string.Concat(Enumerable.Repeat("ü😀", 300)), rows[0][2]);
        Assert.Equal(new string('é', 90), rows[0][3]);
        Assert.Equal(7, rows[0][4]);
        Assert.Equal(new object?[] { 2, "x"u8.ToArray(), "s", "", 8 }, rows[1]);
        Assert.Equal(new object?[] { 3, null, null, null, 9 }, rows[2]);
    }

    private static void AssertRowEquals(TableMapEvent table, object?[] expected, object?[] decoded)
    {
        Assert.Equal(expected.Length, decoded.Length);
        for (var c = 0; c < expected.Length; c++)
        {
            var column = table.Columns[c];
            var want = Canonical(expected[c], null);
            var got = Canonical(decoded[c], column);
            Assert.True(want == got, $"Row {expected[0]}, column {column.Name} ({column.Type}): the server returns {want}, the binlog decodes {got}.");
        }
    }

    private List<object?[]> Select(string ids)
    {
        using var connection = new MySqlConnection(new MySqlConnectionStringBuilder
        {
            Server = source.Server.Host,
            Port = (uint)source.Server.Port,
            UserID = BinlogSource.User,
            Password = BinlogSource.Password,
            SslMode = MySqlSslMode.None,
            AllowZeroDateTime = true,
            ConvertZeroDateTime = false,
            TreatTinyAsBoolean = false,
            GuidFormat = MySqlGuidFormat.None,
            AllowPublicKeyRetrieval = true,
        }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SET time_zone = '+00:00'";
        command.ExecuteNonQuery();
        var names = System.Text.RegularExpressions.Regex.Matches(Columns, @"(?<=^|,)\s*([a-z][a-z0-9]*) [A-Z]").Select(m => m.Groups[1].Value).ToList();
        command.CommandText = $"SELECT {string.Join(", ", names.Select(n => n.StartsWith("dec", StringComparison.Ordinal) ? $"CAST({n} AS CHAR)" : n == "f" ? "CAST(f AS DOUBLE)" : n))} FROM types.all_types WHERE id IN ({ids}) ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>One text form for a value as the server returns it and as the binlog decodes it.</summary>
    private static string Canonical(object? value, ColumnInfo? column) => value switch
    {
        null => "NULL",
        int index when column?.Type == ColumnType.Enum => index == 0 ? "" : column.EnumValues![index - 1],
        ulong bits when column?.Type == ColumnType.Set => string.Join(',', column.SetValues!.Where((_, i) => (bits & (1UL << i)) != 0)),
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture), // the server's FLOAT text is rounded; CAST(f AS DOUBLE) is exact
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        MySqlDateTime t => string.Create(CultureInfo.InvariantCulture, $"{t.Year:D4}-{t.Month:D2}-{t.Day:D2} {t.Hour:D2}:{t.Minute:D2}:{t.Second:D2}.{t.Microsecond:D6}"),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        TimeSpan t => (t < TimeSpan.Zero ? "-" : "") + ((int)t.Duration().TotalHours).ToString(CultureInfo.InvariantCulture) + t.Duration().ToString(@"\:mm\:ss\.ffffff", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
