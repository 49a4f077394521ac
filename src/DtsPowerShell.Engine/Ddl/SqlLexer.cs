using System.Text;

namespace DtsPowerShell.Engine.Ddl;

/// <summary>
/// Splits a MySQL statement into tokens as the server reads it: comments (<c>-- </c>, <c>#</c>, <c>/* */</c>) are
/// skipped, but the text of executable comments (<c>/*! … */</c> and <c>/*!50100 … */</c> when the version allows,
/// MariaDB's <c>/*M! … */</c>) is read as code; back-quoted identifiers with doubled back-quotes; strings with
/// backslash escapes and doubled quotes; double quotes delimit identifiers under ANSI_QUOTES, else strings.
/// </summary>
public static class SqlLexer
{
    /// <param name="sql">The statement.</param>
    /// <param name="ansiQuotes">Whether the statement's sql_mode has ANSI_QUOTES.</param>
    /// <param name="serverVersion">The version as MySQL numbers it in versioned comments (50100 for 5.1.0); code under a higher number is skipped.</param>
    public static IReadOnlyList<SqlToken> Tokenize(string sql, bool ansiQuotes = false, int serverVersion = 999999)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#' || (c == '-' && At(sql, i + 1, '-') && (i + 2 >= sql.Length || char.IsWhiteSpace(sql[i + 2]) || char.IsControl(sql[i + 2]))))
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = Comment(sql, i, serverVersion);
            }
            else if (c == '*' && At(sql, i + 1, '/'))
            {
                // The end of an executable comment whose text was read as code.
                i += 2;
            }
            else if (c == '`' || (c == '"' && ansiQuotes))
            {
                var (value, end) = Quoted(sql, i, c, backslashEscapes: false);
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, value, i, end - i));
                i = end;
            }
            else if (c is '\'' or '"')
            {
                var (_, end) = Quoted(sql, i, c, backslashEscapes: true);
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[i..end], i, end - i));
                i = end;
            }
            else if (c == '@')
            {
                var end = i + 1;
                while (At(sql, end, '@'))
                {
                    end++;
                }

                if (end < sql.Length && sql[end] is '`' or '\'' or '"')
                {
                    end = Quoted(sql, end, sql[end], backslashEscapes: sql[end] != '`').End;
                }
                else
                {
                    while (end < sql.Length && (IsWordChar(sql[end]) || sql[end] == '.'))
                    {
                        end++;
                    }
                }

                tokens.Add(new SqlToken(SqlTokenKind.Variable, sql[i..end], i, end - i));
                i = end;
            }
            else if (IsWordChar(c))
            {
                var end = i;
                while (end < sql.Length && IsWordChar(sql[end]))
                {
                    end++;
                }

                var text = sql[i..end];
                var number = text.All(char.IsAsciiDigit) || (char.IsAsciiDigit(text[0]) && IsNumberText(text));
                tokens.Add(new SqlToken(number ? SqlTokenKind.Number : SqlTokenKind.Word, text, i, end - i));
                i = end;
            }
            else
            {
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, c.ToString(), i, 1));
                i++;
            }
        }

        return tokens;
    }

    /// <summary>Letters, digits, _ and $, and every character beyond ASCII, as MySQL allows in unquoted names.</summary>
    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c > '\u007f';

    private static bool IsNumberText(string text) => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    /// <summary>Skips a comment, or steps into an executable one (its text is code); returns where reading goes on.</summary>
    private static int Comment(string sql, int start, int serverVersion)
    {
        var i = start + 2;
        var executable = At(sql, i, '!') || (At(sql, i, 'M') && At(sql, i + 1, '!'));
        if (executable)
        {
            i += sql[i] == 'M' ? 2 : 1;
            var digits = i;
            while (digits < sql.Length && char.IsAsciiDigit(sql[digits]) && digits - i < 6)
            {
                digits++;
            }

            var version = digits - i >= 5 ? int.Parse(sql.AsSpan(i, digits - i), System.Globalization.CultureInfo.InvariantCulture) : 0;
            if (version <= serverVersion)
            {
                return digits;
            }
        }

        var close = sql.IndexOf("*/", i, StringComparison.Ordinal);
        return close < 0 ? sql.Length : close + 2;
    }

    private static (string Value, int End) Quoted(string sql, int start, char quote, bool backslashEscapes)
    {
        var value = new StringBuilder();
        var i = start + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (backslashEscapes && c == '\\' && i + 1 < sql.Length)
            {
                value.Append(sql[i + 1]);
                i += 2;
            }
            else if (c == quote && At(sql, i + 1, quote))
            {
                value.Append(quote);
                i += 2;
            }
            else if (c == quote)
            {
                return (value.ToString(), i + 1);
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        throw new FormatException($"A {quote} quote opened at offset {start} is never closed.");
    }
}
