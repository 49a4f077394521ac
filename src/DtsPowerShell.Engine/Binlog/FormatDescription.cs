
namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// What a format description event says about the events that follow: header and post-header lengths,
/// the checksum algorithm, and the server that wrote them.
/// </summary>
public sealed record FormatDescription(ushort BinlogVersion, string ServerVersion, int HeaderLength, byte[] PostHeaderLengths, BinlogChecksum Checksum)
{
    /// <summary>What is assumed before the first format description event (binlog v4 without checksums).</summary>
    public static FormatDescription Default { get; } = new(4, "", 19, [], BinlogChecksum.None);

    public bool IsMariaDb => ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);

    public int PostHeaderLength(BinlogEventType type, int fallback)
    {
        var index = (int)type - 1;
        return index >= 0 && index < PostHeaderLengths.Length ? PostHeaderLengths[index] : fallback;
    }

    /// <summary>Format description events carry a checksum algorithm byte from MySQL 5.6.1 and MariaDB 5.3 on.</summary>
    internal static bool HasChecksumAlgorithm(string serverVersion)
    {
        var version = Connections.ServerVersion.Parse(serverVersion);
        return (version.Major, version.Minor, version.Patch).CompareTo(version.IsMariaDb ? (5, 3, 0) : (5, 6, 1)) >= 0;
    }
}
