using System.Globalization;
using System.Text;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Schema;

namespace DtsPowerShell.Engine.Changes.Conditions;

/// <summary>
/// Reads a row condition (MySQL's expression grammar, the part a row filter needs) into a function of the row, by
/// recursive descent over <see cref="SqlLexer"/>'s tokens, lowest precedence first: OR, AND, NOT, comparisons and
/// the predicates, + and -, * / DIV MOD, unary minus, then literals, columns, functions and parentheses.
/// </summary>
internal sealed class ConditionCompiler(string text, TableSchema table)
{
    private delegate object? Eval(IReadOnlyList<object?> row);

    private static readonly HashSet<string> Changing = new(StringComparer.OrdinalIgnoreCase)
    {
        "now", "sysdate", "curdate", "curtime", "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp",
        "utc_date", "utc_time", "utc_timestamp", "rand", "uuid", "uuid_short", "unix_timestamp", "connection_id", "user", "current_user", "database",
    };

    private readonly IReadOnlyList<SqlToken> tokens = SqlLexer.Tokenize(text);
    private int at;

    public Func<IReadOnlyList<object?>, object?> Compile()
    {
        if (tokens.Count == 0)
        {
            throw Refuse("The condition is empty", "Give a SQL condition on the table's columns, e.g. \"region = 'EU' AND amount > 10\".");
        }

        var (eval, _) = Or();
        if (at < tokens.Count)
        {
            throw Refuse($"'{Rest()}' does not continue the condition", "Check the syntax there: a condition joins comparisons with AND, OR and NOT.");
        }

        return row => eval(row);
    }

    // Each step gives the function and the collation of its text, where it comes from a column.
    private (Eval Eval, string? Collation) Or()
    {
        var left = And();
        while (Keyword("OR") || Symbols("||"))
        {
            var (l, r) = (left.Eval, And().Eval);
            left = (row =>
            {
                var first = SqlValues.Truth(l(row));
                if (first == true)
                {
                    return 1L;
                }

                var second = SqlValues.Truth(r(row));
                return second == true ? 1L : first is null || second is null ? null : 0L;
            }, null);
        }

        return left;
    }

    private (Eval Eval, string? Collation) And()
    {
        var left = Not();
        while (Keyword("AND") || Symbols("&&"))
        {
            var (l, r) = (left.Eval, Not().Eval);
            left = (row =>
            {
                var first = SqlValues.Truth(l(row));
                if (first == false)
                {
                    return 0L;
                }

                var second = SqlValues.Truth(r(row));
                return second == false ? 0L : first is null || second is null ? null : 1L;
            }, null);
        }

        return left;
    }

    private (Eval Eval, string? Collation) Not()
    {
        if (Keyword("NOT") || (Peek is { } t && t.IsSymbol('!') && !NextIs(1, '=') && Take()))
        {
            var inner = Not().Eval;
            return (row => SqlValues.Truth(inner(row)) is { } truth ? (truth ? 0L : 1L) : null, null);
        }

        return Predicate();
    }

