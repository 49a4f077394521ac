namespace DtsPowerShell.Engine.Snapshot;

/// <summary>
/// One chunk of a table copy: its rows as INSERT statements or LOAD DATA text (<see cref="Data"/>, handed back to its
/// builder by <see cref="Release"/> once written, so its memory is reused), and the key of its last row (SQL literals).
/// </summary>
internal sealed record Chunk(IReadOnlyList<string> Statements, ByteBuffer? Data, int Rows, IReadOnlyList<string>? LastKey, bool Last, Action<ByteBuffer>? Return = null)
{
    public void Release()
    {
        if (Data is not null)
        {
            Return?.Invoke(Data);
        }
    }
}
