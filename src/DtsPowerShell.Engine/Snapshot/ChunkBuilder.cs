using System.Text;
using DtsPowerShell.Engine.Apply;
using DtsPowerShell.Engine.Protocol;

namespace DtsPowerShell.Engine.Snapshot;

/// <summary>Gathers raw rows into a chunk: LOAD DATA text, or multi-row INSERT statements; keeps the last row's key fields.</summary>
internal sealed class ChunkBuilder(TargetTable table, RawFieldFormat format, bool loadData, int statementChars)
{
    private readonly System.Collections.Concurrent.ConcurrentBag<ByteBuffer> spare = [];
    private ByteBuffer data = new();
    private readonly StringBuilder sql = new();
    private readonly List<string> statements = [];
    private readonly byte[]?[] lastKey = new byte[]?[table.Source.KeyColumns.Count];
    private readonly int[] keyIndex = KeyIndex(table);

    public int Count { get; private set; }

    /// <summary>Bytes of row data gathered (characters of SQL for INSERTs).</summary>
    public int Bytes => loadData ? data.Length : sql.Length + statements.Sum(s => s.Length);

    /// <summary>Adds one text-protocol row (each field length-encoded, 0xFB for NULL).</summary>
    public void Add(ReadOnlySpan<byte> row)
    {
        var reader = new SpanReader(row);
        var written = table.WrittenColumns;
        var next = 0;
        if (!loadData)
        {
            sql.Append(sql.Length == 0 ? $"INSERT INTO {table.QuotedName} {table.ColumnList} VALUES (" : ",(");
        }

        var first = true;
        for (var i = 0; i < table.Source.Columns.Count; i++)
        {
            var length = reader.ReadLengthEncodedNullable();
            var field = length is null ? default : reader.ReadBytes((int)length.Value);
            if (keyIndex[i] >= 0)
            {
                lastKey[keyIndex[i]] = length is null ? null : field.ToArray();
            }

            if (next >= written.Count || written[next] != i)
            {
                continue;
            }

            next++;
            if (loadData)
            {
                if (!first)
                {
                    data.Append((byte)'\t');
                }

                format.AppendLoadField(data, field, length is null, i);
            }
            else
            {
                sql.Append(first ? "" : ",");
                format.AppendLiteral(sql, field, length is null, i, forComparison: false);
            }

            first = false;
        }

        if (loadData)
        {
            data.Append((byte)'\n');
        }
        else
        {
            sql.Append(')');
            if (sql.Length >= statementChars)
            {
                statements.Add(sql.ToString());
                sql.Clear();
            }
        }

        Count++;
    }

    /// <summary>The rows so far as a chunk; the builder starts a new one.</summary>
    public Chunk Take(bool last)
    {
        if (sql.Length > 0)
        {
            statements.Add(sql.ToString());
            sql.Clear();
        }

        // The buffer goes with the chunk and comes back once written: a few buffers serve the whole copy.
        var chunk = new Chunk([.. statements], loadData ? data : null, Count, Count > 0 ? LastKeyLiterals() : null, last, spare.Add);
        statements.Clear();
        if (loadData)
        {
            data = spare.TryTake(out var reused) ? reused : new ByteBuffer();
            data.Clear();
        }

        Count = 0;
        return chunk;
    }

    private string[]? LastKeyLiterals()
    {
        if (!table.Source.HasKey)
        {
            return null;
        }

        return table.Source.KeyColumns.Select((column, k) =>
        {
            var literal = new StringBuilder();
            format.AppendLiteral(literal, lastKey[k], lastKey[k] is null, column, forComparison: true);
            return literal.ToString();
        }).ToArray();
    }

    /// <summary>Per column, its place in the key, or -1.</summary>
    private static int[] KeyIndex(TargetTable table)
    {
        var index = Enumerable.Repeat(-1, table.Source.Columns.Count).ToArray();
        for (var k = 0; k < table.Source.KeyColumns.Count; k++)
        {
            index[table.Source.KeyColumns[k]] = k;
        }

        return index;
    }
}
