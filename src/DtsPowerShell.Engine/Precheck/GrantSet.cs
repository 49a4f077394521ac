using System.Text.RegularExpressions;

namespace DtsPowerShell.Engine.Precheck;

/// <summary>
/// The privileges of the connected account (and its active role), as <c>information_schema</c> lists them:
/// global, per schema (names may be LIKE patterns) and per table.
/// </summary>
internal sealed class GrantSet
{
    // MariaDB 10.5 renamed some privileges; the old names are aliases.
    private static readonly Dictionary<string, string[]> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["REPLICATION CLIENT"] = ["REPLICATION CLIENT", "BINLOG MONITOR"],
        ["REPLICATION SLAVE"] = ["REPLICATION SLAVE", "REPLICATION REPLICA"],
    };

    private readonly HashSet<string> global = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(Regex Schema, string Privilege)> schema = [];
    private readonly List<(string Schema, string Table, string Privilege)> table = [];

    public void AddGlobal(string privilege) => global.Add(privilege);

    public void AddSchema(string schemaPattern, string privilege) => schema.Add((LikeToRegex(schemaPattern), privilege));

    public void AddTable(string schemaName, string tableName, string privilege) => table.Add((schemaName, tableName, privilege));

    public bool HasGlobal(string privilege) => Names(privilege).Any(global.Contains);

    public bool HasOnDatabase(string privilege, string database) =>
        HasGlobal(privilege) || Names(privilege).Any(p => schema.Any(s => s.Privilege.Equals(p, StringComparison.OrdinalIgnoreCase) && s.Schema.IsMatch(database)));

    public bool HasOnTable(string privilege, string database, string tableName) =>
        HasOnDatabase(privilege, database) ||
        table.Any(t => t.Privilege.Equals(privilege, StringComparison.OrdinalIgnoreCase) && t.Schema == database && t.Table == tableName);

    private static string[] Names(string privilege) => Aliases.TryGetValue(privilege, out var names) ? names : [privilege];

    /// <summary>GRANT ... ON `shop\_%`.* stores a LIKE pattern: % and _ are wildcards, backslash escapes.</summary>
    private static Regex LikeToRegex(string pattern)
    {
        var regex = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else
            {
                regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
