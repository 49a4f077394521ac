namespace DtsPowerShell.Engine.Binlog;

/// <summary>Where a binlog stream starts: a file position, a GTID set, the oldest binlog or the current end.</summary>
public sealed record BinlogStart
{
    private BinlogStart()
    {
    }

    public BinlogPosition? Position { get; private init; }

    public string? GtidSet { get; private init; }

    public bool FromOldest { get; private init; }

    public static BinlogStart Current { get; } = new();

    public static BinlogStart Oldest { get; } = new() { FromOldest = true };

    public static BinlogStart At(BinlogPosition position) => new() { Position = position };

    public static BinlogStart AtGtid(string gtidSet) => new() { GtidSet = gtidSet };

    /// <summary><c>file:position</c>, a GTID set (MariaDB <c>0-1-100</c> or MySQL <c>uuid:1-5</c>), <c>oldest</c> or <c>current</c>.</summary>
    public static BinlogStart Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0 || value.Equals("current", StringComparison.OrdinalIgnoreCase))
        {
            return Current;
        }

        if (value.Equals("oldest", StringComparison.OrdinalIgnoreCase))
        {
            return Oldest;
        }

        return System.Text.RegularExpressions.Regex.IsMatch(value, @"^(\d+-\d+-\d+)(,\s*\d+-\d+-\d+)*$|^[0-9a-fA-F-]{36}:")
            ? AtGtid(value)
            : At(BinlogPosition.Parse(value));
    }

    public override string ToString() => Position?.ToString() ?? GtidSet ?? (FromOldest ? "oldest" : "current");
}
