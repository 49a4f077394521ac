namespace DtsPowerShell.Engine.Ddl;

/// <summary>What a token of a MySQL statement is.</summary>
public enum SqlTokenKind
{
    /// <summary>A keyword or an unquoted identifier (<see cref="SqlToken.Value"/> as written).</summary>
    Word,

    /// <summary>A back-quoted identifier, or a double-quoted one under ANSI_QUOTES (<see cref="SqlToken.Value"/> unquoted).</summary>
    QuotedIdentifier,

    /// <summary>A string literal (<see cref="SqlToken.Value"/> as written, quotes included).</summary>
    String,

    /// <summary>A number.</summary>
    Number,

    /// <summary>A user or system variable (<c>@x</c>, <c>@@x</c>, <c>@`x`</c>).</summary>
    Variable,

    /// <summary>Any other character: punctuation and operators, one character each.</summary>
    Symbol,
}

/// <summary>One token: its kind, its value, and where it stands in the statement's text.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Value, int Start, int Length)
{
    /// <summary>Whether this is the keyword <paramref name="keyword"/> (a word, case ignored; a quoted identifier never is).</summary>
    public bool Is(string keyword) => Kind == SqlTokenKind.Word && Value.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this is the symbol <paramref name="symbol"/>.</summary>
    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Value.Length == 1 && Value[0] == symbol;

    /// <summary>A name: an unquoted word or a quoted identifier.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;
}