    private (Eval Eval, string? Collation) Predicate()
    {
        var left = Sum();
        while (true)
        {
            var start = at;
            if (Keyword("IS"))
            {
                var negate = Keyword("NOT");
                var l = left.Eval;
                Eval test = Keyword("NULL") ? row => l(row) is null ? 1L : 0L
                    : Keyword("TRUE") ? row => SqlValues.Truth(l(row)) == true ? 1L : 0L
                    : Keyword("FALSE") ? row => SqlValues.Truth(l(row)) == false ? 1L : 0L
                    : throw Refuse($"IS {Rest()}", "Write IS NULL, IS NOT NULL, IS TRUE or IS FALSE.");
                left = (negate ? row => (long)test(row)! == 1 ? 0L : 1L : test, null);
                continue;
            }

            var not = Keyword("NOT");
            if (Keyword("IN"))
            {
                left = In(left, not);
            }
            else if (Keyword("BETWEEN"))
            {
                var (l, collation) = left;
                var low = Sum().Eval;
                Expect("AND", "BETWEEN needs AND between its two bounds.");
                var high = Sum().Eval;
                Eval between = row => SqlValues.Bool(Both(SqlValues.Compare(l(row), low(row), collation) is { } a ? a >= 0 : null, SqlValues.Compare(l(row), high(row), collation) is { } b ? b <= 0 : null));
                left = (not ? Negate(between) : between, null);
            }
            else if (Keyword("LIKE"))
            {
                var (l, collation) = left;
                var pattern = Sum().Eval;
                if (Keyword("ESCAPE"))
                {
                    throw Refuse("LIKE … ESCAPE", "Use the default escape character, the backslash: LIKE 'a\\_b'.");
                }

                // The pattern is read into a regular expression when it changes (for a literal: once).
                (string Text, bool IgnoreCase, System.Text.RegularExpressions.Regex Regex)? last = null;
                Eval like = row =>
                {
                    if (l(row) is not { } value || pattern(row) is not { } p)
                    {
                        return null;
                    }

                    var (text, ignoreCase) = (SqlValues.Text(p), SqlValues.IsCaseInsensitive(collation) && value is not byte[]);
                    if (last is not { } known || known.Text != text || known.IgnoreCase != ignoreCase)
                    {
                        last = known = (text, ignoreCase, SqlValues.LikeRegex(text, ignoreCase));
                    }

                    return known.Regex.IsMatch(SqlValues.Text(value)) ? 1L : 0L;
                };
                left = (not ? Negate(like) : like, null);
            }
            else if (not)
            {
                at = start;
                return left;
            }
            else if (ComparisonOperator() is { } op)
            {
                var right = Sum();
                var (l, r) = (left.Eval, right.Eval);
                var collation = left.Collation ?? right.Collation;
                left = op == "<=>"
                    ? (row => l(row) is var a && r(row) is var b && (a is null || b is null) ? (a is null && b is null ? 1L : 0L) : SqlValues.Compare(a, b, collation) == 0 ? 1L : 0L, null)
                    : (row => SqlValues.Compare(l(row), r(row), collation) is { } order ? (Holds(op, order) ? 1L : 0L) : null, null);
            }
            else
            {
                return left;
            }
        }
    }

    private (Eval Eval, string? Collation) In((Eval Eval, string? Collation) left, bool not)
    {
        Expect('(', "IN needs a list in parentheses: IN ('a', 'b').");
        var items = new List<Eval>();
        do
        {
            if (Peek is { } t && t.Is("SELECT"))
            {
                throw Refuse("IN (SELECT …)", "A row filter reads only the row itself: list the values.");
            }

            items.Add(Sum().Eval);
        }
        while (Symbol(','));
        Expect(')', "Close the IN list with ')'.");
        var (l, collation) = left;
        Eval inList = row =>
        {
            var value = l(row);
            var unknown = value is null;
            foreach (var item in items)
            {
                switch (SqlValues.Compare(value, item(row), collation))
                {
                    case 0:
                        return 1L;
                    case null:
                        unknown = true;
                        break;
                }
            }

            return unknown ? null : 0L;
        };
        return (not ? Negate(inList) : inList, null);
    }

    private (Eval Eval, string? Collation) Sum()
    {
        var left = Product();
        while (Peek is { } t && (t.IsSymbol('+') || t.IsSymbol('-')))
        {
            Take();
            var (l, r, op) = (left.Eval, Product().Eval, t.Value[0]);
            left = (row => SqlValues.Arithmetic(op, l(row), r(row)), null);
        }

        return left;
    }

    private (Eval Eval, string? Collation) Product()
    {
        var left = Unary();
        while (true)
        {
            char op;
            if (Peek is { } t && (t.IsSymbol('*') || t.IsSymbol('/') || t.IsSymbol('%')))
            {
                Take();
                op = t.Value[0];
            }
            else if (Keyword("DIV"))
            {
                op = 'd';
            }
            else if (Keyword("MOD"))
            {
                op = '%';
            }
            else
            {
                return left;
            }

            var (l, r) = (left.Eval, Unary().Eval);
            left = (row => SqlValues.Arithmetic(op, l(row), r(row)), null);
        }
    }

    private (Eval Eval, string? Collation) Unary()
    {
        if (Symbol('-'))
        {
            var inner = Unary().Eval;
            return (row => SqlValues.Arithmetic('-', 0L, inner(row)), null);
        }

        Symbol('+');
        return Primary();
    }

