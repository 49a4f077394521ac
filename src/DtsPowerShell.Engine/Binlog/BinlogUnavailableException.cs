namespace DtsPowerShell.Engine.Binlog;

/// <summary>The source cannot serve the binlog from the asked position (purged, or never there).</summary>
public sealed class BinlogUnavailableException(string message, Exception inner) : Exception(message, inner);
