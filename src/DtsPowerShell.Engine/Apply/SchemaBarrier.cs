using DtsPowerShell.Engine.Binlog;

namespace DtsPowerShell.Engine.Apply;

/// <summary>
/// Put in the change stream after a statement's transaction: the reader waits for <see cref="Done"/> before it
/// decodes another event, so the rows after a DDL are bound to the schema the DDL left, not the one before it.
/// </summary>
public sealed record SchemaBarrier(TaskCompletionSource Done) : Change;
