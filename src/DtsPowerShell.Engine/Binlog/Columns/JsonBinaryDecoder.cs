using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// Decodes MySQL's binary JSON format ("json_binary": JSON column values in InnoDB and in row-based binlog
/// events, MySQL 5.7+) to JSON text formatted the way MySQL 8 prints it (Json_wrapper::to_string, json_dom.cc).
/// </summary>
/// <remarks>
/// Layout (sql-common/json_binary.h): a type byte, then the value. Objects and arrays hold an element count and
/// a byte size (2 bytes each in the small format, 4 in the large one), then key entries (objects only: offset +
/// 2-byte length), then value entries (type byte + offset, or the value itself for literals and int16/uint16,
/// and in the large format also int32/uint32). Offsets count from the byte after the container's type byte.
/// </remarks>
internal static class JsonBinaryDecoder
{
    private const int MaxDepth = 100; // JSON_DOCUMENT_MAX_DEPTH (json_syntax_check.cc): depth 101 is an error.
    private const byte TypeTimestamp = 7, TypeDate = 10, TypeTime = 11, TypeDateTime = 12; // enum_field_types
    private const byte TypeNewDecimal = 246, TypeVarString = 253;

    /// <summary>Decodes one JSON value in MySQL's binary format to JSON text, formatted as MySQL prints it (CAST(... AS CHAR)).</summary>
    /// <param name="data">The value, starting with its type byte. Empty input is <c>null</c>, as MySQL reads it.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="InvalidDataException">The data is truncated, malformed or nested deeper than 100 levels.</exception>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return "null"; // json_binary::parse_binary: empty values (IGNORE / non-strict inserts) read as null.
        }

        var output = new StringBuilder(Math.Min(data.Length * 2, 1 << 20) + 16);
        new Writer(data, output).Value(data[0], 0, 1, data.Length, 0);
        return output.ToString();
    }

    private static InvalidDataException Error(string what, long offset) =>
        new($"Invalid MySQL binary JSON: {what} (at offset {offset}).");

    private readonly ref struct Writer(ReadOnlySpan<byte> data, StringBuilder output)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly StringBuilder _out = output;

        // Valid documents print a few characters per input byte; value offsets that share data could make the
        // output grow exponentially, so give up long before that becomes a hang.
        private readonly long _maxChars = 16L * data.Length + 64;

        /// <summary>Writes the value of the given type stored in [<paramref name="pos"/>, <paramref name="end"/>).</summary>
        public void Value(byte type, int typePos, int pos, int end, int depth)
        {
            if (_out.Length > _maxChars)
            {
                throw Error("decoded text is far larger than the input (value offsets overlap)", pos);
            }

            switch (type)
            {
                case 0x00 or 0x01 or 0x02 or 0x03:
                    Container(isObject: type <= 0x01, large: (type & 1) == 1, pos, end, depth + 1);
                    break;
                case 0x04:
                    _out.Append(Fixed(pos, end, 1, "literal")[0] switch
                    {
                        0x00 => "null",
                        0x01 => "true",
                        0x02 => "false",
                        var b => throw Error($"unknown literal 0x{b:x2}", pos),
                    });
                    break;
                case 0x05: Number(BinaryPrimitives.ReadInt16LittleEndian(Fixed(pos, end, 2, "int16"))); break;
                case 0x06: Number(BinaryPrimitives.ReadUInt16LittleEndian(Fixed(pos, end, 2, "uint16"))); break;
                case 0x07: Number(BinaryPrimitives.ReadInt32LittleEndian(Fixed(pos, end, 4, "int32"))); break;
                case 0x08: Number(BinaryPrimitives.ReadUInt32LittleEndian(Fixed(pos, end, 4, "uint32"))); break;
                case 0x09: Number(BinaryPrimitives.ReadInt64LittleEndian(Fixed(pos, end, 8, "int64"))); break;
                case 0x0a: Number(BinaryPrimitives.ReadUInt64LittleEndian(Fixed(pos, end, 8, "uint64"))); break;
                case 0x0b: WriteDouble(BinaryPrimitives.ReadDoubleLittleEndian(Fixed(pos, end, 8, "double"))); break;
                case 0x0c: WriteString(VarLengthData(pos, end, "string", out _)); break;
                case 0x0f: Opaque(pos, end); break;
                default: throw Error($"unknown value type 0x{type:x2}", typePos);
            }
        }

        private void Container(bool isObject, bool large, int pos, int end, int depth)
        {
            string kind = isObject ? "object" : "array";
            if (depth > MaxDepth)
            {
                throw Error($"{kind} nested deeper than {MaxDepth} levels", pos);
            }

            int offsetSize = large ? 4 : 2, keyEntrySize = isObject ? offsetSize + 2 : 0, valueEntrySize = 1 + offsetSize;
            Fixed(pos, end, 2 * offsetSize, isObject ? "object header" : "array header");
            long count = Offset(pos, large), size = Offset(pos + offsetSize, large);
            long headerSize = 2L * offsetSize + count * (keyEntrySize + valueEntrySize);
            if (size > end - pos)
            {
                throw Error($"{kind} size {size} exceeds the {end - pos} bytes available", pos);
            }

            if (headerSize > size)
            {
                throw Error($"{kind} of {count} elements needs a {headerSize}-byte header but has size {size}", pos);
            }

            _out.Append(isObject ? '{' : '[');
            for (int i = 0; i < count; i++)
            {
                _out.Append(i > 0 ? ", " : "");
                if (isObject)
                {
                    int keyEntry = pos + 2 * offsetSize + i * keyEntrySize;
                    long keyOffset = Offset(keyEntry, large);
                    int keyLength = BinaryPrimitives.ReadUInt16LittleEndian(_data[(keyEntry + offsetSize)..]);
                    if (keyOffset < headerSize || keyOffset + keyLength > size)
                    {
                        throw Error($"key {i} (offset {keyOffset}, length {keyLength}) lies outside its object of size {size}", keyEntry);
                    }

                    WriteString(_data.Slice(pos + (int)keyOffset, keyLength));
                    _out.Append(": ");
                }

                int entry = pos + 2 * offsetSize + (int)count * keyEntrySize + i * valueEntrySize;
                byte type = _data[entry];
                if (type is 0x04 or 0x05 or 0x06 || (large && type is 0x07 or 0x08))
                {
                    Value(type, entry, entry + 1, entry + valueEntrySize, depth); // inlined in the entry
                    continue;
                }

                long valueOffset = Offset(entry + 1, large);
                if (valueOffset < headerSize || valueOffset >= size)
                {
                    throw Error($"value {i} offset {valueOffset} lies outside its {kind} of size {size}", entry);
                }

                Value(type, entry, pos + (int)valueOffset, pos + (int)size, depth);
            }

            _out.Append(isObject ? '}' : ']');
        }

        private void Opaque(int pos, int end)
        {
            byte fieldType = Fixed(pos, end, 1, "opaque value type")[0];
            var payload = VarLengthData(pos + 1, end, "opaque value", out int start);
            switch (fieldType)
            {
                case TypeNewDecimal: WriteDecimal(payload, start); return;
                case TypeDate or TypeTime or TypeDateTime or TypeTimestamp: WriteTemporal(fieldType, payload, start); return;
                case TypeVarString: WriteString(payload); return; // json_dom.cc: "Treat strings saved in opaque as plain json strings"
            }

            // "base64:type<N>:<data>"; MySQL's base64_encode breaks lines after 76 characters, and the newline is
            // JSON-escaped because the text is printed as a quoted string.
            _out.Append("\"base64:type");
            Number(fieldType);
            _out.Append(':');
            Span<char> line = stackalloc char[76];
            for (int i = 0; i < payload.Length; i += 57)
            {
                Convert.TryToBase64Chars(payload.Slice(i, Math.Min(57, payload.Length - i)), line, out int written);
                _out.Append(i > 0 ? "\\n" : "").Append(line[..written]);
            }

            _out.Append('"');
        }

        /// <summary>DECIMAL opaque value: precision byte, scale byte, then the <see cref="PackedDecimal"/> bytes.</summary>
        private void WriteDecimal(ReadOnlySpan<byte> payload, int offset)
        {
            if (payload.Length < 2)
            {
                throw Error($"DECIMAL value of {payload.Length} bytes lacks precision and scale", offset);
            }

            // Not capped at 65: MySQL writes precision 73 for some DECIMAL(65,10) values. bin2decimal fails only when
            // the digits need more than the 9 words (81 digits) of a my_decimal.
            int precision = payload[0], scale = payload[1], intDigits = precision - scale;
            if (precision == 0 || scale > precision || (intDigits + 8) / 9 + (scale + 8) / 9 > 9)
            {
                throw Error($"DECIMAL precision {precision} / scale {scale} is invalid", offset);
            }

            int binSize = PackedDecimal.SizeOf(intDigits, scale);
            if (payload.Length - 2 != binSize)
            {
                throw Error($"DECIMAL({precision},{scale}) needs {binSize} bytes but has {payload.Length - 2}", offset);
            }

            Span<char> text = stackalloc char[precision + 3];
            try
            {
                _out.Append(text[..PackedDecimal.Write(payload[2..], precision, scale, text)]);
            }
            catch (InvalidDataException e)
            {
                throw Error(e.Message, offset);
            }
        }

        /// <summary>
        /// DATE/TIME/DATETIME/TIMESTAMP opaque value: 8-byte little-endian packed "longlong" (my_time.cc
        /// TIME_from_longlong_datetime_packed / _time_packed): magnitude = (int part &lt;&lt; 24) + microseconds, negated
        /// when negative. Datetime int part = ((year * 13 + month) &lt;&lt; 5 | day) &lt;&lt; 17 | hour &lt;&lt; 12 | minute &lt;&lt; 6 | second;
        /// time int part = hour &lt;&lt; 12 | minute &lt;&lt; 6 | second. Printed by my_TIME_to_str(t, 6): always 6 fraction digits.
        /// </summary>
        private void WriteTemporal(byte fieldType, ReadOnlySpan<byte> payload, int offset)
        {
            if (payload.Length != 8)
            {
                throw Error($"packed temporal value (type {fieldType}) must be 8 bytes, not {payload.Length}", offset);
            }

            long packed = BinaryPrimitives.ReadInt64LittleEndian(payload);
            ulong magnitude = packed < 0 ? (ulong)(-(packed + 1)) + 1 : (ulong)packed, intPart = magnitude >> 24;
            _out.Append('"');
            if (fieldType == TypeTime)
            {
                _out.Append(packed < 0 ? "-" : "");
                Number((intPart >> 12) % 1024, "D2"); // hours: at least two digits, up to 838
                TwoDigits(":", (intPart >> 6) % 64);
                TwoDigits(":", intPart % 64);
            }
            else
            {
                ulong ymd = intPart >> 17, yearMonth = ymd >> 5, hms = intPart % (1 << 17);
                TwoDigits("", yearMonth / 13 / 100);
                TwoDigits("", yearMonth / 13 % 100);
                TwoDigits("-", yearMonth % 13);
                TwoDigits("-", ymd % 32);
                if (fieldType != TypeDate)
                {
                    TwoDigits(" ", hms >> 12);
                    TwoDigits(":", (hms >> 6) % 64);
                    TwoDigits(":", hms % 64);
                }
            }

            if (fieldType != TypeDate)
            {
                _out.Append('.');
                Number(magnitude % (1 << 24) % 1_000_000, "D6");
            }

            _out.Append('"');
        }

        /// <summary>Like format_two_digits in my_time.cc: values outside 0..99 print as "00".</summary>
        private void TwoDigits(string separator, ulong value)
        {
            _out.Append(separator);
            Number(value < 100 ? value : 0, "D2");
        }

        /// <summary>
        /// Formats a double like json_dom.cc: my_gcvt(d, MY_GCVT_ARG_DOUBLE, MY_GCVT_MAX_FIELD_WIDTH = 34), then ".0"
        /// when the text has neither '.' nor 'e' (MySQL 8.0; 5.7 printed 3.0 as "3"). my_gcvt (strings/dtoa.cc)
        /// uses the shortest round-trip digits (dtoa mode 4 with 34 digits) and fixed notation when the decimal
        /// exponent decpt (value = 0.DIGITS x 10^decpt) is >= -14 and either &lt;= 15 or below the digit count; else
        /// "d.ddde-N" without '+' or exponent padding. So 1e300, 1e15, 100000000000000.0, 0.000000000000001, 1e-16.
        /// NaN and infinity (which MySQL never stores) print "0.0", as my_gcvt's overflow "0" plus ".0".
        /// </summary>
        private void WriteDouble(double value)
        {
            if (value == 0 || !double.IsFinite(value))
            {
                _out.Append(value == 0 && double.IsNegative(value) ? "-0.0" : "0.0");
                return;
            }

            Span<char> text = stackalloc char[40], digits = stackalloc char[24];
            value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture); // shortest round-trip
            int count = 0, decpt = 0, i = value < 0 ? 1 : 0;
            bool afterPoint = false;
            for (; i < length && text[i] is not ('E' or 'e'); i++)
            {
                if (text[i] == '.')
                {
                    afterPoint = true;
                }
                else if (count == 0 && text[i] == '0')
                {
                    decpt -= afterPoint ? 1 : 0; // leading zeros of 0.000ddd
                }
                else
                {
                    digits[count++] = text[i];
                    decpt += afterPoint ? 0 : 1;
                }
            }

            decpt += i < length ? int.Parse(text[(i + 1)..length], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            while (digits[count - 1] == '0')
            {
                count--;
            }

            var d = digits[..count];
            _out.Append(value < 0 ? "-" : "");
            if (decpt < -14 || (decpt > 15 && count <= decpt))
            {
                _out.Append(d[0]).Append(count > 1 ? "." : "").Append(d[1..]).Append('e');
                Number(decpt - 1);
            }
            else if (decpt <= 0)
            {
                _out.Append("0.").Append('0', -decpt).Append(d);
            }
            else if (decpt < count)
            {
                _out.Append(d[..decpt]).Append('.').Append(d[decpt..]);
            }
            else
            {
                _out.Append(d).Append('0', decpt - count).Append(".0");
            }
        }

        /// <summary>Writes a quoted string escaped like json_dom.cc escape_character: \" \\ \b \f \n \r \t, \u00xx for other bytes &lt;= 0x1f.</summary>
        private void WriteString(ReadOnlySpan<byte> utf8)
        {
            _out.Append('"');
            int runStart = 0;
            for (int i = 0; i < utf8.Length; i++)
            {
                byte b = utf8[i];
                if (b > 0x1f && b != '"' && b != '\\')
                {
                    continue;
                }

                Utf8(utf8[runStart..i]);
                runStart = i + 1;
                char escape = b switch
                {
                    (byte)'"' or (byte)'\\' => (char)b,
                    0x08 => 'b',
                    0x09 => 't',
                    0x0a => 'n',
                    0x0c => 'f',
                    0x0d => 'r',
                    _ => 'u',
                };
                _out.Append('\\').Append(escape).Append(escape == 'u' ? "00" : "");
                if (escape == 'u')
                {
                    _out.Append("0123456789abcdef"[b >> 4]).Append("0123456789abcdef"[b & 0xf]);
                }
            }

            Utf8(utf8[runStart..]);
            _out.Append('"');
        }

        /// <summary>Appends UTF-8 text; invalid sequences become U+FFFD (MySQL would pass the raw bytes through).</summary>
        private void Utf8(ReadOnlySpan<byte> utf8)
        {
            int max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
            char[]? rented = max > 256 ? ArrayPool<char>.Shared.Rent(max) : null;
            Span<char> chars = rented is null ? stackalloc char[256] : rented;
            _out.Append(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        private void Number<T>(T value, string? format = null) where T : ISpanFormattable
        {
            Span<char> text = stackalloc char[24];
            value.TryFormat(text, out int length, format, CultureInfo.InvariantCulture);
            _out.Append(text[..length]);
        }

        /// <summary>Reads a length prefix (7 bits a byte, low bits first, at most 5 bytes) and the data it announces.</summary>
        private ReadOnlySpan<byte> VarLengthData(int pos, int end, string what, out int start)
        {
            ulong length = 0;
            for (int i = 0; i < 5; i++)
            {
                byte b = pos + i < end ? _data[pos + i] : throw Error($"truncated {what} length", pos);
                length |= (ulong)(b & 0x7f) << (7 * i);
                if ((b & 0x80) == 0)
                {
                    start = pos + i + 1;
                    return length <= (ulong)(end - start)
                        ? _data.Slice(start, (int)length)
                        : throw Error($"{what} length {length} exceeds the {end - start} bytes available", pos);
                }
            }

            throw Error($"{what} length prefix is longer than 5 bytes", pos);
        }

        private long Offset(int pos, bool large) => large
            ? BinaryPrimitives.ReadUInt32LittleEndian(_data[pos..])
            : BinaryPrimitives.ReadUInt16LittleEndian(_data[pos..]);

        /// <summary>The <paramref name="count"/> bytes at <paramref name="pos"/>, which must lie before <paramref name="end"/>.</summary>
        private ReadOnlySpan<byte> Fixed(int pos, int end, int count, string what) => end - pos >= count
            ? _data.Slice(pos, count)
            : throw Error($"truncated {what}: needs {count} bytes, {Math.Max(0, end - pos)} available", pos);
    }
}
