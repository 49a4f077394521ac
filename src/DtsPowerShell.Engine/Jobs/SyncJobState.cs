using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>Where a job is in its lifecycle.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum SyncJobState
{
    /// <summary>Created; no precheck has run yet.</summary>
    Created,

    /// <summary>The last precheck had a failed item.</summary>
    PrecheckFailed,

    /// <summary>The last precheck passed; the job may start.</summary>
    Ready,

    /// <summary>Its worker is starting and connecting to both servers.</summary>
    Starting,

    /// <summary>Creating the selected objects' structure on the target.</summary>
    InitializingSchema,

    /// <summary>Copying the selected tables' rows.</summary>
    InitializingData,

    /// <summary>Applying the source's changes as they happen.</summary>
    Synchronizing,

    /// <summary>Asked to stop; the worker stops at the next transaction boundary.</summary>
    Stopping,

    /// <summary>Stopped; a start resumes where it stopped.</summary>
    Stopped,

    /// <summary>Stopped by an error it cannot get past by itself (see the status's LastError).</summary>
    Failed,
}