    private (Eval Eval, string? Collation) Primary()
    {
        var token = Peek ?? throw Refuse("The condition ends too early", "Complete the condition after its last operator.");
        Take();
        switch (token.Kind)
        {
            case SqlTokenKind.Number:
                return (Constant(NumberOf(token)), null);
            case SqlTokenKind.String:
                var literal = Unquote(token.Value);
                return (_ => literal, null);
            case SqlTokenKind.Symbol when token.IsSymbol('('):
                var inner = Or();
                Expect(')', "Close the parenthesis.");
                return inner;
            case SqlTokenKind.QuotedIdentifier:
                return Column(token.Value);
            case SqlTokenKind.Word when token.Is("NULL"):
                return (_ => null, null);
            case SqlTokenKind.Word when token.Is("TRUE"):
                return (_ => 1L, null);
            case SqlTokenKind.Word when token.Is("FALSE"):
                return (_ => 0L, null);
            case SqlTokenKind.Word when Peek is { } next && next.IsSymbol('('):
                return Function(token.Value);
            case SqlTokenKind.Word when Peek is { } dot && dot.IsSymbol('.'):
                throw Refuse($"{token.Value}.", "Name the row's columns alone (amount, not orders.amount): the condition is on one table.");
            case SqlTokenKind.Word:
                return Column(token.Value);
            case SqlTokenKind.Variable:
                throw Refuse(token.Value, "A row filter reads only the row itself: write the value instead of the variable.");
            default:
                throw Refuse($"'{token.Value}'", "Check the syntax there.");
        }
    }

