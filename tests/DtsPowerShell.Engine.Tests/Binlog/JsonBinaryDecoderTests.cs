using System.Buffers.Binary;
using System.Text;
using DtsPowerShell.Engine.Binlog.Columns;

namespace DtsPowerShell.Engine.Tests.Binlog;

public class JsonBinaryDecoderTests
{
    // ---- scalars -------------------------------------------------------------------------------------

    [Fact]
    public void Empty_input_is_json_null() => Assert.Equal("null", JsonBinaryDecoder.Decode([]));

    [Theory]
    [InlineData("0400", "null")]
    [InlineData("0401", "true")]
    [InlineData("0402", "false")]
    [InlineData("05FFFF", "-1")]
    [InlineData("050080", "-32768")]
    [InlineData("06FFFF", "65535")]
    [InlineData("0700000080", "-2147483648")]
    [InlineData("08FFFFFFFF", "4294967295")]
    [InlineData("090000000000000080", "-9223372036854775808")]
    [InlineData("09FFFFFFFFFFFFFF7F", "9223372036854775807")]
    [InlineData("0AFFFFFFFFFFFFFFFF", "18446744073709551615")]
    public void Decodes_literals_and_integers(string hex, string expected) =>
        Assert.Equal(expected, JsonBinaryDecoder.Decode(Convert.FromHexString(hex)));

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(3.0, "3.0")]
    [InlineData(-3.0, "-3.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(3.14, "3.14")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e300, "1e300")]
    [InlineData(-2.5e-300, "-2.5e-300")]
    [InlineData(1e15, "1e15")]
    [InlineData(1e14, "100000000000000.0")]
    [InlineData(123456789012345.0, "123456789012345.0")]
    [InlineData(1234567890123456.7, "1234567890123456.8")]
    [InlineData(12345678901234567890.0, "1.2345678901234567e19")]
    [InlineData(1e-5, "0.00001")]
    [InlineData(1.5e-7, "0.00000015")]
    [InlineData(1e-15, "0.000000000000001")]
    [InlineData(1e-16, "1e-16")]
    [InlineData(double.MaxValue, "1.7976931348623157e308")]
    [InlineData(double.Epsilon, "5e-324")]
    public void Formats_doubles_like_mysql_my_gcvt(double value, string expected) =>
        Assert.Equal(expected, Decode(Dbl(value)));

    [Fact]
    public void Escapes_strings_like_mysql_and_passes_utf8_through()
    {
        string text = "q\"b\\n\nr\rt\tb\bf\f\u0001\u001f\u007f é漢😀";
        Assert.Equal("\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0001\\u001f\u007f é漢😀\"", Decode(Str(text)));
        Assert.Equal("\"\"", Decode(Str("")));
    }

    [Fact]
    public void Reads_two_and_three_byte_string_lengths()
    {
        string medium = new('m', 200), large = string.Concat(Enumerable.Repeat("0123456789", 2000));
        byte[] mediumDoc = Doc(Str(medium)), largeDoc = Doc(Str(large));
        Assert.Equal(new byte[] { 0x0C, 0xC8, 0x01 }, mediumDoc[..3]); // 200 = 0x48 | 0x80, 1
        Assert.Equal(new byte[] { 0x0C, 0xA0, 0x9C, 0x01 }, largeDoc[..4]); // 20000 in three 7-bit groups
        Assert.Equal('"' + medium + '"', JsonBinaryDecoder.Decode(mediumDoc));
        Assert.Equal('"' + large + '"', JsonBinaryDecoder.Decode(largeDoc));
    }

    // ---- containers ----------------------------------------------------------------------------------

    [Fact]
    public void Decodes_small_and_large_arrays_and_objects()
    {
        Node[] items = [Null, True, False, I16(-5), U16(65535), I32(100000), U32(4000000000), I64(-1), U64(ulong.MaxValue), Dbl(2.5), Str("x")];
        const string expected = "[null, true, false, -5, 65535, 100000, 4000000000, -1, 18446744073709551615, 2.5, \"x\"]";
        Assert.Equal(expected, Decode(Arr(items)));
        Assert.Equal(expected, Decode(LargeArr(items)));

        (string, Node)[] members = [("a", I32(7)), ("b", Arr(I16(1), I16(2))), ("cc", Obj())];
        Assert.Equal("{\"a\": 7, \"b\": [1, 2], \"cc\": {}}", Decode(Obj(members)));
        Assert.Equal("{\"a\": 7, \"b\": [1, 2], \"cc\": {}}", Decode(LargeObj(members)));
        Assert.Equal("[]", Decode(LargeArr()));
        Assert.Equal("{}", Decode(LargeObj()));
    }

    [Fact]
    public void Int32_is_stored_by_offset_in_small_containers_and_inlined_in_large_ones()
    {
        byte[] small = Doc(Arr(I32(-100000))), large = Doc(LargeArr(I32(-100000)));
        Assert.Equal(12, small.Length); // 1 type + 4 header + 3 entry + 4 value
        Assert.Equal(14, large.Length); // 1 type + 8 header + 5 entry (value inlined)
        Assert.Equal("[-100000]", JsonBinaryDecoder.Decode(small));
        Assert.Equal("[-100000]", JsonBinaryDecoder.Decode(large));
    }

    [Fact]
    public void Prints_keys_in_stored_order_and_escapes_them()
    {
        Assert.Equal("{\"zz\": 1, \"a\\\"\\n\": 2, \"é\": [{\"\": null}]}",
            Decode(Obj(("zz", I16(1)), ("a\"\n", I16(2)), ("é", Arr(Obj(("", Null)))))));
    }

    [Fact]
    public void Decodes_deeply_nested_mixed_containers()
    {
        Node value = Str("leaf");
        for (int i = 0; i < 50; i++)
        {
            value = i % 2 == 0 ? Arr(value, I16((short)i)) : LargeObj(("k", value));
        }

        string expected = "\"leaf\"";
        for (int i = 0; i < 50; i++)
        {
            expected = i % 2 == 0 ? $"[{expected}, {i}]" : $"{{\"k\": {expected}}}";
        }

        Assert.Equal(expected, Decode(value));
    }

    [Fact]
    public void Accepts_exactly_100_levels_of_nesting() =>
        Assert.Equal(new string('[', 100) + new string(']', 100), JsonBinaryDecoder.Decode(NestedArrays(100)));

    [Theory]
    [InlineData(101)]
    [InlineData(1000)]
    public void Rejects_nesting_deeper_than_100_without_overflowing_the_stack(int depth)
    {
        var ex = Assert.Throws<InvalidDataException>(() => JsonBinaryDecoder.Decode(NestedArrays(depth)));
        Assert.Contains("deeper than 100", ex.Message);
    }

    // ---- opaque values -------------------------------------------------------------------------------

    [Theory]
    [InlineData("1234.5600", 8, 4)]
    [InlineData("-1234.5600", 8, 4)]
    [InlineData("0.5", 1, 1)]
    [InlineData("-0.05", 3, 2)]
    [InlineData("12345678901", 11, 0)]
    [InlineData("-987654321987654321.123456789123", 30, 12)]
    [InlineData("99999999999999999999999999999999999.999999999999999999999999999999", 65, 30)]
    [InlineData("0.000000000000000000000000000001", 30, 30)]
    public void Decodes_decimals_exactly(string text, int precision, int scale) =>
        Assert.Equal(text, Decode(new Opq(246, DecimalBin(text, precision, scale))));

    [Fact]
    public void Decimal_prints_integer_part_without_leading_zeros_and_all_scale_digits() =>
        Assert.Equal("[7.000, 0.000]", Decode(Arr(new Opq(246, DecimalBin("0007.000", 10, 3)), new Opq(246, DecimalBin("0.000", 10, 3)))));

    [Fact]
    public void Decodes_temporal_values_with_six_fraction_digits()
    {
        Assert.Equal("\"2015-01-15\"", Decode(new Opq(10, DateTimePacked(2015, 1, 15, 0, 0, 0, 0))));
        Assert.Equal("\"2015-01-15 23:24:25.000000\"", Decode(new Opq(12, DateTimePacked(2015, 1, 15, 23, 24, 25, 0))));
        Assert.Equal("\"1999-12-31 00:00:59.123456\"", Decode(new Opq(7, DateTimePacked(1999, 12, 31, 0, 0, 59, 123456))));
        Assert.Equal("\"0000-00-00 00:00:00.000000\"", Decode(new Opq(12, DateTimePacked(0, 0, 0, 0, 0, 0, 0))));
        Assert.Equal("\"23:24:25.000000\"", Decode(new Opq(11, TimePacked(false, 23, 24, 25, 0))));
        Assert.Equal("\"-01:02:03.000004\"", Decode(new Opq(11, TimePacked(true, 1, 2, 3, 4))));
        Assert.Equal("\"838:59:59.000000\"", Decode(new Opq(11, TimePacked(false, 838, 59, 59, 0))));
    }

    [Fact]
    public void Prints_other_opaque_types_as_mysql_base64_and_var_string_as_a_string()
    {
        Assert.Equal("\"base64:type15:yv4=\"", Decode(new Opq(15, [0xCA, 0xFE])));
        Assert.Equal("\"base64:type252:\"", Decode(new Opq(252, [])));
        Assert.Equal("\"abc\\n\"", Decode(new Opq(253, "abc\n"u8.ToArray())));

        byte[] blob = Enumerable.Range(0, 130).Select(i => (byte)i).ToArray();
        string base64 = Convert.ToBase64String(blob); // MySQL's base64_encode breaks lines after 76 characters
        Assert.Equal($"\"base64:type249:{base64[..76]}\\n{base64[76..152]}\\n{base64[152..]}\"", Decode(new Opq(249, blob)));
    }

    // ---- vectors from public sources -----------------------------------------------------------------

    // Byte vectors from vitessio/vitess go/mysql/binlog/binlog_json_test.go (TestBinaryJSON); the expected
    // strings are MySQL's text form of the values that test names.
    [Theory]
    [InlineData(new byte[] { 0, 1, 0, 14, 0, 11, 0, 1, 0, 12, 12, 0, 97, 1, 98 }, "{\"a\": \"b\"}")]
    [InlineData(new byte[] { 0, 1, 0, 12, 0, 11, 0, 1, 0, 5, 2, 0, 97 }, "{\"a\": 2}")]
    [InlineData(new byte[] { 0, 1, 0, 29, 0, 11, 0, 4, 0, 0, 15, 0, 97, 115, 100, 102, 1, 0, 14, 0, 11, 0, 3, 0, 5, 123, 0, 102, 111, 111 }, "{\"asdf\": {\"foo\": 123}}")]
    [InlineData(new byte[] { 2, 2, 0, 10, 0, 5, 1, 0, 5, 2, 0 }, "[1, 2]")]
    [InlineData(new byte[] { 0, 4, 0, 60, 0, 32, 0, 1, 0, 33, 0, 1, 0, 34, 0, 2, 0, 36, 0, 2, 0, 12, 38, 0, 12, 40, 0, 12, 42, 0, 2, 46, 0, 97, 99, 97, 98, 98, 99, 1, 98, 1, 100, 3, 97, 98, 99, 2, 0, 14, 0, 12, 10, 0, 12, 12, 0, 1, 120, 1, 121 }, "{\"a\": \"b\", \"c\": \"d\", \"ab\": \"abc\", \"bc\": [\"x\", \"y\"]}")]
    [InlineData(new byte[] { 2, 3, 0, 37, 0, 12, 13, 0, 2, 18, 0, 12, 33, 0, 4, 104, 101, 114, 101, 2, 0, 15, 0, 12, 10, 0, 12, 12, 0, 1, 73, 2, 97, 109, 3, 33, 33, 33 }, "[\"here\", [\"I\", \"am\"], \"!!!\"]")]
    [InlineData(new byte[] { 12, 13, 115, 99, 97, 108, 97, 114, 32, 115, 116, 114, 105, 110, 103 }, "\"scalar string\"")]
    [InlineData(new byte[] { 7, 255, 127, 255, 255 }, "-32769")]
    [InlineData(new byte[] { 11, 110, 134, 27, 240, 249, 33, 9, 64 }, "3.14159")]
    [InlineData(new byte[] { 0, 0, 0, 4, 0 }, "{}")]
    [InlineData(new byte[] { 2, 0, 0, 4, 0 }, "[]")]
    [InlineData(new byte[] { 15, 12, 8, 0, 0, 0, 25, 118, 31, 149, 25 }, "\"2015-01-15 23:24:25.000000\"")]
    [InlineData(new byte[] { 15, 11, 8, 192, 212, 1, 25, 118, 1, 0, 0 }, "\"23:24:25.120000\"")]
    [InlineData(new byte[] { 15, 10, 8, 0, 0, 0, 0, 0, 30, 149, 25 }, "\"2015-01-15\"")]
    [InlineData(new byte[] { 15, 246, 8, 13, 4, 135, 91, 205, 21, 4, 210 }, "123456789.1234")]
    [InlineData(new byte[] { 15, 246, 4, 3, 2, 0x81, 0x63 }, "1.99")]
    [InlineData(new byte[] { 15, 246, 4, 2, 1, 0x7F, 0xFE }, "-0.1")]
    [InlineData(new byte[] { 15, 246, 7, 10, 9, 0x7F, 0xFF, 0xFF, 0xFF, 0xFE }, "-0.000000001")]
    [InlineData(new byte[] { 15, 16, 2, 202, 254 }, "\"base64:type16:yv4=\"")]
    public void Decodes_vitess_test_vectors(byte[] data, string expected) =>
        Assert.Equal(expected, JsonBinaryDecoder.Decode(data));

    // Byte vectors from rusuly/MySqlCdc tests/MySqlCdc.Tests/Providers/MySql/Json/JsonParserTests.cs; the
    // comments quote the SQL that produced them there.
    [Theory]
    // Test_SmallArray
    [InlineData(new byte[] { 2, 20, 0, 137, 0, 5, 255, 255, 5, 0, 0, 5, 1, 0, 4, 1, 0, 4, 2, 0, 4, 0, 0, 12, 64, 0, 2, 71, 0, 5, 255, 127, 7, 81, 0, 5, 0, 128, 7, 85, 0, 7, 89, 0, 9, 93, 0, 7, 101, 0, 9, 105, 0, 10, 113, 0, 11, 121, 0, 0, 129, 0, 2, 133, 0, 6, 115, 116, 114, 105, 110, 103, 2, 0, 10, 0, 4, 1, 0, 4, 2, 0, 0, 128, 0, 0, 255, 127, 255, 255, 255, 255, 255, 127, 0, 0, 0, 128, 0, 0, 0, 0, 0, 0, 0, 128, 255, 255, 255, 127, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 31, 133, 235, 81, 184, 30, 9, 64, 0, 0, 4, 0, 0, 0, 4, 0 },
        "[-1, 0, 1, true, false, null, \"string\", [true, false], 32767, 32768, -32768, -32769, 2147483647, 2147483648, -2147483648, -2147483649, 18446744073709551615, 3.14, {}, []]")]
    // CAST(ST_GeomFromText('POINT(1.2 1.3)') AS JSON)
    [InlineData(new byte[] { 0, 2, 0, 65, 0, 18, 0, 4, 0, 22, 0, 11, 0, 12, 33, 0, 2, 39, 0, 116, 121, 112, 101, 99, 111, 111, 114, 100, 105, 110, 97, 116, 101, 115, 5, 80, 111, 105, 110, 116, 2, 0, 26, 0, 11, 10, 0, 11, 18, 0, 51, 51, 51, 51, 51, 51, 243, 63, 205, 204, 204, 204, 204, 204, 244, 63 },
        "{\"type\": \"Point\", \"coordinates\": [1.2, 1.3]}")]
    // CAST(CAST('1234567890112233445566778899001112223334445556667778889.9900011112' AS DECIMAL(65,10)) AS JSON);
    // note the precision byte is 73 (seven 9-digit integer groups), not 65
    [InlineData(new byte[] { 15, 246, 35, 73, 10, 128, 0, 0, 1, 13, 251, 56, 210, 6, 176, 139, 229, 33, 200, 92, 19, 0, 16, 248, 159, 19, 239, 59, 244, 39, 205, 127, 73, 59, 2, 55, 215, 2 },
        "1234567890112233445566778899001112223334445556667778889.9900011112")]
    // CAST(CAST('2017-03-15' AS DATE) AS JSON)
    [InlineData(new byte[] { 15, 10, 8, 0, 0, 0, 0, 0, 30, 156, 25 }, "\"2017-03-15\"")]
    // CAST(TIMESTAMP'2015-01-15 23:24:25.0237' AS JSON)
    [InlineData(new byte[] { 15, 12, 8, 148, 92, 0, 25, 118, 31, 149, 25 }, "\"2015-01-15 23:24:25.023700\"")]
    // CAST(CAST('-23:24:25.0237' AS TIME(3)) AS JSON)
    [InlineData(new byte[] { 15, 11, 8, 64, 162, 255, 230, 137, 254, 255, 255 }, "\"-23:24:25.024000\"")]
    // CAST(x'cafebabe' AS JSON)
    [InlineData(new byte[] { 15, 15, 4, 202, 254, 186, 190 }, "\"base64:type15:yv66vg==\"")]
    // {"id": 1, "name": "Monica", "types": [1, "123"]} after JSON_SET(col, '$.name', 'Mon'), updated in place
    [InlineData(new byte[] { 0, 3, 0, 57, 0, 25, 0, 2, 0, 27, 0, 4, 0, 31, 0, 5, 0, 5, 1, 0, 12, 36, 0, 2, 43, 0, 105, 100, 110, 97, 109, 101, 116, 121, 112, 101, 115, 3, 77, 111, 110, 105, 99, 97, 2, 0, 14, 0, 5, 1, 0, 12, 10, 0, 3, 49, 50, 51 },
        "{\"id\": 1, \"name\": \"Mon\", \"types\": [1, \"123\"]}")]
    // the same document after JSON_REMOVE(col, '$.name'): leftover bytes stay in the value
    [InlineData(new byte[] { 0, 2, 0, 57, 0, 25, 0, 2, 0, 31, 0, 5, 0, 5, 1, 0, 2, 43, 0, 0, 12, 36, 0, 2, 43, 0, 105, 100, 110, 97, 109, 101, 116, 121, 112, 101, 115, 6, 77, 111, 110, 105, 99, 97, 2, 0, 14, 0, 5, 1, 0, 12, 10, 0, 3, 49, 50, 51 },
        "{\"id\": 1, \"types\": [1, \"123\"]}")]
    public void Decodes_mysqlcdc_test_vectors(byte[] data, string expected) =>
        Assert.Equal(expected, JsonBinaryDecoder.Decode(data));

    [Fact]
    public void Decodes_json_column_from_a_real_mysql_5_7_23_binlog()
    {
        // The JsonColumn value (after its 4-byte length 0x1e) of the first WRITE_ROWS event in
        // /work/shared/fixtures/binlog/MySqlCdc/mysql-bin.000001 (rusuly/MySqlCdc sample), file offset 0x6a7.
        byte[] data = Convert.FromHexString("0002001D0012000200140004000501000C180069646E616D65044A6F686E");
        Assert.Equal("{\"id\": 1, \"name\": \"John\"}", JsonBinaryDecoder.Decode(data));
    }

    // ---- malformed input -----------------------------------------------------------------------------

    [Fact]
    public void Every_truncation_of_a_document_is_rejected()
    {
        byte[] doc = Doc(Obj(("a", Str("text")), ("bb", LargeArr(I32(1), Dbl(2.5), Null)), ("ccc", new Opq(246, DecimalBin("-1.25", 5, 2))),
            ("dddd", new Opq(12, DateTimePacked(2020, 2, 29, 1, 2, 3, 4))), ("eeeee", I64(long.MinValue))));
        Assert.StartsWith("{\"a\": \"text\", \"bb\": [1, 2.5, null], \"ccc\": -1.25, ", JsonBinaryDecoder.Decode(doc));
        for (int length = 1; length < doc.Length; length++)
        {
            var ex = Assert.Throws<InvalidDataException>(() => JsonBinaryDecoder.Decode(doc.AsSpan(0, length)));
            Assert.Contains("at offset", ex.Message);
        }
    }

    [Theory]
    [InlineData("0D", "unknown value type 0x0d (at offset 0)")]
    [InlineData("02010008000D070000", "unknown value type 0x0d (at offset 5)")]
    [InlineData("0201000800FF070000", "unknown value type 0xff (at offset 5)")]
    [InlineData("0403", "unknown literal 0x03")]
    [InlineData("020100070009FFFF", "value 0 offset 65535 lies outside its array")]
    [InlineData("02010007000C0700", "value 0 offset 7 lies outside its array")]
    [InlineData("0201000800", "array size 8 exceeds the 4 bytes available")]
    [InlineData("02FFFF0700000000", "array of 65535 elements needs a 196609-byte header")]
    [InlineData("03FFFFFFFF08000000", "array of 4294967295 elements needs a 21474836483-byte header")]
    [InlineData("0001000C000C00010005010061", "key 0 (offset 12, length 1) lies outside its object")]
    [InlineData("0001000C000000010005010061", "key 0 (offset 0, length 1) lies outside its object")]
    [InlineData("0C0561", "string length 5 exceeds the 1 bytes available")]
    [InlineData("0CFFFFFFFFFF", "length prefix is longer than 5 bytes")]
    [InlineData("0C80", "truncated string length")]
    [InlineData("09010203", "truncated int64")]
    [InlineData("0FF6030A01FF", "DECIMAL(10,1) needs 5 bytes but has 1")]
    [InlineData("0FF6025201", "DECIMAL precision 82 / scale 1 is invalid")]
    [InlineData("0FF602FFFF", "DECIMAL precision 255 / scale 255 is invalid")]
    [InlineData("0FF60301008A", "DECIMAL digit group exceeds 1 digits")]
    [InlineData("0F0A0400000000", "packed temporal value (type 10) must be 8 bytes, not 4")]
    [InlineData("0F", "truncated opaque value type")]
    public void Rejects_malformed_input_with_what_and_where(string hex, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => JsonBinaryDecoder.Decode(Convert.FromHexString(hex)));
        Assert.Contains(message, ex.Message);
        Assert.Contains("at offset", ex.Message);
    }

    [Fact]
    public void Rejects_value_offsets_that_share_data_instead_of_expanding_exponentially()
    {
        // Each level is an array whose 4 entries all point at the same child array: 4^60 values if expanded.
        var doc = new List<byte>();
        const int levels = 60;
        for (int i = 0; i < levels; i++)
        {
            int size = 4 + 4 * 3 + (levels - 1 - i) * 16 + 4; // header + entries + the rest of the chain
            doc.AddRange([(byte)4, 0, (byte)size, (byte)(size >> 8)]);
            for (int e = 0; e < 4; e++)
            {
                doc.AddRange([2, 16, 0]);
            }
        }

        doc.AddRange([0, 0, 4, 0]);
        doc.Insert(0, 2);
        var ex = Assert.Throws<InvalidDataException>(() => JsonBinaryDecoder.Decode(doc.ToArray()));
        Assert.Contains("far larger than the input", ex.Message);
    }

    // ---- a tiny encoder for the tests ----------------------------------------------------------------

    private abstract record Node;
    private sealed record Lit(byte Value) : Node;
    private sealed record Num(byte Type, byte[] Bytes) : Node;
    private sealed record Text(string Value) : Node;
    private sealed record Opq(byte FieldType, byte[] Data) : Node;
    private sealed record Container(bool IsObject, bool Large, string[] Keys, Node[] Values) : Node;

    private static Node Null => new Lit(0);
    private static Node True => new Lit(1);
    private static Node False => new Lit(2);
    private static Text Str(string v) => new(v);
    private static Num I16(short v) => new(5, Le(v, 2));
    private static Num U16(ushort v) => new(6, Le(v, 2));
    private static Num I32(int v) => new(7, Le(v, 4));
    private static Num U32(uint v) => new(8, Le(v, 4));
    private static Num I64(long v) => new(9, Le(v, 8));
    private static Num U64(ulong v) => new(10, Le((long)v, 8));
    private static Num Dbl(double v) => new(11, Le(BitConverter.DoubleToInt64Bits(v), 8));
    private static Container Arr(params Node[] values) => new(false, false, [], values);
    private static Container LargeArr(params Node[] values) => new(false, true, [], values);
    private static Container Obj(params (string Key, Node Value)[] m) => new(true, false, m.Select(x => x.Key).ToArray(), m.Select(x => x.Value).ToArray());
    private static Container LargeObj(params (string Key, Node Value)[] m) => new(true, true, m.Select(x => x.Key).ToArray(), m.Select(x => x.Value).ToArray());

    private static string Decode(Node node) => JsonBinaryDecoder.Decode(Doc(node));

    private static byte[] Doc(Node node) => [TypeOf(node), .. Body(node)];

    private static byte TypeOf(Node node) => node switch
    {
        Container c => (byte)((c.IsObject ? 0 : 2) + (c.Large ? 1 : 0)),
        Lit => 4,
        Num n => n.Type,
        Text => 12,
        _ => 15,
    };

    private static byte[] Body(Node node) => node switch
    {
        Lit l => [l.Value],
        Num n => n.Bytes,
        Text s => [.. VarLength(Encoding.UTF8.GetByteCount(s.Value)), .. Encoding.UTF8.GetBytes(s.Value)],
        Opq o => [o.FieldType, .. VarLength(o.Data.Length), .. o.Data],
        Container c => ContainerBody(c),
        _ => throw new ArgumentException("unknown node", nameof(node)),
    };

    private static byte[] ContainerBody(Container c)
    {
        int offsetSize = c.Large ? 4 : 2, count = c.Values.Length;
        int keyEntry = c.IsObject ? offsetSize + 2 : 0, valueEntry = 1 + offsetSize;
        var header = new byte[2 * offsetSize + count * (keyEntry + valueEntry)];
        var tail = new List<byte>();
        for (int i = 0; i < c.Keys.Length; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes(c.Keys[i]);
            Put(header, 2 * offsetSize + i * keyEntry, header.Length + tail.Count, offsetSize);
            Put(header, 2 * offsetSize + i * keyEntry + offsetSize, key.Length, 2);
            tail.AddRange(key);
        }

        for (int i = 0; i < count; i++)
        {
            int entry = 2 * offsetSize + count * keyEntry + i * valueEntry;
            header[entry] = TypeOf(c.Values[i]);
            byte[] body = Body(c.Values[i]);
            if (c.Values[i] is Lit || header[entry] is 5 or 6 || (c.Large && header[entry] is 7 or 8))
            {
                body.CopyTo(header, entry + 1); // inlined
            }
            else
            {
                Put(header, entry + 1, header.Length + tail.Count, offsetSize);
                tail.AddRange(body);
            }
        }

        Put(header, 0, count, offsetSize);
        Put(header, offsetSize, header.Length + tail.Count, offsetSize);
        Assert.True(c.Large || header.Length + tail.Count <= 0xFFFF, "small container too big for the test encoder");
        return [.. header, .. tail];
    }

    private static void Put(byte[] buffer, int at, long value, int width) => Le(value, width).CopyTo(buffer, at);

    private static byte[] Le(long value, int width)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes[..width];
    }

    private static byte[] VarLength(int length)
    {
        var bytes = new List<byte>();
        do
        {
            bytes.Add((byte)((length & 0x7F) | (length > 0x7F ? 0x80 : 0)));
            length >>= 7;
        }
        while (length != 0);
        return [.. bytes];
    }

    private static byte[] NestedArrays(int depth)
    {
        Node node = Arr();
        for (int i = 1; i < depth; i++)
        {
            node = Arr(node);
        }

        return Doc(node);
    }

    /// <summary>MySQL decimal2bin of a plain decimal string (with precision and scale bytes in front).</summary>
    private static byte[] DecimalBin(string text, int precision, int scale)
    {
        bool negative = text.StartsWith('-');
        string[] parts = text.TrimStart('-').Split('.');
        int intDigits = precision - scale;
        string integer = parts[0].TrimStart('0').PadLeft(intDigits, '0'), fraction = (parts.Length > 1 ? parts[1] : "").PadRight(scale, '0');
        var bin = new List<byte>();
        void Group(string digits)
        {
            int width = new[] { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 }[digits.Length];
            uint value = digits.Length == 0 ? 0 : uint.Parse(digits);
            for (int k = width - 1; k >= 0; k--)
            {
                bin.Add((byte)(value >> (8 * k)));
            }
        }

        Group(integer[..(intDigits % 9)]);
        for (int i = intDigits % 9; i < intDigits; i += 9)
        {
            Group(integer.Substring(i, 9));
        }

        for (int i = 0; i + 9 <= scale; i += 9)
        {
            Group(fraction.Substring(i, 9));
        }

        Group(fraction[(scale / 9 * 9)..]);
        bin[0] ^= 0x80;
        return [(byte)precision, (byte)scale, .. bin.Select(b => negative ? (byte)~b : b)];
    }

    /// <summary>TIME_to_longlong_datetime_packed (my_time.cc) as 8 little-endian bytes.</summary>
    private static byte[] DateTimePacked(int year, int month, int day, int hour, int minute, int second, int micros)
    {
        long ymd = ((long)(year * 13 + month) << 5) | (long)day, hms = (hour << 12) | (minute << 6) | second;
        return Le((((ymd << 17) | hms) << 24) + micros, 8);
    }

    /// <summary>TIME_to_longlong_time_packed (my_time.cc) as 8 little-endian bytes.</summary>
    private static byte[] TimePacked(bool negative, int hour, int minute, int second, int micros)
    {
        long packed = ((long)((hour << 12) | (minute << 6) | second) << 24) + micros;
        return Le(negative ? -packed : packed, 8);
    }
}
