namespace DtsPowerShell.Engine.Schema;

/// <summary>
/// A stretch of a table in key order, for reading it a chunk at a time: the rows after one key (exclusive) up to and
/// including another, either end open. Keys are given as SQL (literals, or parameter names), one per key column. The
/// conditions are written out term by term, <c>(a &gt; x) OR (a = x AND b &gt; y)</c>, rather than as a row comparison,
/// a form every server's range optimizer turns into an index range. The full copy and the verification both read by it.
/// </summary>
/// <param name="Keys">The key columns, quoted, in key order.</param>
/// <param name="After">The key the range starts after, or null (from the first row).</param>
/// <param name="Through">The last key in the range, or null (to the last row).</param>
public sealed record KeysetRange(IReadOnlyList<string> Keys, IReadOnlyList<string>? After = null, IReadOnlyList<string>? Through = null)
{
    /// <summary>The range's condition as a WHERE clause with a leading space, or "" for the whole table.</summary>
    public string Where
    {
        get
        {
            var conditions = new List<string>();
            if (After is not null)
            {
                conditions.Add("(" + Compare(After, ">") + ")");
            }

            if (Through is not null)
            {
                conditions.Add("(" + Compare(Through, "<", inclusive: true) + ")");
            }

            return conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        }
    }

    /// <summary>The key order, as an ORDER BY clause with a leading space.</summary>
    public string OrderBy => " ORDER BY " + string.Join(",", Keys);

    /// <summary>The same range with other ends.</summary>
    public KeysetRange Between(IReadOnlyList<string>? after, IReadOnlyList<string>? through) => this with { After = after, Through = through };

    private string Compare(IReadOnlyList<string> values, string strict, bool inclusive = false)
    {
        if (values.Count != Keys.Count)
        {
            throw new ArgumentException($"A key of {Keys.Count} columns was given {values.Count} values.", nameof(values));
        }

        var terms = new List<string>();
        for (var k = 0; k < Keys.Count; k++)
        {
            var last = k == Keys.Count - 1;
            var equal = Enumerable.Range(0, k).Select(j => $"{Keys[j]} = {values[j]}");
            terms.Add("(" + string.Join(" AND ", equal.Append($"{Keys[k]} {strict}{(inclusive && last ? "=" : "")} {values[k]}")) + ")");
        }

        return string.Join(" OR ", terms);
    }
}
