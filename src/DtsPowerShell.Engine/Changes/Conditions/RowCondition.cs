using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Changes.Conditions;

/// <summary>
/// A SQL condition on a table's rows (a job's row filter), read once against the table's columns and evaluated on
/// each row the binlog holds, with MySQL's semantics (<see cref="SqlValues"/>): AND, OR, NOT with NULL as unknown;
/// comparisons by the column's collation; IN, BETWEEN, LIKE, IS [NOT] NULL; arithmetic; common string, number and
/// date functions. A row is taken only where the condition is true, as a WHERE clause takes it. One instance is for
/// one thread (it keeps the last LIKE pattern it read).
/// </summary>
public sealed class RowCondition
{
    private readonly Func<IReadOnlyList<object?>, object?> evaluate;

    private RowCondition(string text, Func<IReadOnlyList<object?>, object?> evaluate)
    {
        Text = text;
        this.evaluate = evaluate;
    }

    /// <summary>The condition as written: what the full copy puts in its WHERE.</summary>
    public string Text { get; }

    /// <summary>Reads a condition on <paramref name="table"/>'s columns.</summary>
    /// <exception cref="DtsInputException">A part the engine cannot evaluate, named, with what to do.</exception>
    public static RowCondition Parse(string text, TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(table);
        return new RowCondition(text.Trim(), new ConditionCompiler(text, table).Compile());
    }

    /// <summary>Whether a row (one value per column, as the binlog decodes it) is taken: the condition is true for it.</summary>
    public bool Matches(IReadOnlyList<object?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return SqlValues.Truth(evaluate(row)) == true;
    }
}
