using System.Text;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>
/// Maps a collation id (as TABLE_MAP metadata gives it) to the .NET encoding of its character set; null for
/// binary and for character sets .NET cannot decode, whose values then stay bytes.
/// </summary>
internal static class CharacterSets
{
    // Collation ids per character set: MariaDB 10.11's information_schema.COLLATIONS, plus MySQL 8's
    // utf8mb4_0900 (255-323), utf8mb3_tolower_ci (76) and gb18030 (248-250).
    private static readonly Dictionary<string, string> IdsByCharset = new()
    {
        ["armscii8"] = "32,64,1056,1088",
        ["ascii"] = "11,65,1035,1089",
        ["big5"] = "1,84,1025,1108",
        ["binary"] = "63",
        ["cp1250"] = "26,34,44,66,99,1050,1090",
        ["cp1251"] = "14,23,50-52,1074-1075",
        ["cp1256"] = "57,67,1081,1091",
        ["cp1257"] = "29,58-59,1082-1083",
        ["cp850"] = "4,80,1028,1104",
        ["cp852"] = "40,81,1064,1105",
        ["cp866"] = "36,68,1060,1092",
        ["cp932"] = "95-96,1119-1120",
        ["dec8"] = "3,69,1027,1093",
        ["eucjpms"] = "97-98,1121-1122",
        ["euckr"] = "19,85,1043,1109",
        ["gb18030"] = "248-250",
        ["gb2312"] = "24,86,1048,1110",
        ["gbk"] = "28,87,1052,1111",
        ["geostd8"] = "92-93,1116-1117",
        ["greek"] = "25,70,1049,1094",
        ["hebrew"] = "16,71,1040,1095",
        ["hp8"] = "6,72,1030,1096",
        ["keybcs2"] = "37,73,1061,1097",
        ["koi8r"] = "7,74,1031,1098",
        ["koi8u"] = "22,75,1046,1099",
        ["latin1"] = "5,8,15,31,47-49,94,1032,1071",
        ["latin2"] = "2,9,21,27,77,1033,1101",
        ["latin5"] = "30,78,1054,1102",
        ["latin7"] = "20,41-42,79,1065,1103",
        ["macce"] = "38,43,1062,1067",
        ["macroman"] = "39,53,1063,1077",
        ["sjis"] = "13,88,1037,1112",
        ["swe7"] = "10,82,1034,1106",
        ["tis620"] = "18,89,1042,1113",
        ["ucs2"] = "35,90,128-151,159,640-642,1059,1114,1152,1174",
        ["ujis"] = "12,91,1036,1115",
        ["utf16"] = "54-55,101-124,672-674,1078-1079,1125,1147",
        ["utf16le"] = "56,62,1080,1086",
        ["utf32"] = "60-61,160-183,736-738,1084-1085,1184,1206",
        ["utf8mb3"] = "33,76,83,192-215,223,576-578,1057,1107,1216,1238",
        ["utf8mb4"] = "45-46,224-247,255-323,608-610,1069-1070,1248,1270",
    };

    private static readonly Dictionary<string, Func<Encoding>> EncodingsByCharset = new()
    {
        ["utf8mb4"] = () => Encoding.UTF8,
        ["utf8mb3"] = () => Encoding.UTF8,
        ["ascii"] = () => Encoding.ASCII,
        ["latin1"] = () => CodePage(1252),
        ["latin2"] = () => CodePage(28592),
        ["latin5"] = () => CodePage(28599),
        ["latin7"] = () => CodePage(28603),
        ["greek"] = () => CodePage(28597),
        ["hebrew"] = () => CodePage(28598),
        ["koi8r"] = () => CodePage(20866),
        ["koi8u"] = () => CodePage(21866),
        ["cp1250"] = () => CodePage(1250),
        ["cp1251"] = () => CodePage(1251),
        ["cp1256"] = () => CodePage(1256),
        ["cp1257"] = () => CodePage(1257),
        ["cp850"] = () => CodePage(850),
        ["cp852"] = () => CodePage(852),
        ["cp866"] = () => CodePage(866),
        ["cp932"] = () => CodePage(932),
        ["sjis"] = () => CodePage(932),
        ["big5"] = () => CodePage(950),
        ["gbk"] = () => CodePage(936),
        ["gb2312"] = () => CodePage(936),
        ["gb18030"] = () => CodePage(54936),
        ["euckr"] = () => CodePage(51949),
        ["ujis"] = () => CodePage(51932),
        ["eucjpms"] = () => CodePage(51932),
        ["tis620"] = () => CodePage(874),
        ["macroman"] = () => CodePage(10000),
        ["macce"] = () => CodePage(10029),
        ["ucs2"] = () => Encoding.BigEndianUnicode,
        ["utf16"] = () => Encoding.BigEndianUnicode,
        ["utf16le"] = () => Encoding.Unicode,
        ["utf32"] = () => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
    };

    private static readonly Dictionary<int, string> CharsetById = BuildIndex();
    private static readonly Dictionary<int, Encoding?> Cache = [];

    /// <summary>The encoding for a collation id; null for binary or an unknown or undecodable character set.</summary>
    public static Encoding? ForCollation(int collationId)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(collationId, out var encoding))
            {
                encoding = CharsetById.TryGetValue(collationId, out var charset) && EncodingsByCharset.TryGetValue(charset, out var make) ? make() : null;
                Cache[collationId] = encoding;
            }

            return encoding;
        }
    }

    private static Encoding CodePage(int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(codePage);
    }

    private static Dictionary<int, string> BuildIndex()
    {
        var index = new Dictionary<int, string>();
        foreach (var (charset, ids) in IdsByCharset)
        {
            foreach (var part in ids.Split(','))
            {
                var bounds = part.Split('-').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                for (var id = bounds[0]; id <= bounds[^1]; id++)
                {
                    index[id] = charset;
                }
            }
        }

        return index;
    }
}
