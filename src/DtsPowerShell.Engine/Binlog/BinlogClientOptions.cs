namespace DtsPowerShell.Engine.Binlog;

/// <summary>How a <see cref="BinlogClient"/> presents itself and how long it waits.</summary>
public sealed class BinlogClientOptions
{
    /// <summary>The replica server id it registers with; must differ from every real replica's.</summary>
    public uint ServerId { get; init; } = (uint)Random.Shared.Next(1_000_000_000, 2_000_000_000);

    /// <summary>How often an idle source sends a heartbeat.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connecting, and silence on the stream beyond three heartbeats, fail after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a dropped stream is reconnected in a row before the error is passed on.</summary>
    public int ReconnectAttempts { get; init; } = 5;

    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Completes (or refuses) each new table map before its rows are decoded; see <see cref="BinlogEventDecoder.TableMapped"/>.</summary>
    public Action<Events.TableMapEvent>? TableMapped { get; init; }

    /// <summary>Which tables' rows to decode; see <see cref="BinlogEventDecoder.DecodeRowsOf"/>.</summary>
    public Func<Events.TableMapEvent, bool>? DecodeRowsOf { get; init; }
}
