using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Binlog.Events;

[JsonConverter(typeof(StringEnumConverter))]
public enum RowsEventKind
{
    Insert,
    Update,
    Delete,
}
