namespace DtsPowerShell.Engine.Verify;

/// <summary>
/// How a synced table compares with its source (<see cref="Equal"/>: no row differs; for a table without a key, the
/// whole table's checksum and count agree): row counts, and the keys of the rows that differ after the rechecks
/// (at most <see cref="TableComparer.ListedRows"/> of each kind are listed; the counts are complete).
/// </summary>
public sealed record TableComparison(
    bool Equal,
    string Table,
    string TargetTable,
    long SourceRows,
    long TargetRows,
    int Chunks,
    long MissingCount,
    long ExtraCount,
    long ChangedCount,
    IReadOnlyList<string> MissingOnTarget,
    IReadOnlyList<string> ExtraOnTarget,
    IReadOnlyList<string> Changed,
    string? Note)
{
    public IReadOnlyList<string> MissingOnTarget { get; init; } = new PrintableList<string>(MissingOnTarget);

    public IReadOnlyList<string> ExtraOnTarget { get; init; } = new PrintableList<string>(ExtraOnTarget);

    public IReadOnlyList<string> Changed { get; init; } = new PrintableList<string>(Changed);
}
