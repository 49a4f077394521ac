using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace DtsPowerShell.Engine;

/// <summary>The kinds of change a job applies (New-DtsSyncJob -Operation); the others are left out on the target.</summary>
[Flags]
[JsonConverter(typeof(StringEnumConverter))]
public enum SyncOperations
{
    /// <summary>Nothing: not a valid choice for a job.</summary>
    None = 0,

    /// <summary>Inserted rows.</summary>
    Insert = 1,

    /// <summary>Updated rows.</summary>
    Update = 2,

    /// <summary>Deleted rows.</summary>
    Delete = 4,

    /// <summary>Schema changes: the statements the DDL rules apply (the schema the job reads rows with follows them either way).</summary>
    Ddl = 8,

    /// <summary>Every kind (the default).</summary>
    All = Insert | Update | Delete | Ddl,
}

/// <summary>The operations a user names, as one choice.</summary>
public static class SyncOperationChoice
{
    /// <summary>The kinds named together; null when none are named (the caller's default applies).</summary>
    /// <exception cref="DtsInputException">The names add up to nothing.</exception>
    public static SyncOperations? Combine(IEnumerable<SyncOperations>? named)
    {
        if (named is null)
        {
            return null;
        }

        var operations = named.Aggregate(SyncOperations.None, (all, one) => all | one);
        return operations == SyncOperations.None
            ? throw new DtsInputException("-Operation names no kind of change: the job would apply nothing.", "Name one or more of Insert, Update, Delete, Ddl, or All.")
            : operations;
    }
}
