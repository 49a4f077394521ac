namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// A place in a source's binlog: a file and the offset of the next event in it, and where known the GTID
/// state reached there (MySQL GTID set, or MariaDB's domain-server-sequence list).
/// </summary>
public sealed record BinlogPosition(string File, ulong Position, string? GtidSet = null)
{
    /// <summary>Parses <c>file:position</c>.</summary>
    public static BinlogPosition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ulong.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position) || position < 4)
        {
            throw new DtsInputException($"'{text}' is not a binlog position.", "Give file:position, e.g. mysql-bin.000042:4 (see SHOW BINARY LOGS on the source), or a GTID set.");
        }

        return new BinlogPosition(text[..colon], position);
    }

    public override string ToString() => GtidSet is null ? $"{File}:{Position}" : $"{File}:{Position} ({GtidSet})";
}
