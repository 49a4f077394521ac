namespace DtsPowerShell.Engine.Protocol;

/// <summary>An error packet from the server: its code, SQL state and message.</summary>
public sealed class MySqlServerException(int errorCode, string sqlState, string message) : Exception(message)
{
    public int ErrorCode { get; } = errorCode;

    public string SqlState { get; } = sqlState;

    internal static MySqlServerException FromErrorPacket(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        reader.Skip(1);
        var code = reader.ReadUInt16();
        var state = "HY000";
        if (!reader.AtEnd && reader.Rest[0] == (byte)'#')
        {
            reader.Skip(1);
            state = reader.ReadString(5);
        }

        return new MySqlServerException(code, state, $"{System.Text.Encoding.UTF8.GetString(reader.Rest)} (error {code}, state {state})");
    }
}
