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

    /// <summary>For a reader: the first transaction written at or after this time (read from the oldest binlog, skipped up to it).</summary>
    public DateTimeOffset? Time { get; private init; }

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

        if (MariaDbGtids().IsMatch(value) || MySqlGtidStart().IsMatch(value))
        {
            return AtGtid(value);
        }

        // A date and time is never taken for a position.
        return BinlogPosition.LooksLikePosition(value) ? At(BinlogPosition.Parse(value)) : throw Invalid(value);
    }

    /// <summary>As <see cref="Parse"/>, or a date and time (ISO 8601, or as this culture writes it): see <see cref="Time"/>.</summary>
    public static BinlogStart ParseForReader(string? text)
    {
        var value = text?.Trim() ?? "";
        try
        {
            return Parse(value);
        }
        catch (DtsInputException) when (TryParseTime(value, out var time))
        {
            return new() { FromOldest = true, Time = time };
        }
    }

    /// <summary>A date and time as a reader takes it for -Start and -Stop: ISO 8601, or as this culture writes it; local unless it says otherwise.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeLocal, out time)
        || DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.CurrentCulture, System.Globalization.DateTimeStyles.AssumeLocal, out time);

    private static DtsInputException Invalid(string text) =>
        new($"'{text}' is not a binlog position.", "Give file:position, e.g. mysql-bin.000042:4 (see SHOW BINARY LOGS on the source), or a GTID set.");

    public override string ToString() => Position?.ToString() ?? GtidSet ?? Time?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? (FromOldest ? "oldest" : "current");

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{1,10}-\d{1,10}-\d{1,20}(,\s*\d{1,10}-\d{1,10}-\d{1,20})*$")]
    private static partial System.Text.RegularExpressions.Regex MariaDbGtids();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9a-fA-F-]{36}:")]
    private static partial System.Text.RegularExpressions.Regex MySqlGtidStart();
}
