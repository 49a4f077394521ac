using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>The checksum algorithm a format description event announces.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum BinlogChecksum : byte
{
    None = 0,
    Crc32 = 1,
}
