namespace DtsPowerShell.Engine.Protocol;

/// <summary>Receives one row of a text result set: its bytes (each field length-encoded, 0xFB for NULL; valid only during the call) and the number of columns.</summary>
internal delegate void RowHandler(ReadOnlySpan<byte> row, int columns);
