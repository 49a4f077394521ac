namespace DtsPowerShell.Engine.Ddl;

/// <summary>The sql_mode a binlog statement ran under (the query event's bit mask), as names a server accepts in SET sql_mode.</summary>
public static class SqlModes
{
    private static readonly (ulong Bit, string Name, bool MariaDbOnly)[] Modes =
    [
        (1UL << 0, "REAL_AS_FLOAT", false), (1UL << 1, "PIPES_AS_CONCAT", false), (1UL << 2, "ANSI_QUOTES", false), (1UL << 3, "IGNORE_SPACE", false),
        (1UL << 4, "IGNORE_BAD_TABLE_OPTIONS", true), (1UL << 5, "ONLY_FULL_GROUP_BY", false), (1UL << 6, "NO_UNSIGNED_SUBTRACTION", false),
        (1UL << 7, "NO_DIR_IN_CREATE", false), (1UL << 9, "ORACLE", true), (1UL << 19, "NO_AUTO_VALUE_ON_ZERO", false),
        (1UL << 20, "NO_BACKSLASH_ESCAPES", false), (1UL << 21, "STRICT_TRANS_TABLES", false), (1UL << 22, "STRICT_ALL_TABLES", false),
        (1UL << 23, "NO_ZERO_IN_DATE", false), (1UL << 24, "NO_ZERO_DATE", false), (1UL << 25, "ALLOW_INVALID_DATES", false),
        (1UL << 26, "ERROR_FOR_DIVISION_BY_ZERO", false), (1UL << 29, "HIGH_NOT_PRECEDENCE", false), (1UL << 30, "NO_ENGINE_SUBSTITUTION", false),
        (1UL << 31, "PAD_CHAR_TO_FULL_LENGTH", false), (1UL << 32, "EMPTY_STRING_IS_NULL", true), (1UL << 33, "SIMULTANEOUS_ASSIGNMENT", true),
        (1UL << 34, "TIME_ROUND_FRACTIONAL", true),
    ];

    public const ulong AnsiQuotes = 1UL << 2;

    /// <summary>
    /// The modes set in <paramref name="bits"/> that change how a statement is read or what it creates. Modes only one
    /// family knows are named only for MariaDB targets; the composite ones (ANSI, TRADITIONAL…) are given by their parts.
    /// </summary>
    public static string ToNames(ulong bits, bool mariaDb) =>
        string.Join(",", Modes.Where(m => (bits & m.Bit) != 0 && (mariaDb || !m.MariaDbOnly)).Select(m => m.Name));
}
