using System.Text.RegularExpressions;
using DtsPowerShell.Engine.Binlog;
using DtsPowerShell.Engine.Binlog.Events;
using DtsPowerShell.Engine.Ddl;
using DtsPowerShell.Engine.Selection;

namespace DtsPowerShell.Engine.Changes;

/// <summary>
/// Which changes of a binlog a reader takes: tables (a job's selected objects, or name patterns with <c>*</c> and
/// <c>?</c>), and kinds (Insert, Update, Delete; Statement, Ddl, or a DDL kind such as AlterTable). Its
/// <see cref="DecodesRowsOf"/> is the decoder's <see cref="BinlogEventDecoder.DecodeRowsOf"/>: rows of tables it does
/// not take are never decoded. Asked for every rows event, so each table is decided once.
/// </summary>
public sealed class ChangeFilter
{
    private static readonly string[] RowKinds = [nameof(RowsEventKind.Insert), nameof(RowsEventKind.Update), nameof(RowsEventKind.Delete)];
    private static readonly string[] KindNames = Enum.GetNames<RowsEventKind>();
    private readonly Func<string, string, bool>? takesTable;
    private readonly Func<string, bool>? takesDatabase;
    private readonly HashSet<string> kinds;
    private readonly Dictionary<(string, string), bool> decided = [];

    private ChangeFilter(Func<string, string, bool>? takesTable, Func<string, bool>? takesDatabase, IEnumerable<string>? kinds)
    {
        this.takesTable = takesTable;
        this.takesDatabase = takesDatabase;
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

    /// <summary>Everything.</summary>
    public static ChangeFilter All { get; } = new(null, null, null);

    /// <summary>
    /// A reader's filter: databases and tables by pattern (a table may be given as <c>db.table</c>; case ignored,
    /// back quotes dropped), and kinds. Nothing given takes everything, events without a table included.
    /// </summary>
    public static ChangeFilter ByPattern(IEnumerable<string>? databases = null, IEnumerable<string>? tables = null, IEnumerable<string>? kinds = null)
    {
        Regex[] databasePatterns = [.. (databases ?? []).Select(Pattern)];
        (Regex? Database, Regex Table)[] tablePatterns = [.. (tables ?? []).Select(SplitTable)];
        bool TakesDatabase(string database) => databasePatterns.Length == 0 || databasePatterns.Any(d => d.IsMatch(database));
        bool TakesTable(string database, string table) =>
            TakesDatabase(database) && (tablePatterns.Length == 0 || tablePatterns.Any(t => (t.Database is null || t.Database.IsMatch(database)) && t.Table.IsMatch(table)));
        var byName = databasePatterns.Length > 0 || tablePatterns.Length > 0;
        return new ChangeFilter(byName ? TakesTable : null, byName ? database => tablePatterns.Length == 0 && TakesDatabase(database) : null, kinds);
    }

    /// <summary>
    /// A job's filter: the tables its selection follows (shadow tables of online schema changes included), and the
    /// sync's own tables it reads back from the binlog (<paramref name="ownTables"/>: heartbeat, origin marks).
    /// </summary>
    public static ChangeFilter ForSelection(ObjectSelection selection, IEnumerable<(string Database, string Table)> ownTables)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var own = ownTables.ToHashSet();
        return new ChangeFilter((database, table) => selection.FollowsTable(database, table) || own.Contains((database, table)), selection.IsWholeDatabase, null);
    }

    public bool IsEverything => takesTable is null && kinds.Count == 0;

    /// <summary>Whether rows of the table a map names are taken, so decoded at all.</summary>
    public bool DecodesRowsOf(TableMapEvent map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var name = (map.Database, map.Table);
        if (!decided.TryGetValue(name, out var takes))
        {
            takes = (takesTable is null || takesTable(map.Database, map.Table)) && (kinds.Count == 0 || RowKinds.Any(kinds.Contains));
            decided[name] = takes;
        }

        return takes;
    }

    /// <summary>Whether an event is taken: row changes and statements that match; other events only by a filter that takes everything.</summary>
    public bool Includes(BinlogEvent binlogEvent) => binlogEvent switch
    {
        FilteredRowsEvent => false,
        RowsEvent rows => DecodesRowsOf(rows.Table) && (kinds.Count == 0 || kinds.Contains(KindNames[(int)rows.Kind])),
        QueryEvent query => IsEverything || Statement(query),
        _ => IsEverything,
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

        if (takesTable is null)
        {
            return true;
        }

        // A statement matches by the objects it names; one that names none (a grant, a FLUSH) by its default database.
        return statement.Objects.Count == 0
            ? takesDatabase!(query.Database)
            : statement.Objects.Any(o => o.Name.Length == 0 ? takesDatabase!(o.Database) : takesTable(o.Database, o.Name));
    }

    private static (Regex? Database, Regex Table) SplitTable(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (null, Pattern(text)) : (Pattern(text[..dot]), Pattern(text[(dot + 1)..]));
    }

    private static Regex Pattern(string wildcard) =>
        new("^" + Regex.Escape(wildcard.Trim('`')).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
