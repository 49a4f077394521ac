using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;

namespace DtsPowerShell.Engine.Binlog;

/// <summary>
/// Which events a reader of the binlog wants: tables by database and name (wildcards <c>*</c> and <c>?</c>, case
/// ignored; a table may be given as <c>db.table</c>), and kinds (Insert, Update, Delete; Statement, Ddl, or a DDL kind
/// such as AlterTable). With any of them given, only row changes and statements that match are wanted; rows of other
/// tables need not be decoded at all (<see cref="WantsRowsOf"/>).
/// </summary>
public sealed class BinlogEventFilter
{
    private static readonly string[] RowKinds = [nameof(RowsEventKind.Insert), nameof(RowsEventKind.Update), nameof(RowsEventKind.Delete)];
    private static readonly string[] KindNames = Enum.GetNames<RowsEventKind>();
    private readonly Regex[] databases;
    private readonly (Regex? Database, Regex Table)[] tables;
    private readonly HashSet<string> kinds;

    public BinlogEventFilter(IEnumerable<string>? databases = null, IEnumerable<string>? tables = null, IEnumerable<string>? kinds = null)
    {
        this.databases = [.. (databases ?? []).Select(Pattern)];
        this.tables = [.. (tables ?? []).Select(t => SplitTable(t))];
        this.kinds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var kind in kinds ?? [])
        {
            this.kinds.Add(KnownKinds.FirstOrDefault(k => k.Equals(kind, StringComparison.OrdinalIgnoreCase))
                ?? throw new DtsInputException($"'{kind}' is not a kind of change.", $"Give one of: {string.Join(", ", KnownKinds)}."));
        }
    }

    /// <summary>The kinds a filter takes: row changes, statements, and each DDL kind.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } =
        [.. RowKinds, "Statement", "Ddl", .. Enum.GetNames<DdlKind>().Where(k => k is not (nameof(DdlKind.Other) or nameof(DdlKind.Dml)))];

    public bool IsEmpty => databases.Length == 0 && tables.Length == 0 && kinds.Count == 0;

    /// <summary>Whether rows of this table are wanted (a decoder skips the others unread); asked for every rows event, so answered once per table.</summary>
    public bool WantsRowsOf(TableMapEvent map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!wanted.TryGetValue((map.Database, map.Table), out var wants))
        {
            wants = MatchesTable(map.Database, map.Table) && (kinds.Count == 0 || RowKinds.Any(kinds.Contains));
            wanted[(map.Database, map.Table)] = wants;
        }

        return wants;
    }

    private readonly Dictionary<(string, string), bool> wanted = [];

    public bool Includes(BinlogEvent binlogEvent) => binlogEvent switch
    {
        FilteredRowsEvent => false,
        RowsEvent rows => WantsRowsOf(rows.Table) && (kinds.Count == 0 || kinds.Contains(KindNames[(int)rows.Kind])),
        QueryEvent query when IsEmpty => true,
        QueryEvent query => Statement(query),
        _ => IsEmpty,
    };

    private bool Statement(QueryEvent query)
    {
        if (query.IsTransactionControl)
        {
            return false;
        }

        var statement = DdlParser.Parse(query.Query, query.Database, ((query.SqlMode ?? 0) & SqlModes.AnsiQuotes) != 0);
        var isDdl = statement.Kind is not (DdlKind.Other or DdlKind.Dml);
        var kindMatches = kinds.Count == 0 || kinds.Contains("Statement") || (isDdl && (kinds.Contains("Ddl") || kinds.Contains(statement.Kind.ToString())));
        if (!kindMatches)
        {
            return false;
        }

        if (databases.Length == 0 && tables.Length == 0)
        {
            return true;
        }

        // A statement matches by the objects it names; one that names none (a grant, a FLUSH) by its default database.
        return statement.Objects.Count == 0
            ? tables.Length == 0 && MatchesDatabase(query.Database)
            : statement.Objects.Any(o => o.Name.Length == 0 ? tables.Length == 0 && MatchesDatabase(o.Database) : MatchesTable(o.Database, o.Name));
    }

    private bool MatchesDatabase(string database) => databases.Length == 0 || databases.Any(d => d.IsMatch(database));

    private bool MatchesTable(string database, string table) =>
        MatchesDatabase(database) && (tables.Length == 0 || tables.Any(t => (t.Database is null || t.Database.IsMatch(database)) && t.Table.IsMatch(table)));

    private static (Regex? Database, Regex Table) SplitTable(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (null, Pattern(text)) : (Pattern(text[..dot]), Pattern(text[(dot + 1)..]));
    }

    private static Regex Pattern(string wildcard) =>
        new("^" + Regex.Escape(wildcard.Trim('`')).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
