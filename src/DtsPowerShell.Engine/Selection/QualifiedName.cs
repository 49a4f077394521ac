using System.Text;

namespace DtsPowerShell.Engine.Selection;

/// <summary>
/// A dotted MySQL name of one to three parts (<c>db</c>, <c>db.table</c>, <c>db.table.column</c>); a part
/// may be back-quoted (<c>`my.db`.`t`</c>, with <c>``</c> for a back quote inside).
/// </summary>
public sealed record QualifiedName(IReadOnlyList<string> Parts)
{
    public static QualifiedName Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<string>();
        var part = new StringBuilder();
        var quoted = false;
        var partWasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '`')
                {
                    part.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '`')
                {
                    part.Append('`');
                    i++;
                }
                else
                {
                    quoted = false;
                    if (i + 1 < text.Length && text[i + 1] != '.')
                    {
                        throw Invalid(text, what, $"a back-quoted name must be followed by '.' or end the text (at position {i + 2})");
                    }
                }
            }
            else if (c == '`' && part.Length == 0 && !partWasQuoted)
            {
                quoted = partWasQuoted = true;
            }
            else if (c == '.')
            {
                parts.Add(Finish(part, partWasQuoted, text, what));
                partWasQuoted = false;
            }
            else if (c == '`')
            {
                throw Invalid(text, what, $"a back quote may only open a name (at position {i + 1})");
            }
            else
            {
                part.Append(c);
            }
        }

        if (quoted)
        {
            throw Invalid(text, what, "a back quote is not closed");
        }

        parts.Add(Finish(part, partWasQuoted, text, what));
        return new QualifiedName(parts);
    }

    /// <summary>The name as MySQL would accept it, back-quoting only the parts that need it.</summary>
    public override string ToString() => string.Join('.', Parts.Select(Display));

    public bool Equals(QualifiedName? other) => other is not null && Parts.SequenceEqual(other.Parts, StringComparer.Ordinal);

    public override int GetHashCode() => Parts.Aggregate(0, (hash, part) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(part)));

    public static string Display(string part) =>
        part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$') && !part.All(char.IsAsciiDigit)
            ? part
            : Quote(part);

    /// <summary>Back-quotes an identifier for SQL text.</summary>
    public static string Quote(string part) => "`" + part.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static string Finish(StringBuilder part, bool quoted, string text, string what)
    {
        var value = quoted ? part.ToString() : part.ToString().Trim();
        if (value.Length == 0)
        {
            throw Invalid(text, what, "a name part is empty");
        }

        if (value[^1] == ' ')
        {
            // The server refuses such a name (1102, 1103) only when the job first creates or uses it.
            throw Invalid(text, what, $"'{value}' ends with a space, which MySQL allows in no database, table or column name");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(text, what, $"'{value.Replace("\0", "\\0", StringComparison.Ordinal)}' holds the character NUL, which MySQL allows in no name");
        }

        if (value.Length > 64)
        {
            throw Invalid(text, what, $"'{value}' is longer than MySQL's 64 characters");
        }

        part.Clear();
        return value;
    }

    private static DtsInputException Invalid(string text, string what, string why) =>
        new($"{what} '{text}' is not a valid name: {why}.",
            "Write db, db.table or db.table.column; back-quote a part that holds a dot or a space, e.g. `my.db`.`my table`.");
}
