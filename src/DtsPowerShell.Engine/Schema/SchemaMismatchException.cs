namespace DtsPowerShell.Engine.Schema;

/// <summary>The binlog describes a table otherwise than the schema the job knows: decoding it would misread its rows.</summary>
public sealed class SchemaMismatchException(string message) : Exception(message);
