namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// The common header of every event. <see cref="NextPosition"/> is the position just after the event in its
/// file (0 in events the server makes up, such as the first ROTATE of a dump).
/// </summary>
public readonly record struct BinlogEventHeader(uint Timestamp, BinlogEventType Type, uint ServerId, uint EventLength, uint NextPosition, ushort Flags)
{
    public const ushort InUseFlag = 0x0001;

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(Timestamp);
}
