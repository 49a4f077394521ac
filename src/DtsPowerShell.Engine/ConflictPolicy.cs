using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine;

/// <summary>
/// What a job does when an applied change finds the target's row not as the source had it: an insert whose key
/// exists, an update or delete whose row is missing, an update whose row differs from the source's before image.
/// </summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ConflictPolicy
{
    /// <summary>Stop the job, naming the table, key, kind and binlog position.</summary>
    Fail,

    /// <summary>Keep the target's row as it is (and count the conflict).</summary>
    Ignore,

    /// <summary>Make the target's row the source's after image: a missing row is inserted, a differing one replaced.</summary>
    Overwrite,
}
