using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Jobs;

/// <summary>The outcome of one precheck item. Only <see cref="Failed"/> keeps a job from starting.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PrecheckStatus
{
    Passed,
    Warning,
    Failed,
}
