using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// The flags of a rows event: the session checks the source ran the rows under, which a replica applies them under too.
/// </summary>
[Flags]
[JsonConverter(typeof(StringEnumConverter))]
public enum RowsEventFlags : ushort
{
    None = 0,

    /// <summary>The last rows event of its statement.</summary>
    StatementEnd = 1,

    /// <summary>Written with foreign_key_checks=0.</summary>
    NoForeignKeyChecks = 2,

    /// <summary>Written with unique_checks=0.</summary>
    RelaxedUniqueChecks = 4,

    /// <summary>The images hold every column.</summary>
    CompleteRows = 8,
}
