using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Changes;

/// <summary>State a sink keeps per table (a copy's positions, a row filter), moved by what a statement did to the tables.</summary>
public static class TableStates
{
    /// <summary>
    /// Moves <paramref name="states"/> by a statement's <see cref="StatementChange.SchemaChanges"/>: a table it renamed
    /// (one with state gone, one without arrived) keeps its state under the new name, made by <paramref name="rename"/>;
    /// the state of a table gone goes with it.
    /// </summary>
    /// <returns>The tables whose state went.</returns>
    public static IReadOnlyList<(string Database, string Table)> Follow<T>(
        IDictionary<(string Database, string Table), T> states,
        IReadOnlyDictionary<(string Database, string Table), TrackedTable?> changes,
        Func<T, (string Database, string Table), T>? rename = null)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(changes);
        var gone = changes.Where(c => c.Value is null && states.ContainsKey(c.Key)).Select(c => c.Key).ToList();
        var arrived = changes.Where(c => c.Value is not null && !states.ContainsKey(c.Key)).Select(c => c.Key).ToList();
        if (gone.Count == 1 && arrived.Count == 1)
        {
            var state = states[gone[0]];
            states[arrived[0]] = rename is null ? state : rename(state, arrived[0]);
        }

        foreach (var name in gone)
        {
            states.Remove(name);
        }

        return gone;
    }
}
