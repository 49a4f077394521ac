namespace DtsPowerShell.Engine.Apply;

/// <summary>The sync met something it must not get past by itself; the message says what happened and what to do.</summary>
public sealed class SyncStoppedException(string message, Exception? inner = null) : Exception(message, inner);
