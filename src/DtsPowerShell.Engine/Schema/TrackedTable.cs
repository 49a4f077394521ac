namespace DtsPowerShell.Engine.Schema;

/// <summary>A selected source table as of a binlog position: its structure, and the CREATE TABLE that makes it (as SHOW CREATE TABLE printed it).</summary>
public sealed record TrackedTable(TableSchema Schema, string CreateStatement);
