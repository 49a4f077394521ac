namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// The common header of every event. <see cref="NextPosition"/> is the position just after the event in its
/// file (0 in events the server makes up, such as the first ROTATE of a dump).
/// </summary>
public readonly record struct BinlogEventHeader(uint Timestamp, BinlogEventType Type, uint ServerId, uint EventLength, uint NextPosition, ushort Flags)
{
    public const ushort InUseFlag = 0x0001;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    /// <summary>Where the event starts in its file; 0 for events with no position of their own (made up by the server, or inside a compressed transaction).</summary>
    public uint Position => NextPosition >= EventLength ? NextPosition - EventLength : 0;
}
