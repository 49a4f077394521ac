namespace DtsPowerShell.Engine.Ddl;

/// <summary>
/// Classifies a statement from the binlog by its tokens (<see cref="SqlLexer"/>): which kind of schema change it is and
/// which objects it names, qualified or not, <c>IF [NOT] EXISTS</c>, <c>CREATE OR REPLACE</c>, DEFINER and algorithm
/// clauses, TEMPORARY, several tables in one DROP or RENAME. It reads only as far as the names; it does not check syntax.
/// </summary>
public static class DdlParser
{
    public static DdlStatement Parse(string sql, string defaultDatabase, bool ansiQuotes = false)
    {
        ArgumentNullException.ThrowIfNull(sql);
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlLexer.Tokenize(sql, ansiQuotes);
        }
        catch (FormatException)
        {
            return DdlStatement.NotDdl;
        }

        return new Reader(tokens, defaultDatabase ?? "").Statement();
    }

    private static readonly (string, DdlKind)[] Alterable =
        [("TABLE", DdlKind.AlterTable), ("VIEW", DdlKind.AlterView), ("PROCEDURE", DdlKind.AlterProcedure), ("FUNCTION", DdlKind.AlterFunction), ("EVENT", DdlKind.AlterEvent)];

    private static readonly (string, DdlKind)[] Droppable =
        [("VIEW", DdlKind.DropView), ("PROCEDURE", DdlKind.DropProcedure), ("FUNCTION", DdlKind.DropFunction), ("TRIGGER", DdlKind.DropTrigger), ("EVENT", DdlKind.DropEvent)];

    private sealed class Reader(IReadOnlyList<SqlToken> tokens, string defaultDatabase)
    {
        private int at;

        public DdlStatement Statement()
        {
            if (Peek().Is("INSERT") || Peek().Is("UPDATE") || Peek().Is("DELETE") || Peek().Is("REPLACE") || Peek().Is("LOAD"))
            {
                return Dml();
            }

            if (Accept("CREATE"))
            {
                return Create();
            }

            if (Accept("ALTER"))
            {
                return Alter();
            }

            if (Accept("DROP"))
            {
                return Drop();
            }

            if (Accept("RENAME"))
            {
                return Accept("TABLE") || Accept("TABLES") ? Renames() : DdlStatement.NotDdl;
            }

            if (Accept("TRUNCATE"))
            {
                Accept("TABLE");
                return One(DdlKind.TruncateTable, Name());
            }

            return DdlStatement.NotDdl;
        }

        private DdlStatement Dml()
        {
            // The table written: after INTO (INSERT, REPLACE, LOAD DATA … INTO TABLE), FROM (DELETE) or the verb (UPDATE).
            var verb = tokens[at++];
            if (verb.Is("UPDATE"))
            {
                SkipWords("LOW_PRIORITY", "IGNORE");
                return One(DdlKind.Dml, Name());
            }

            while (at < tokens.Count && !(Peek().Is("INTO") || Peek().Is("FROM")))
            {
                at++;
            }

            at++;
            Accept("TABLE");
            return at < tokens.Count ? One(DdlKind.Dml, Name()) : new DdlStatement(DdlKind.Dml, []);
        }

        private DdlStatement Create()
        {
            _ = Accept("OR") && Accept("REPLACE");
            SkipDefinitionClauses();
            var temporary = Accept("TEMPORARY");
            if (Accept("DATABASE") || Accept("SCHEMA"))
            {
                IfExists();
                return Database(DdlKind.CreateDatabase);
            }

            if (Accept("TABLE"))
            {
                IfExists();
                var table = Name();
                var objects = new List<SqlObjectName> { table };
                if (Accept("LIKE") || (Peek().IsSymbol('(') && tokens.Count > at + 1 && tokens[at + 1].Is("LIKE") && Skip(2)))
                {
                    objects.Add(Name());
                }

                return new DdlStatement(DdlKind.CreateTable, objects, temporary);
            }

            SkipWords("UNIQUE", "FULLTEXT", "SPATIAL", "ONLINE", "OFFLINE");
            if (Accept("INDEX"))
            {
                IfExists();
                at++; // the index's name
                return Accept("ON") ? One(DdlKind.CreateIndex, Name()) : DdlStatement.NotDdl;
            }

            if (Accept("VIEW"))
            {
                IfExists();
                return One(DdlKind.CreateView, Name());
            }

            if (Accept("PROCEDURE"))
            {
                IfExists();
                return One(DdlKind.CreateProcedure, Name());
            }

            if (Accept("FUNCTION"))
            {
                IfExists();
                return One(DdlKind.CreateFunction, Name());
            }

            if (Accept("TRIGGER"))
            {
                IfExists();
                var trigger = Name();
                while (at < tokens.Count && !Peek().Is("ON"))
                {
                    at++;
                }

                return Accept("ON") ? new DdlStatement(DdlKind.CreateTrigger, [Name(), trigger]) : DdlStatement.NotDdl;
            }

            if (Accept("EVENT"))
            {
                IfExists();
                return One(DdlKind.CreateEvent, Name());
            }

            return DdlStatement.NotDdl;
        }

        private DdlStatement Alter()
        {
            SkipWords("ONLINE", "OFFLINE", "IGNORE");
            SkipDefinitionClauses();
            if (Accept("DATABASE") || Accept("SCHEMA"))
            {
                return Peek().IsName && !Peek().Is("DEFAULT") && !Peek().Is("CHARACTER") && !Peek().Is("COLLATE") && !Peek().Is("CHARSET")
                    ? Database(DdlKind.AlterDatabase)
                    : new DdlStatement(DdlKind.AlterDatabase, [new SqlObjectName(defaultDatabase, "")]);
            }

            var altered = Named(Alterable);
            return altered.Kind == DdlKind.AlterTable && RenamedTo() is { } to ? altered with { Objects = [altered.Objects[0], to] } : altered;
        }

        /// <summary>The new name in an ALTER TABLE's <c>RENAME [TO|AS] name</c> clause (not RENAME COLUMN, INDEX or KEY), or null.</summary>
        private SqlObjectName? RenamedTo()
        {
            var depth = 0;
            for (; at < tokens.Count; at++)
            {
                var token = tokens[at];
                depth += token.IsSymbol('(') ? 1 : token.IsSymbol(')') ? -1 : 0;
                if (depth == 0 && token.Is("RENAME") && at + 1 < tokens.Count && !tokens[at + 1].Is("COLUMN") && !tokens[at + 1].Is("INDEX") && !tokens[at + 1].Is("KEY"))
                {
                    at++;
                    _ = Accept("TO") || Accept("AS");
                    return Name();
                }
            }

            return null;
        }

        private DdlStatement Drop()
        {
            var temporary = Accept("TEMPORARY");
            if (Accept("DATABASE") || Accept("SCHEMA"))
            {
                IfExists();
                return Database(DdlKind.DropDatabase);
            }

            if (Accept("TABLE") || Accept("TABLES"))
            {
                IfExists();
                var tables = new List<SqlObjectName> { Name() };
                while (AcceptSymbol(','))
                {
                    tables.Add(Name());
                }

                return new DdlStatement(DdlKind.DropTable, tables, temporary);
            }

            SkipWords("ONLINE", "OFFLINE");
            if (Accept("INDEX"))
            {
                IfExists();
                at++; // the index's name
                return Accept("ON") ? One(DdlKind.DropIndex, Name()) : DdlStatement.NotDdl;
            }

            return Named(Droppable);
        }

        private DdlStatement Renames()
        {
            var names = new List<SqlObjectName>();
            do
            {
                IfExists();
                names.Add(Name());
                if (!Accept("TO"))
                {
                    return DdlStatement.NotDdl;
                }

                names.Add(Name());
            }
            while (AcceptSymbol(','));
            return new DdlStatement(DdlKind.RenameTable, names);
        }

        /// <summary>The object kind that follows (one of <paramref name="kinds"/>), and its names.</summary>
        private DdlStatement Named((string Keyword, DdlKind Kind)[] kinds)
        {
            foreach (var (keyword, kind) in kinds)
            {
                if (Accept(keyword))
                {
                    return List(kind);
                }
            }

            return DdlStatement.NotDdl;
        }

        private DdlStatement List(DdlKind kind)
        {
            IfExists();
            var names = new List<SqlObjectName> { Name() };
            while (AcceptSymbol(','))
            {
                names.Add(Name());
            }

            return new DdlStatement(kind, names);
        }

        private DdlStatement Database(DdlKind kind)
        {
            if (!Peek().IsName)
            {
                return new(kind, [new SqlObjectName(defaultDatabase, "")]);
            }

            var token = tokens[at++];
            return new(kind, [new SqlObjectName(token.Value, "") { Start = token.Start, Length = token.Length }]);
        }

        private static DdlStatement One(DdlKind kind, SqlObjectName name) => new(kind, [name]);

        /// <summary><c>name</c> or <c>db.name</c>, quoted or not; the default database for the unqualified.</summary>
        private SqlObjectName Name()
        {
            if (at >= tokens.Count || !tokens[at].IsName)
            {
                return new SqlObjectName(defaultDatabase, "") { Start = Peek().Start };
            }

            var first = tokens[at++];
            if (Peek().IsSymbol('.') && at + 1 < tokens.Count && tokens[at + 1].IsName)
            {
                var second = tokens[at + 1];
                at += 2;
                return new SqlObjectName(first.Value, second.Value) { Start = first.Start, Length = second.Start + second.Length - first.Start };
            }

            return new SqlObjectName(defaultDatabase, first.Value) { Start = first.Start, Length = first.Length };
        }

        /// <summary>DEFINER = user, ALGORITHM = x, SQL SECURITY x, AGGREGATE: what may stand between CREATE/ALTER and the object's kind.</summary>
        private void SkipDefinitionClauses()
        {
            while (true)
            {
                if (Accept("DEFINER") || Accept("ALGORITHM"))
                {
                    AcceptSymbol('=');
                    // A user is name@host in any quoting, or CURRENT_USER[()].
                    at++;
                    if (at < tokens.Count && tokens[at].Kind == SqlTokenKind.Variable)
                    {
                        at++;
                    }
                    else if (AcceptSymbol('@'))
                    {
                        at++;
                    }

                    if (AcceptSymbol('('))
                    {
                        AcceptSymbol(')');
                    }
                }
                else if (Accept("SQL") && Accept("SECURITY"))
                {
                    at++;
                }
                else if (!Accept("AGGREGATE"))
                {
                    return;
                }
            }
        }

        private void IfExists()
        {
            if (Accept("IF"))
            {
                Accept("NOT");
                Accept("EXISTS");
            }
        }

        private void SkipWords(params string[] words)
        {
            while (words.Any(w => Peek().Is(w)))
            {
                at++;
            }
        }

        private SqlToken Peek() => at < tokens.Count ? tokens[at] : new SqlToken(SqlTokenKind.Symbol, "", 0, 0);

        private bool Accept(string keyword)
        {
            if (!Peek().Is(keyword))
            {
                return false;
            }

            at++;
            return true;
        }

        private bool AcceptSymbol(char symbol)
        {
            if (!Peek().IsSymbol(symbol))
            {
                return false;
            }

            at++;
            return true;
        }

        private bool Skip(int count)
        {
            at += count;
            return true;
        }
    }
}
