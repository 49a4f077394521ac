using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>What a job copies before incremental sync starts.</summary>
[Flags]
[JsonConverter(typeof(StringEnumConverter))]
public enum InitialSync
{
    /// <summary>Incremental sync only.</summary>
    None = 0,

    /// <summary>Create the selected objects' structure on the target.</summary>
    Schema = 1,

    /// <summary>Copy the selected tables' rows.</summary>
    Data = 2,
}
