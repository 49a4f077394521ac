using DtsPowerShell.Engine.Binlog.Events;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// How a rows event type is laid out: v1 or v2 header, MariaDB-compressed row data, or MySQL's partial JSON
/// after-images (PARTIAL_UPDATE_ROWS).
/// </summary>
internal readonly record struct RowsEventFormat(RowsEventKind Kind, bool Version2, bool Compressed = false, bool PartialJson = false);
