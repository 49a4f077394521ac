namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// A place in a source's binlog: a file and the offset of the next event in it, and where known the GTID
/// state reached there (MySQL GTID set, or MariaDB's domain-server-sequence list).
/// </summary>
public sealed partial record BinlogPosition(string File, ulong Position, string? GtidSet = null) : IComparable<BinlogPosition>
{
    /// <summary>
    /// Whether text is written as a position, <c>name.digits:offset</c> (a binlog file's name ends in its number): a time
    /// of day such as <c>10:00</c> is not.
    /// </summary>
    public static bool LooksLikePosition(string text) => PositionText().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^\s:]+\.\d+:\d+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PositionText();

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

    /// <summary>
    /// Orders positions within one server's binlog: by the file's sequence number (the digits after its last dot), then
    /// by offset. The GTID state plays no part.
    /// </summary>
    public int CompareTo(BinlogPosition? other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var files = SequenceOf(File).CompareTo(SequenceOf(other.File));
        return files != 0 ? files : Position.CompareTo(other.Position);
    }

    private static ulong SequenceOf(string file) =>
        ulong.TryParse(file.AsSpan(file.LastIndexOf('.') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) ? sequence : 0;

    public override string ToString() => GtidSet is null ? $"{File}:{Position}" : $"{File}:{Position} ({GtidSet})";
}
