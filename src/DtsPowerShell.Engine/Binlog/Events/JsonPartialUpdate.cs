using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine.Binlog.Events;

/// <summary>
/// The after-image value of a JSON column that MySQL logged as changes to the document before it
/// (PARTIAL_UPDATE_ROWS events, <c>binlog_row_value_options=PARTIAL_JSON</c>): apply <see cref="Diffs"/> in
/// order to the before-image value.
/// </summary>
public sealed record JsonPartialUpdate(IReadOnlyList<JsonDiff> Diffs)
{
    public override string ToString() => string.Join("; ", Diffs);
}

/// <summary>One change to a JSON document: at <see cref="Path"/> (<c>$.a[2]</c>), replace, insert or remove a value (JSON text).</summary>
public sealed record JsonDiff(JsonDiffOperation Operation, string Path, string? Value)
{
    public override string ToString() => Value is null ? $"{Operation} {Path}" : $"{Operation} {Path} {Value}";
}

[JsonConverter(typeof(StringEnumConverter))]
public enum JsonDiffOperation
{
    Replace = 0,
    Insert = 1,
    Remove = 2,
}