    private (Eval Eval, string? Collation) Column(string name)
    {
        var index = -1;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            if (string.Equals(table.Columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw Refuse($"Column `{name}` is not in {table}", $"Name one of its columns: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
        }

        var column = table.Columns[index];
        var labels = column.Labels;
        var isSet = column.DataType == "set";
        return (row =>
        {
            var value = index < row.Count ? row[index] : null;
            if (ReferenceEquals(value, RowImage.Absent))
            {
                return null;
            }

            // ENUM arrives as its index, SET as its bit mask: the condition compares their labels.
            if (labels.Count > 0 && value is not null and not string)
            {
                var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return isSet
                    ? string.Join(',', labels.Where((_, bit) => (number & (1L << bit)) != 0))
                    : number >= 1 && number <= labels.Count ? labels[(int)number - 1] : "";
            }

            return SqlValues.Normalize(value);
        }, column.Collation);
    }

    private (Eval Eval, string? Collation) Function(string name)
    {
        if (Changing.Contains(name))
        {
            throw Refuse($"{name.ToUpperInvariant()}()", "A row filter must give the same answer whenever the row is read: compare with a fixed value instead.");
        }

        Expect('(', "");
        var args = new List<(Eval Eval, string? Collation)>();
        if (!Symbol(')'))
        {
            do
            {
                args.Add(Or());
            }
            while (Symbol(','));
            Expect(')', $"Close the arguments of {name.ToUpperInvariant()} with ')'.");
        }

        var a = args.Select(x => x.Eval).ToArray();
        var collation = args.FirstOrDefault().Collation;
        Eval Arity(int min, int max, Eval eval) => args.Count >= min && args.Count <= max
            ? eval
            : throw Refuse($"{name.ToUpperInvariant()} with {args.Count} arguments", $"Give {name.ToUpperInvariant()} {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}")} arguments.");
        Eval eval = name.ToLowerInvariant() switch
        {
            "lower" or "lcase" => Arity(1, 1, row => a[0](row) is { } v ? SqlValues.Text(v).ToLowerInvariant() : null),
            "upper" or "ucase" => Arity(1, 1, row => a[0](row) is { } v ? SqlValues.Text(v).ToUpperInvariant() : null),
            "char_length" or "character_length" => Arity(1, 1, row => a[0](row) is { } v ? (long)SqlValues.Text(v).Length : null),
            "length" or "octet_length" => Arity(1, 1, row => a[0](row) switch { null => null, byte[] b => (long)b.Length, var v => (long)EncodingOf(collation).GetByteCount(SqlValues.Text(v)) }),
            "concat" => Arity(1, int.MaxValue, row =>
            {
                var parts = a.Select(f => f(row)).ToList();
                return parts.Any(p => p is null) ? null : string.Concat(parts.Select(SqlValues.Text));
            }),
            "coalesce" => Arity(1, int.MaxValue, row => a.Select(f => f(row)).FirstOrDefault(v => v is not null)),
            "ifnull" => Arity(2, 2, row => a[0](row) ?? a[1](row)),
            "nullif" => Arity(2, 2, row => a[0](row) is var v && SqlValues.Compare(v, a[1](row), collation) == 0 ? null : v),
            "abs" => Arity(1, 1, row => a[0](row) is { } v ? (SqlValues.Compare(v, 0L, null) < 0 ? SqlValues.Arithmetic('-', 0L, v) : v) : null),
            "trim" => Arity(1, 1, row => a[0](row) is { } v ? SqlValues.Text(v).Trim(' ') : null),
            "ltrim" => Arity(1, 1, row => a[0](row) is { } v ? SqlValues.Text(v).TrimStart(' ') : null),
            "rtrim" => Arity(1, 1, row => a[0](row) is { } v ? SqlValues.Text(v).TrimEnd(' ') : null),
            "left" => Arity(2, 2, row => a[0](row) is { } v && a[1](row) is { } n ? Cut(SqlValues.Text(v), 1, (long)SqlValues.ToDouble(n)) : null),
            "right" => Arity(2, 2, row => a[0](row) is { } v && a[1](row) is { } n ? RightOf(SqlValues.Text(v), (long)SqlValues.ToDouble(n)) : null),
            "substring" or "substr" or "mid" => Arity(2, 3, row => a[0](row) is { } v && a[1](row) is { } p && (a.Length < 3 || a[2](row) is not null)
                ? Cut(SqlValues.Text(v), (long)SqlValues.ToDouble(p), a.Length < 3 ? long.MaxValue : (long)SqlValues.ToDouble(a[2](row)))
                : null),
            "year" => Arity(1, 1, row => DatePart(a[0](row), 0)),
            "month" => Arity(1, 1, row => DatePart(a[0](row), 1)),
            "day" or "dayofmonth" => Arity(1, 1, row => DatePart(a[0](row), 2)),
            "date" => Arity(1, 1, row => a[0](row) is { } v && SqlValues.Text(v) is { Length: >= 10 } t ? t[..10] : null),
            _ => throw Refuse($"{name.ToUpperInvariant()}()", "Use the functions a row filter evaluates: LOWER, UPPER, LENGTH, CHAR_LENGTH, CONCAT, COALESCE, IFNULL, NULLIF, ABS, TRIM, LTRIM, RTRIM, LEFT, RIGHT, SUBSTRING, YEAR, MONTH, DAY, DATE."),
        };
        return (eval, name.ToLowerInvariant() is "lower" or "upper" or "lcase" or "ucase" or "trim" or "ltrim" or "rtrim" or "left" or "right" or "substring" or "substr" or "mid" or "coalesce" or "ifnull" ? collation : null);
    }

    private static object? DatePart(object? value, int part)
    {
        if (value is null)
        {
            return null;
        }

        var text = SqlValues.Text(value);
        var pieces = text.Length >= 10 ? text[..10].Split('-') : [];
        return pieces.Length == 3 && long.TryParse(pieces[part], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static string Cut(string text, long position, long length)
    {
        // SUBSTRING: 1-based; a negative position counts from the end; position 0 gives ''.
        var start = position > 0 ? position - 1 : position < 0 ? text.Length + position : long.MaxValue;
        if (start < 0 || start >= text.Length || length <= 0)
        {
            return "";
        }

        return text.Substring((int)start, (int)Math.Min(length, text.Length - start));
    }

    private static string RightOf(string text, long length) => length <= 0 ? "" : length >= text.Length ? text : text[^(int)length..];

    private static Encoding EncodingOf(string? collation) => collation switch
    {
        { } c when c.StartsWith("latin1", StringComparison.OrdinalIgnoreCase) => Encoding.Latin1,
        { } c when c.StartsWith("ascii", StringComparison.OrdinalIgnoreCase) => Encoding.ASCII,
        { } c when c.StartsWith("ucs2", StringComparison.OrdinalIgnoreCase) || c.StartsWith("utf16", StringComparison.OrdinalIgnoreCase) => Encoding.BigEndianUnicode,
        _ => Encoding.UTF8,
    };

    private static Eval Constant(object value) => _ => value;

    private static Eval Negate(Eval inner) => row => inner(row) is long l ? (l == 0 ? 1L : 0L) : null;

    private static bool? Both(bool? a, bool? b) => a == false || b == false ? false : a is null || b is null ? null : true;

    private static bool Holds(string op, int order) => op switch
    {
        "=" => order == 0,
        "<>" or "!=" => order != 0,
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        _ => order >= 0,
    };

    private object NumberOf(SqlToken token)
    {
        // The lexer reads 1.5 as 1 . 5 (a dot ends a word): the parts are put together again where they touch.
        var text = token.Value;
        if (Peek is { } dot && dot.IsSymbol('.') && dot.Start == token.Start + token.Length)
        {
            Take();
            text += ".";
            if (Peek is { Kind: SqlTokenKind.Number } fraction && fraction.Start == dot.Start + 1)
            {
                Take();
                text += fraction.Value;
            }
        }

        if (text.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) ? whole : decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    private static string Unquote(string literal)
    {
        var quote = literal[0];
        var body = literal[1..^1];
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == quote && i + 1 < body.Length && body[i + 1] == quote)
            {
                text.Append(quote);
                i++;
            }
            else if (c == '\\' && i + 1 < body.Length)
            {
                var next = body[++i];
                // \% and \_ keep their backslash, for LIKE.
                text.Append(next switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '0' => "\0", 'b' => "\b", 'Z' => "\u001a", '%' => "\\%", '_' => "\\_", _ => next.ToString() });
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private string? ComparisonOperator()
    {
        foreach (var op in new[] { "<=>", "<>", "!=", "<=", ">=", "=", "<", ">" })
        {
            if (Symbols(op))
            {
                return op;
            }
        }

        return null;
    }

    /// <summary>Takes a run of one-character symbol tokens that touch each other and spell <paramref name="symbols"/>.</summary>
    private bool Symbols(string symbols)
    {
        for (var i = 0; i < symbols.Length; i++)
        {
            if (at + i >= tokens.Count || !tokens[at + i].IsSymbol(symbols[i]) || (i > 0 && tokens[at + i].Start != tokens[at + i - 1].Start + 1))
            {
                return false;
            }
        }

        at += symbols.Length;
        return true;
    }

    private SqlToken? Peek => at < tokens.Count ? tokens[at] : null;

    private bool NextIs(int offset, char symbol) => at + offset < tokens.Count && tokens[at + offset].IsSymbol(symbol) && tokens[at + offset].Start == tokens[at + offset - 1].Start + 1;

    private bool Take()
    {
        at++;
        return true;
    }

    private bool Keyword(string keyword)
    {
        if (Peek is { } t && t.Is(keyword))
        {
            at++;
            return true;
        }

        return false;
    }

    private bool Symbol(char symbol)
    {
        if (Peek is { } t && t.IsSymbol(symbol))
        {
            at++;
            return true;
        }

        return false;
    }

    private void Expect(char symbol, string remedy)
    {
        if (!Symbol(symbol))
        {
            throw Refuse(Peek is null ? $"The condition ends where '{symbol}' is expected" : $"'{Rest()}' where '{symbol}' is expected", remedy.Length == 0 ? "Check the syntax there." : remedy);
        }
    }

    private void Expect(string keyword, string remedy)
    {
        if (!Keyword(keyword))
        {
            throw Refuse(Peek is null ? $"The condition ends where {keyword} is expected" : $"'{Rest()}' where {keyword} is expected", remedy);
        }
    }

    private string Rest() => at < tokens.Count ? text[tokens[at].Start..].Trim() : "";

    private DtsInputException Refuse(string part, string remedy) =>
        new($"The row filter on {table} cannot be evaluated: {part} (in \"{text.Trim()}\").", remedy);
}
