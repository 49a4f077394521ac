namespace DtsPowerShell.Engine.Binlog;

/// <summary>Where a binlog stream starts: a file position, a GTID set, the oldest binlog or the current end.</summary>
public sealed partial record BinlogStart
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

    /// <summary>A MariaDB GTID state (<c>0-1-100,1-2-5</c>) or a MySQL GTID set (<c>uuid:1-5</c>), checked here: it is sent to the server.</summary>
    public static BinlogStart AtGtid(string gtidSet)
    {
        ArgumentNullException.ThrowIfNull(gtidSet);
        var value = gtidSet.Trim();
        if (MariaDbGtids().IsMatch(value))
        {
            return new() { GtidSet = value };
        }

        return new() { GtidSet = MySqlGtidSet.Parse(value).ToString() };
    }

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

        return MariaDbGtids().IsMatch(value) || MySqlGtidStart().IsMatch(value)
            ? AtGtid(value)
            : At(BinlogPosition.Parse(value));
    }

    public override string ToString() => Position?.ToString() ?? GtidSet ?? (FromOldest ? "oldest" : "current");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{1,10}-\d{1,10}-\d{1,20}(,\s*\d{1,10}-\d{1,10}-\d{1,20})*$")]
    private static partial System.Text.RegularExpressions.Regex MariaDbGtids();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9a-fA-F-]{36}:")]
    private static partial System.Text.RegularExpressions.Regex MySqlGtidStart();
}
