using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Binlog.Columns;

/// <summary>Column type codes as TABLE_MAP events carry them.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ColumnType : byte
{
    Decimal = 0,
    Tiny = 1,
    Short = 2,
    Long = 3,
    Float = 4,
    Double = 5,
    Null = 6,
    Timestamp = 7,
    LongLong = 8,
    Int24 = 9,
    Date = 10,
    Time = 11,
    DateTime = 12,
    Year = 13,
    NewDate = 14,
    VarChar = 15,
    Bit = 16,
    Timestamp2 = 17,
    DateTime2 = 18,
    Time2 = 19,
    TypedArray = 20,

    /// <summary>MariaDB: a BLOB/TEXT column with the COMPRESSED attribute.</summary>
    BlobCompressed = 140,

    /// <summary>MariaDB: a VARCHAR/VARBINARY column with the COMPRESSED attribute.</summary>
    VarCharCompressed = 141,
    Vector = 242,
    Invalid = 243,
    Bool = 244,
    Json = 245,
    NewDecimal = 246,
    Enum = 247,
    Set = 248,
    TinyBlob = 249,
    MediumBlob = 250,
    LongBlob = 251,
    Blob = 252,
    VarString = 253,
    String = 254,
    Geometry = 255,
}
