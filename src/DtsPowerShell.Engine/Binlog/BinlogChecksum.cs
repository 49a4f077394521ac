namespace DtsPowerShell.Engine.Binlog;

/// <summary>The checksum algorithm a format description event announces.</summary>
public enum BinlogChecksum : byte
{
    None = 0,
    Crc32 = 1,
}
